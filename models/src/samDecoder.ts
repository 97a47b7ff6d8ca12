/**
 * The published SAM prompt encoder + mask decoder (Kirillov et al., "Segment Anything", 2023; segment-anything's
 * prompt_encoder.py, mask_decoder.py, transformer.py and scripts/export_onnx_model.py) with seeded random weights,
 * as ONNX graphs in the `sam` and `hf-sam` contracts. Latency depends on the architecture and the shapes, not on
 * the weight values, so these graphs measure what the real decoders cost. Their masks mean nothing.
 *
 * Prompt encoder: random-Fourier positional encoding (128 frequencies), four point embeddings + not-a-point,
 * mask downscaling (conv 1->4 k2 s2, LayerNorm2d, GELU, conv 4->16 k2 s2, LayerNorm2d, GELU, conv 16->256 k1),
 * no-mask embedding. Mask decoder: two-way transformer (depth 2, dim 256, 8 heads, MLP 2048, attention
 * downsample 2, final token-to-image attention), 4 mask tokens + 1 IoU token, output upscaling (transposed conv
 * 256->64 k2 s2, LayerNorm2d, GELU, transposed conv 64->32 k2 s2, GELU), four 3-layer hypernetwork MLPs and a
 * 3-layer IoU head.
 */
import { hfSamDecoderInputs, hfSamDecoderOutputs, samDecoderInputs, samDecoderOutputs, type SamPrompts } from './contractIO.js'
import { GraphBuilder, encodeModel, float } from './onnxGraph.js'
import { Ops } from './ops.js'

const DIM = 256
const HEADS = 8
const MLP_DIM = 2048
const DEPTH = 2
const DOWNSAMPLE = 2
const MASK_TOKENS = 4
const GRID = 64
const FREQUENCIES = 128
/** Published size of SAM's mask decoder (the prompt encoder adds 6,220 parameters more). */
export const PUBLISHED_MASK_DECODER_PARAMETERS = 4.06e6

/** Seeded weights (mulberry32): every parameter made here is counted; buffers (fixed tensors) are not. */
class Weights {
  parameters = 0
  private state: number

