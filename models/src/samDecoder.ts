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
import { Layers, SeededRandom, Weights } from './layers.js'
import { GraphBuilder, encodeModel } from './onnxGraph.js'
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

/** segment-anything's Attention: q/k/v projections to DIM / downsample, 8 heads, output projection. */
function attention(L: Layers, q: string, k: string, v: string, downsample: number): string {
  const { o } = L
  const inner = DIM / downsample
  const perHead = inner / HEADS
  const heads = (x: string) => o.transpose(o.reshape(x, [0, 0, HEADS, perHead]), [0, 2, 1, 3]) // [B,H,N,c]
  const qh = heads(L.linear(q, DIM, inner))
  const kh = heads(L.linear(k, DIM, inner))
  const vh = heads(L.linear(v, DIM, inner))
  const logits = o.div(o.matmul(qh, o.transpose(kh, [0, 1, 3, 2])), o.c(Math.sqrt(perHead)))
  const attended = o.matmul(o.g.op('Softmax', [logits], { axis: -1 }), vh)
  return L.linear(o.reshape(o.transpose(attended, [0, 2, 1, 3]), [0, 0, inner]), inner, DIM)
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
    if (layer === 0)
      queries = attention(L, queries, queries, queries, 1) // the first layer skips the PE and residual
    else {
      const q = o.add(queries, tokens)
      queries = o.add(queries, attention(L, q, q, queries, 1))
    }
    queries = L.layerNorm(queries, DIM)
    queries = o.add(queries, attention(L, o.add(queries, tokens), o.add(keys, keyPositions), keys, DOWNSAMPLE))
    queries = L.layerNorm(queries, DIM)
    queries = o.add(queries, L.linear(o.relu(L.linear(queries, DIM, MLP_DIM)), MLP_DIM, DIM)) // MLPBlock, ReLU
    queries = L.layerNorm(queries, DIM)
    keys = o.add(keys, attention(L, o.add(keys, keyPositions), o.add(queries, tokens), queries, DOWNSAMPLE))
    keys = L.layerNorm(keys, DIM)
  }
  queries = o.add(queries, attention(L, o.add(queries, tokens), o.add(keys, keyPositions), keys, DOWNSAMPLE))
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

/** The seed of every bench model: the hf-sam encoder's positional output must match its decoder's frequencies. */
export const BENCH_SEED = 2023

/** The random-Fourier frequencies [2,128]: the first draws of a model's weights. */
const frequencies = (random: SeededRandom) => Float32Array.from({ length: 2 * FREQUENCIES }, () => random.gaussian())

/**
 * `image_positional_embeddings` [1,256,64,64] of the hf-sam contract for the decoder built with `seed`: what
 * transformers' SamModel computes from its shared image embedding, here fixed at build time.
 */
export const imagePositionalEmbedding = (seed = BENCH_SEED) => densePositions(frequencies(new SeededRandom(seed)))

export type BenchContract = 'sam' | 'hf-sam'

/**
 * The SAM decoder with random weights in a contract, with its parameter counts (mask decoder and prompt encoder
 * apart, as the paper counts them).
 */
export function buildSamDecoder(
  contract: BenchContract,
  seed = BENCH_SEED,
): { bytes: Uint8Array; maskDecoderParameters: number; promptEncoderParameters: number } {
  const g = new GraphBuilder(`sam_decoder_${contract}`)
  const o = new Ops(g)
  const w = new Weights(g, seed)
  const L = new Layers(o, w)
  const gaussianValues = frequencies(w)
  const gaussian = w.buffer(gaussianValues, [2, FREQUENCIES])
  let outputs: DecoderOutputs
  if (contract === 'sam') {
    const { embedding, origSize, ...prompts } = samDecoderInputs(g)
    // The official export constant-folds the dense positional encoding into the graph.
    outputs = promptToMasks(L, gaussian, embedding, w.buffer(densePositions(gaussianValues), [1, DIM, GRID, GRID]), prompts)
    samDecoderOutputs(g, o, outputs.masks, outputs.scores, origSize)
  } else {
    const { embedding, positional, ...prompts } = hfSamDecoderInputs(g, o, { maskInput: false })
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
