/**
 * MobileSAM's image encoder, TinyViT-5M as published (Zhang et al., "Faster Segment Anything", 2023; MobileSAM's
 * tiny_vit_sam.py with embed dims 64/128/160/320, depths 2/2/6/2, heads 2/4/5/10, windows 7/7/14/7), with seeded
 * random weights, as ONNX graphs in the `sam` and `hf-sam` contracts. Like the decoder, its outputs mean nothing:
 * it measures what a real MobileSAM encode costs.
 *
 * Patch embedding (two 3x3 stride-2 Conv2d_BN, GELU between) to 256x256x64; stage 1: two MBConv blocks (expand 4);
 * each stage ends in a patch merging (1x1, depthwise 3x3 stride 2 (1 into the last stage), 1x1 Conv2d_BN); stages
 * 2-4: TinyViT blocks (window attention with a learned bias per relative offset, a depthwise 3x3 local conv, an MLP
 * with ratio 4); neck: 1x1 conv to 256, LayerNorm2d, 3x3 conv, LayerNorm2d, to the [1,256,64,64] embedding.
 * The classification head that TinyViT keeps from ImageNet (LayerNorm + Linear(320, 1000)) is never run and is left out.
 */
import { Layers, Weights } from './layers.js'
import { GraphBuilder, encodeModel } from './onnxGraph.js'
import { Ops } from './ops.js'
import { BENCH_SEED, imagePositionalEmbedding, type BenchContract } from './samDecoder.js'

const EMBED_DIMS = [64, 128, 160, 320]
const DEPTHS = [2, 2, 6, 2]
const HEADS = [2, 4, 5, 10]
const WINDOWS = [7, 7, 14, 7]
const MLP_RATIO = 4
const MBCONV_EXPAND = 4
/** Published size of MobileSAM's image encoder. */
export const PUBLISHED_TINYVIT_PARAMETERS = 5.78e6

/** MBConv: 1x1 expand, depthwise 3x3, 1x1 project, GELU after each, the last after the residual. NCHW in and out. */
function mbConv(L: Layers, x: string, dim: number): string {
  const hidden = dim * MBCONV_EXPAND
  let y = L.gelu(L.convBn(x, dim, hidden, 1))
  y = L.gelu(L.convBn(y, hidden, hidden, 3, 1, hidden))
  return L.gelu(L.o.add(L.convBn(y, hidden, dim, 1), x))
}

/** PatchMerging: [B,C,H,W] -> tokens [B,L',out] at half the resolution (full in the last stage). */
function patchMerging(L: Layers, x: string, dim: number, out: number): string {
  const stride = out === 320 ? 1 : 2 // as published: no downsampling into the 320-wide stage
  let y = L.gelu(L.convBn(x, dim, out, 1))
  y = L.gelu(L.convBn(y, out, out, 3, stride, out))
  y = L.convBn(y, out, out, 1)
  return L.o.transpose(L.o.reshape(y, [0, out, -1]), [0, 2, 1])
}

/** Attention bias index of every pair of window cells: their (|dy|, |dx|) offset, numbered in first-seen order. */
function offsetIndex(window: number): { index: Int32Array; offsets: number } {
  const n = window * window
  const ids = new Map<number, number>()
  const index = new Int32Array(n * n)
  for (let p = 0; p < n; p++)
    for (let q = 0; q < n; q++) {
      const key = Math.abs(Math.floor(p / window) - Math.floor(q / window)) * window + Math.abs((p % window) - (q % window))
      if (!ids.has(key)) ids.set(key, ids.size)
      index[p * n + q] = ids.get(key)!
    }
  return { index, offsets: ids.size }
}

/**
 * TinyViT's windowed Attention on tokens [W,N,C] (N = window^2): LayerNorm, one qkv projection, per-head
 * q.k / sqrt(d) plus the learned offset bias (gathered at build time, as the export constant-folds it), softmax, proj.
 */
function windowAttention(L: Layers, x: string, dim: number, heads: number, window: number): string {
  const { o, w } = L
  const keyDim = dim / heads
  const n = window * window
  const qkv = o.transpose(o.reshape(L.linear(L.layerNorm(x, dim), dim, 3 * dim), [0, 0, heads, 3 * keyDim]), [0, 2, 1, 3]) // [W,h,N,3d]
  const [q, k, v] = [0, 1, 2].map((i) => o.slice(qkv, [i * keyDim], [(i + 1) * keyDim], [3]))
  const { index, offsets } = offsetIndex(window)
  const biases = w.values(heads * offsets, 0.02)
  const bias = new Float32Array(heads * n * n)
  for (let h = 0; h < heads; h++) for (let i = 0; i < n * n; i++) bias[h * n * n + i] = biases[h * offsets + index[i]]
  const logits = o.add(o.div(o.matmul(q, o.transpose(k, [0, 1, 3, 2])), o.c(Math.sqrt(keyDim))), w.buffer(bias, [1, heads, n, n]))
  const attended = o.matmul(o.g.op('Softmax', [logits], { axis: -1 }), v) // [W,h,N,d]
  return L.linear(o.reshape(o.transpose(attended, [0, 2, 1, 3]), [0, 0, dim]), dim, dim)
}