  constructor(
    private readonly g: GraphBuilder,
    seed: number,
  ) {
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

  /** PyTorch's default for linear and conv layers: uniform in +/- 1 / sqrt(fan in). */
  uniform(dims: number[], fanIn: number): string {
    const bound = 1 / Math.sqrt(fanIn)
    return this.param(dims, () => (2 * this.random() - 1) * bound)
  }

  fill(dims: number[], value: number): string {
    return this.param(dims, () => value)
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
class Layers {
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

  conv(x: string, inC: number, outC: number, kernel: number, stride: number): string {
    const fanIn = inC * kernel * kernel
    return this.o.g.op('Conv', [x, this.w.uniform([outC, inC, kernel, kernel], fanIn), this.w.uniform([outC], fanIn)], {
      kernel_shape: [kernel, kernel],
      strides: [stride, stride],
    })
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

  /** segment-anything's Attention: q/k/v projections to DIM / downsample, 8 heads, output projection. */
  attention(q: string, k: string, v: string, downsample: number): string {
    const { o } = this
    const inner = DIM / downsample
    const perHead = inner / HEADS
    const heads = (x: string) => o.transpose(o.reshape(x, [0, 0, HEADS, perHead]), [0, 2, 1, 3]) // [B,H,N,c]
    const qh = heads(this.linear(q, DIM, inner))
    const kh = heads(this.linear(k, DIM, inner))
    const vh = heads(this.linear(v, DIM, inner))
    const logits = o.div(o.matmul(qh, o.transpose(kh, [0, 1, 3, 2])), o.c(Math.sqrt(perHead)))
    const attended = o.matmul(o.g.op('Softmax', [logits], { axis: -1 }), vh)
    return this.linear(o.reshape(o.transpose(attended, [0, 2, 1, 3]), [0, 0, inner]), inner, DIM)
  }
}

/** Random-Fourier positional encoding of coordinates in [0, 1]: [.., 2] -> [.., 256] (sin, cos). */
function fourier(o: Ops, coords01: string, gaussian: string): string {
  const projected = o.mul(o.matmul(o.sub(o.mul(coords01, o.c(2)), o.c(1)), gaussian), o.c(2 * Math.PI))
  return o.concat([o.g.op('Sin', [projected]), o.g.op('Cos', [projected])], -1)
}

/** The dense positional encoding of the 64x64 embedding grid (SAM's get_dense_pe), computed here once. */
function densePositions(gaussian: Float32Array): Float32Array {
  const out = new Float32Array(DIM * GRID * GRID)
  for (let y = 0; y < GRID; y++)
    for (let x = 0; x < GRID; x++) {
      const cx = (2 * (x + 0.5)) / GRID - 1
      const cy = (2 * (y + 0.5)) / GRID - 1
      for (let f = 0; f < FREQUENCIES; f++) {
        const p = 2 * Math.PI * (cx * gaussian[f] + cy * gaussian[FREQUENCIES + f])
        out[f * GRID * GRID + y * GRID + x] = Math.sin(p)
        out[(FREQUENCIES + f) * GRID * GRID + y * GRID + x] = Math.cos(p)
      }
    }
  return out
}

interface DecoderOutputs {
  /** Low-res logits [P,4,256,256]: token 0 the single-mask answer, 1..3 the multimask candidates. */
  masks: string
  /** Predicted IoU [P,4]. */
  scores: string
  /** How many of the weights belong to the prompt encoder (the rest: the mask decoder). */
  promptEncoderParameters: number
}

/**
 * Prompt encoder + mask decoder on one embedding: P prompts (point batch) of N points each.
 * `imagePositions` [1,256,64,64] is the dense positional encoding (a buffer in `sam`, an input in `hf-sam`).
 */
function promptToMasks(L: Layers, gaussian: string, embedding: string, imagePositions: string, prompts: SamPrompts): DecoderOutputs {
  const { o, w } = L
  const start = w.parameters
  // --- prompt encoder: sparse (points) --------------------------------------------------------------
  const labels = o.unsqueeze(prompts.labels, [2]) // [P,N,1]
  const is = (value: number) => o.toFloat(o.eq(labels, o.c(value)))
  const positions = fourier(o, o.div(o.add(prompts.coords, o.c(0.5)), o.c(1024)), gaussian) // [P,N,256]
  let sparse = o.add(o.mul(positions, o.sub(o.c(1), is(-1))), o.mul(w.uniform([1, DIM], 1), is(-1))) // not-a-point
  for (let i = 0; i < 4; i++) sparse = o.add(sparse, o.mul(w.uniform([1, DIM], 1), is(i))) // point embeddings 0..3
  // --- prompt encoder: dense (mask) ----------------------------------------------------------------
  let m = L.gelu(L.layerNorm2d(L.conv(prompts.prevMask, 1, 4, 2, 2), 4))
  m = L.gelu(L.layerNorm2d(L.conv(m, 4, 16, 2, 2), 16))
  m = L.conv(m, 16, DIM, 1, 1) // [P,256,64,64]
  const hasMask = o.reshape(prompts.hasMask, [-1, 1, 1, 1])
  const dense = o.add(o.mul(m, hasMask), o.mul(o.reshape(w.uniform([DIM], 1), [1, DIM, 1, 1]), o.sub(o.c(1), hasMask)))
  const promptEncoderParameters = w.parameters - start

  // --- mask decoder: tokens --------------------------------------------------------------------------
  const outputTokens = o.concat([w.uniform([1, DIM], 1), w.uniform([MASK_TOKENS, DIM], 1)], 0) // IoU token, mask tokens
  const batch = o.slice(o.shape(sparse), [0], [1], [0])
  const tokens = o.concat([o.g.op('Expand', [o.unsqueeze(outputTokens, [0]), o.concat([batch, o.i([1, 1])], 0)]), sparse], 1) // [P,5+N,256]
  const flat = (x: string) => o.transpose(o.reshape(x, [0, DIM, GRID * GRID]), [0, 2, 1]) // [B,4096,256]
  const keyPositions = flat(imagePositions)

  // --- two-way transformer -----------------------------------------------------------------------------
  let queries = tokens
  let keys = flat(o.add(embedding, dense))
  for (let layer = 0; layer < DEPTH; layer++) {
    if (layer === 0) queries = L.attention(queries, queries, queries, 1) // the first layer skips the PE and residual
    else {
      const q = o.add(queries, tokens)
      queries = o.add(queries, L.attention(q, q, queries, 1))
    }
    queries = L.layerNorm(queries, DIM)
    queries = o.add(queries, L.attention(o.add(queries, tokens), o.add(keys, keyPositions), keys, DOWNSAMPLE))
    queries = L.layerNorm(queries, DIM)
    queries = o.add(queries, L.linear(o.relu(L.linear(queries, DIM, MLP_DIM)), MLP_DIM, DIM)) // MLPBlock, ReLU
    queries = L.layerNorm(queries, DIM)
    keys = o.add(keys, L.attention(o.add(keys, keyPositions), o.add(queries, tokens), queries, DOWNSAMPLE))
    keys = L.layerNorm(keys, DIM)
  }
  queries = o.add(queries, L.attention(o.add(queries, tokens), o.add(keys, keyPositions), keys, DOWNSAMPLE))
  queries = L.layerNorm(queries, DIM)

  // --- heads -------------------------------------------------------------------------------------------
  const iouToken = o.squeeze(o.slice(queries, [0], [1], [1]), [1]) // [P,256]
  const image = o.reshape(o.transpose(keys, [0, 2, 1]), [0, DIM, GRID, GRID])
  let up = L.gelu(L.layerNorm2d(L.convTranspose(image, DIM, 64), 64))
  up = L.gelu(L.convTranspose(up, 64, 32)) // [P,32,256,256]
  const hyper = Array.from({ length: MASK_TOKENS }, (_, i) =>
    o.unsqueeze(L.mlp(o.squeeze(o.slice(queries, [1 + i], [2 + i], [1]), [1]), [DIM, DIM, DIM, 32]), [1]),
  )
  const masks = o.reshape(o.matmul(o.concat(hyper, 1), o.reshape(up, [0, 32, 256 * 256])), [0, MASK_TOKENS, 256, 256])
  const scores = L.mlp(iouToken, [DIM, 256, 256, MASK_TOKENS])
  return { masks, scores, promptEncoderParameters }
}

export type BenchContract = 'sam' | 'hf-sam'

/**
 * The SAM decoder with random weights in a contract, with its parameter counts (mask decoder and prompt encoder
 * apart, as the paper counts them).
 */
export function buildSamDecoder(contract: BenchContract, seed = 2023): { bytes: Uint8Array; maskDecoderParameters: number; promptEncoderParameters: number } {
  const g = new GraphBuilder(`sam_decoder_${contract}`)
  const o = new Ops(g)
  const w = new Weights(g, seed)
  const L = new Layers(o, w)
  const gaussianValues = Float32Array.from({ length: 2 * FREQUENCIES }, () => w.gaussian())
  const gaussian = w.buffer(gaussianValues, [2, FREQUENCIES])
  let outputs: DecoderOutputs
  if (contract === 'sam') {
    const { embedding, origSize, ...prompts } = samDecoderInputs(g)
    // The official export constant-folds the dense positional encoding into the graph.
    outputs = promptToMasks(L, gaussian, embedding, w.buffer(densePositions(gaussianValues), [1, DIM, GRID, GRID]), prompts)
    samDecoderOutputs(g, o, outputs.masks, outputs.scores, origSize)
  } else {
    const { embedding, positional, ...prompts } = hfSamDecoderInputs(g, o)
    outputs = promptToMasks(L, gaussian, embedding, positional, prompts)
    // transformers' SamModel returns the three multimask candidates (tokens 1..3).
    hfSamDecoderOutputs(g, o, o.slice(outputs.masks, [1], [4], [1]), o.slice(outputs.scores, [1], [4], [1]), embedding)
  }
  const bytes = encodeModel(g, {
    producer: 'anymask',
    docString: 'SAM prompt encoder + mask decoder architecture with random weights (for benchmarks; its masks mean nothing).',
    metadata: { anymask_model: 'sam-decoder-bench', contract, part: 'decoder' },
  })
  return { bytes, maskDecoderParameters: w.parameters - outputs.promptEncoderParameters, promptEncoderParameters: outputs.promptEncoderParameters }
}
