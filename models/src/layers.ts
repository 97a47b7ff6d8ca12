/**
 * Seeded random weights and the PyTorch layers our architecture-faithful benchmark models are made of (SAM's
 * decoder, MobileSAM's TinyViT encoder). Every parameter is counted as it is made, so a model can print its size.
 */
import { type GraphBuilder, float } from './onnxGraph.js'
import type { Ops } from './ops.js'

/** A seeded random stream (mulberry32), so every build of a model has the same weights. */
export class SeededRandom {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  gaussian(): number {
    return Math.sqrt(-2 * Math.log(1 - this.random())) * Math.cos(2 * Math.PI * this.random())
  }
}

/** Seeded weights: every parameter made here is counted; buffers (fixed tensors) are not. */
export class Weights extends SeededRandom {
  parameters = 0

  constructor(
    private readonly g: GraphBuilder,
    seed: number,
  ) {
    super(seed)
  }

  /** PyTorch's default for linear and conv layers: uniform in +/- 1 / sqrt(fan in). */
  uniform(dims: number[], fanIn: number): string {
    const bound = 1 / Math.sqrt(fanIn)
    return this.param(dims, () => (2 * this.random() - 1) * bound)
  }

  fill(dims: number[], value: number): string {
    return this.param(dims, () => value)
  }

  /** Parameters the builder needs as numbers (to fold into a buffer), uniform in +/- `bound`; counted. */
  values(count: number, bound: number): Float32Array {
    this.parameters += count
    return Float32Array.from({ length: count }, () => (2 * this.random() - 1) * bound)
  }

  buffer(values: Float32Array, dims: number[]): string {
    return this.g.constant(values, dims)
  }

  private param(dims: number[], next: () => number): string {
    const n = dims.reduce((a, b) => a * b, 1)
    this.parameters += n
    return this.g.constant(Float32Array.from({ length: n }, next), dims)
  }
}

/** The layers, each making its own weights. */
export class Layers {
  constructor(
    readonly o: Ops,
    readonly w: Weights,
  ) {}

  linear(x: string, inDim: number, outDim: number): string {
    return this.o.add(this.o.matmul(x, this.w.uniform([inDim, outDim], inDim)), this.w.uniform([outDim], inDim))
  }

  /** LayerNorm over the last axis (PyTorch eps 1e-5). */
  layerNorm(x: string, dim: number): string {
    return this.o.g.op('LayerNormalization', [x, this.w.fill([dim], 1), this.w.fill([dim], 0)], { axis: -1, epsilon: float(1e-5) })
  }

  /** SAM's LayerNorm2d: over the channels of [B,C,H,W], eps 1e-6. */
  layerNorm2d(x: string, channels: number): string {
    const { o } = this
    const mean = o.g.op('ReduceMean', [x], { axes: [1], keepdims: 1 }) // opset 17: axes is an attribute
    const centred = o.sub(x, mean)
    const variance = o.g.op('ReduceMean', [o.mul(centred, centred)], { axes: [1], keepdims: 1 })
    const normed = o.div(centred, o.sqrt(o.add(variance, o.c(1e-6))))
    return o.add(o.mul(normed, o.reshape(this.w.fill([channels], 1), [1, channels, 1, 1])), o.reshape(this.w.fill([channels], 0), [1, channels, 1, 1]))
  }

  /** Exact GELU (PyTorch's default): x * (1 + erf(x / sqrt 2)) / 2. */
  gelu(x: string): string {
    const { o } = this
    return o.mul(o.mul(x, o.c(0.5)), o.add(o.c(1), o.g.op('Erf', [o.div(x, o.c(Math.SQRT2))])))
  }

  /** A PyTorch Conv2d: `padding` on every side, `groups` (depthwise when = channels), an optional bias. */
  conv(x: string, inC: number, outC: number, kernel: number, stride: number, options: { pad?: number; groups?: number; bias?: boolean } = {}): string {
    const { pad = 0, groups = 1, bias = true } = options
    const fanIn = (inC / groups) * kernel * kernel
    const inputs = [x, this.w.uniform([outC, inC / groups, kernel, kernel], fanIn)]
    if (bias) inputs.push(this.w.uniform([outC], fanIn))
    return this.o.g.op('Conv', inputs, { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad], group: groups })
  }

  /**
   * TinyViT's Conv2d_BN (conv without bias, then BatchNorm) as an exporter leaves it: the BatchNorm folded into the
   * conv's weight and bias. Counted as PyTorch counts it: the conv's weights plus the BatchNorm's weight and bias.
   */
  convBn(x: string, inC: number, outC: number, kernel: number, stride = 1, groups = 1): string {
    const y = this.conv(x, inC, outC, kernel, stride, { pad: (kernel - 1) >> 1, groups }) // its bias = BN's bias
    this.w.parameters += outC // BN's weight, folded into the conv's weight
    return y
  }

  convTranspose(x: string, inC: number, outC: number): string {
    const fanIn = outC * 4 // PyTorch computes ConvTranspose2d's fan-in from weight dim 1 x kernel
    return this.o.g.op('ConvTranspose', [x, this.w.uniform([inC, outC, 2, 2], fanIn), this.w.uniform([outC], fanIn)], {
      kernel_shape: [2, 2],
      strides: [2, 2],
    })
  }

  /** A ReLU MLP (segment-anything's MLP): dims[0] -> ... -> dims[last]. */
  mlp(x: string, dims: number[]): string {
    let y = x
    for (let i = 1; i < dims.length; i++) {
      y = this.linear(y, dims[i - 1], dims[i])
      if (i < dims.length - 1) y = this.o.relu(y)
    }
    return y
  }
}