/** TinyViTBlock on tokens [B,H*W,C]: window attention (zero-padded to whole windows), local conv, MLP. */
function tinyVitBlock(L: Layers, x: string, dim: number, size: number, heads: number, window: number): string {
  const { o } = L
  const padded = Math.ceil(size / window) * window
  const count = padded / window
  let grid = o.reshape(x, [-1, size, size, dim])
  if (padded > size) grid = o.g.op('Pad', [grid, o.i([0, 0, 0, 0, 0, padded - size, padded - size, 0]), o.c(0)], { mode: 'constant' })
  const windows = o.reshape(o.transpose(o.reshape(grid, [-1, count, window, count, window, dim]), [0, 1, 3, 2, 4, 5]), [-1, window * window, dim])
  let attended = o.reshape(
    o.transpose(o.reshape(windowAttention(L, windows, dim, heads, window), [-1, count, count, window, window, dim]), [0, 1, 3, 2, 4, 5]),
    [-1, padded, padded, dim],
  )
  if (padded > size) attended = o.slice(attended, [0, 0], [size, size], [1, 2])
  const tokens = o.add(x, o.reshape(attended, [-1, size * size, dim]))
  const image = o.reshape(o.transpose(tokens, [0, 2, 1]), [-1, dim, size, size])
  const local = o.transpose(o.reshape(L.convBn(image, dim, dim, 3, 1, dim), [0, dim, size * size]), [0, 2, 1])
  const mlp = L.linear(L.gelu(L.linear(L.layerNorm(local, dim), dim, dim * MLP_RATIO)), dim * MLP_RATIO, dim)
  return o.add(local, mlp)
}

/** TinyViT-5M from a normalised, padded [B,3,1024,1024] image to the [B,256,64,64] embedding. */
function tinyVit(L: Layers, image: string): string {
  const { o } = L
  // Patch embedding to 1/4 resolution, then stage 1 (convolutional).
  let x = L.convBn(L.gelu(L.convBn(image, 3, EMBED_DIMS[0] / 2, 3, 2)), EMBED_DIMS[0] / 2, EMBED_DIMS[0], 3, 2)
  for (let i = 0; i < DEPTHS[0]; i++) x = mbConv(L, x, EMBED_DIMS[0])
  let tokens = patchMerging(L, x, EMBED_DIMS[0], EMBED_DIMS[1])
  let size = 128
  // Stages 2-4 (transformer), each but the last ending in a patch merging.
  for (let stage = 1; stage < 4; stage++) {
    const dim = EMBED_DIMS[stage]
    for (let i = 0; i < DEPTHS[stage]; i++) tokens = tinyVitBlock(L, tokens, dim, size, HEADS[stage], WINDOWS[stage])
    if (stage < 3) {
      const image = o.reshape(o.transpose(tokens, [0, 2, 1]), [-1, dim, size, size])
      tokens = patchMerging(L, image, dim, EMBED_DIMS[stage + 1])
      if (EMBED_DIMS[stage + 1] !== 320) size /= 2
    }
  }
  // Neck.
  const features = o.reshape(o.transpose(tokens, [0, 2, 1]), [-1, 320, 64, 64])
  const neck = L.layerNorm2d(L.conv(features, 320, 256, 1, 1, { bias: false }), 256)
  return L.layerNorm2d(L.conv(neck, 256, 256, 3, 1, { pad: 1, bias: false }), 256)
}

/** The MobileSAM encoder with random weights in a contract, with its parameter count. */
export function buildTinyVitEncoder(contract: BenchContract, seed = BENCH_SEED + 1): { bytes: Uint8Array; parameters: number } {
  const g = new GraphBuilder(`mobile_sam_encoder_${contract}`)
  const o = new Ops(g)
  const w = new Weights(g, seed)
  const L = new Layers(o, w)
  if (contract === 'sam') {
    g.output(tinyVit(L, g.input('input_image', 'float', [1, 3, 1024, 1024])), 'image_embeddings', 'float', [1, 256, 64, 64])
  } else {
    const pixels = g.input('pixel_values', 'float', ['batch', 3, 1024, 1024])
    const embedding = tinyVit(L, pixels)
    g.output(embedding, 'image_embeddings', 'float', ['batch', 256, 64, 64])
    // The decoder's dense positional encoding, one per image (SamModel computes it from the decoder's frequencies).
    const positional = w.buffer(imagePositionalEmbedding(), [1, 256, 64, 64])
    g.output(g.op('Expand', [positional, o.shape(embedding)]), 'image_positional_embeddings', 'float', ['batch', 256, 64, 64])
  }
  const bytes = encodeModel(g, {
    producer: 'anymask',
    docString: 'MobileSAM image encoder (TinyViT-5M) architecture with random weights (for benchmarks; its embeddings mean nothing).',
    metadata: { anymask_model: 'mobile-sam-encoder-bench', contract, part: 'encoder' },
  })
  return { bytes, parameters: w.parameters }
}
