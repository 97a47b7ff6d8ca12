/**
 * Terse tensor maths over a GraphBuilder (opset 17), so model code reads like the formulas it implements.
 *
 * @example
 * const o = new Ops(g)
 * const y = o.add(o.mul(x, o.c(2)), o.c(1))   // y = 2x + 1
 */
import type { GraphBuilder } from './onnxGraph.js'

export class Ops {
  constructor(readonly g: GraphBuilder) {}

  /** A float constant (a scalar by default). */
  c(values: number | number[], dims?: number[]): string {
    const v = typeof values === 'number' ? [values] : values
    return this.g.constant(v, dims ?? (typeof values === 'number' ? [] : [v.length]))
  }
  i(values: number[], dims?: number[]): string {
    return this.g.ints(values, dims)
  }

  add = (a: string, b: string) => this.g.op('Add', [a, b])
  sub = (a: string, b: string) => this.g.op('Sub', [a, b])
  mul = (a: string, b: string) => this.g.op('Mul', [a, b])
  div = (a: string, b: string) => this.g.op('Div', [a, b])
  pow = (a: string, b: string) => this.g.op('Pow', [a, b])
  max = (...xs: string[]) => this.g.op('Max', xs)
  min = (...xs: string[]) => this.g.op('Min', xs)
  sqrt = (a: string) => this.g.op('Sqrt', [a])
  relu = (a: string) => this.g.op('Relu', [a])
  abs = (a: string) => this.g.op('Abs', [a])
  floor = (a: string) => this.g.op('Floor', [a])
  not = (a: string) => this.g.op('Not', [a])
  and = (a: string, b: string) => this.g.op('And', [a, b])
  eq = (a: string, b: string) => this.g.op('Equal', [a, b])
  gt = (a: string, b: string) => this.g.op('Greater', [a, b])
  lt = (a: string, b: string) => this.g.op('Less', [a, b])
  le = (a: string, b: string) => this.g.op('LessOrEqual', [a, b])
  where = (cond: string, a: string, b: string) => this.g.op('Where', [cond, a, b])
  /**
   * `a` where the float flag is 1, `b` where it is 0 (both finite; exact, as the flag is 0 or 1). Our shipped graphs
   * use it, not Where: onnxruntime-web 1.30's WebGPU Where caches its shader by the input ranks alone, though the
   * shader for broadcast inputs differs, so a broadcast Where after an equal-shape one of the same ranks (in any model
   * of the same onnxruntime instance) reads its inputs at the wrong offsets (an [L,1,1,1] false gave `a` at cells
   * of a 256 x 256).
   */
  choose = (flag: string, a: string, b: string) => this.add(this.mul(flag, a), this.mul(this.sub(this.c(1), flag), b))
  /**
   * Where `a` first reaches its minimum or maximum along its last axis `lastAxis` (of static length `n`), as a float
   * index, that axis kept. Our shipped graphs use it, not ArgMin / ArgMax: onnxruntime-web 1.30's WebGPU runs those
   * as its naive reduce, whose shader has the reduced length written into it but is cached by the input's rank and
   * the attributes alone, so an ArgMax of another model in the same onnxruntime instance (segment-anything's
   * single-mask export takes one over [B,4] scores, axis 1) would run with our length, or ours with its. ReduceMin /
   * ReduceMax over a last axis, few rows before it, take the shared-memory reduce, which reads sizes from uniforms.
   */
  firstIndexOf = (a: string, extreme: 'min' | 'max', lastAxis: number, n: number) => this.firstIndexAndValue(a, extreme, lastAxis, n).index
  /** firstIndexOf, and the extreme itself (the reduction it needs anyway). */
  firstIndexAndValue = (a: string, extreme: 'min' | 'max', lastAxis: number, n: number) => {
    const best = this.g.op(extreme === 'min' ? 'ReduceMin' : 'ReduceMax', [a], { axes: [lastAxis], keepdims: 1 })
    const worse = this.toFloat(extreme === 'min' ? this.gt(a, best) : this.lt(a, best))
    return { index: this.g.op('ReduceMin', [this.add(this.positions(n), this.mul(worse, this.c(n)))], { axes: [lastAxis], keepdims: 1 }), value: best }
  }
  /** 0, 1, ..., n - 1 [n] as floats, one Range node a graph. */
  positions(n: number): string {
    let p = this.ranges.get(n)
    if (!p) this.ranges.set(n, (p = this.g.op('Range', [this.c(0), this.c(n), this.c(1)])))
    return p
  }
  private readonly ranges = new Map<number, string>()
  toFloat = (a: string) => this.g.op('Cast', [a], { to: 1 })
  toInt64 = (a: string) => this.g.op('Cast', [a], { to: 7 })
  clip = (a: string, lo: number, hi: number) => this.g.op('Clip', [a, this.c(lo), this.c(hi)])
  reshape = (a: string, shape: number[]) => this.g.op('Reshape', [a, this.i(shape)])
  concat = (xs: string[], axis: number) => this.g.op('Concat', xs, { axis })
  unsqueeze = (a: string, axes: number[]) => this.g.op('Unsqueeze', [a, this.i(axes)])
  squeeze = (a: string, axes: number[]) => this.g.op('Squeeze', [a, this.i(axes)])
  transpose = (a: string, perm: number[]) => this.g.op('Transpose', [a], { perm })
  gather = (a: string, idx: string, axis: number) => this.g.op('Gather', [a, idx], { axis })
  slice = (a: string, starts: number[], ends: number[], axes: number[]) => this.g.op('Slice', [a, this.i(starts), this.i(ends), this.i(axes)])
  matmul = (a: string, b: string) => this.g.op('MatMul', [a, b])
  shape = (a: string) => this.g.op('Shape', [a])

  /** Sum over `axes` (ReduceSum takes its axes as an input since opset 13). */
  sum = (a: string, axes: number[], keepdims = 1) => this.g.op('ReduceSum', [a, this.i(axes)], { keepdims })
  /** Max over `axes` (still an attribute before opset 18); no axes = all. */
  rmax = (a: string, axes?: number[], keepdims = 1) => this.g.op('ReduceMax', [a], axes ? { axes, keepdims } : { keepdims })

  /** k x k max filter, same size out (k odd). */
  maxFilter = (a: string, k: number) => this.g.op('MaxPool', [a], { kernel_shape: [k, k], pads: [k >> 1, k >> 1, k >> 1, k >> 1], strides: [1, 1] })
  /** k x k max over non-overlapping blocks (k = stride). */
  blockMax = (a: string, k: number) => this.g.op('MaxPool', [a], { kernel_shape: [k, k], strides: [k, k] })
  /** k x k mean over non-overlapping blocks (k = stride). */
  blockMean = (a: string, k: number) => this.g.op('AveragePool', [a], { kernel_shape: [k, k], strides: [k, k] })
  /**
   * k x k box sum, same size out (cells beyond the border count as zeros). An AveragePool that counts the padding:
   * onnxruntime's CPU pooling is about 3x slower when it must count the cells that exist instead.
   */
  boxSum = (a: string, k: number) =>
    this.mul(
      this.g.op('AveragePool', [a], { kernel_shape: [k, k], pads: [k >> 1, k >> 1, k >> 1, k >> 1], strides: [1, 1], count_include_pad: 1 }),
      this.c(k * k),
    )
  /**
   * A per-pixel colour transform of NCHW channels by an [out x in] matrix, as sums of scaled channels: a 1x1 Conv
   * would say the same, but is slow on WebGPU in NCHW layout.
   */
  colorMatrix = (a: string, m: number[][]) => {
    const terms = m[0].map((_, k) =>
      this.mul(
        this.slice(a, [k], [k + 1], [1]),
        this.c(
          m.map((row) => row[k]),
          [1, m.length, 1, 1],
        ),
      ),
    )
    return terms.reduce((sum, term) => this.add(sum, term))
  }
  /** Zero-pads the channel axis (1) of an NCHW tensor up to `channels`. */
  padChannels = (a: string, from: number, channels: number) =>
    this.g.op('Pad', [a, this.i([0, 0, 0, 0, 0, channels - from, 0, 0]), this.c(0)], { mode: 'constant' })
  /** Bilinear resize of the last two axes to `sizes` (an int64 tensor of rank 4), like F.interpolate(align_corners=False). */
  resizeBilinear = (a: string, sizes: string) => this.g.op('Resize', [a, '', '', sizes], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' })
}
