/**
 * The decoder inputs and outputs of the `sam` and `hf-sam` contracts (CONTRACTS.md), shared by every decoder we
 * build: each model brings its own core from SAM-style prompts to low-res logits and scores.
 */
import { GraphBuilder } from './onnxGraph.js'
import { Ops } from './ops.js'

/** SAM-style prompts: points [P,N,2] in resized space, labels [P,N] (1, 0, 2/3 box corners, -1 padding). */
export interface SamPrompts {
  coords: string
  labels: string
  /** Previous low-res logits [P,1,256,256] and whether to use them [P]. */
  prevMask: string
  hasMask: string
}

/** The `sam` decoder's inputs, as prompts, plus the original size for the in-graph upscaling. */
export function samDecoderInputs(g: GraphBuilder): SamPrompts & { embedding: string; origSize: string } {
  return {
    embedding: g.input('image_embeddings', 'float', [1, 256, 64, 64]),
    coords: g.input('point_coords', 'float', [1, 'num_points', 2]),
    labels: g.input('point_labels', 'float', [1, 'num_points']),
    prevMask: g.input('mask_input', 'float', [1, 1, 256, 256]),
    hasMask: g.input('has_mask_input', 'float', [1]),
    origSize: g.input('orig_im_size', 'float', [2]),
  }
}

/** SAM's in-graph post-processing of low-res logits [1,K,256,256]: upscale to 1024, crop the padding, upscale to the original size. */
export function samUpscaledMasks(o: Ops, lowRes: string, origSize: string): string {
  const h = o.slice(origSize, [0], [1], [0])
  const w = o.slice(origSize, [1], [2], [0])
  const scale = o.div(o.c(1024), o.max(h, w))
  const resized = (v: string) => o.toInt64(o.floor(o.add(o.mul(v, scale), o.c(0.5))))
  const leading = o.slice(o.shape(lowRes), [0], [2], [0]) // [1, K]
  const up = o.resizeBilinear(lowRes, o.concat([leading, o.i([1024, 1024])], 0))
  const cropped = o.g.op('Slice', [up, o.i([0, 0]), o.concat([resized(h), resized(w)], 0), o.i([2, 3])])
  return o.resizeBilinear(cropped, o.concat([leading, o.toInt64(h), o.toInt64(w)], 0))
}

/**
 * samUpscaledMasks, the same values, but a 1x1 image (the size @anymask/core asks for: it upscales `low_res_masks`
 * itself) from the 8x8 low-res block its pixel depends on, not from 4 M upscaled pixels a mask. That pixel is SAM's
 * 1024 upscale between rows and columns 511 and 512 (half-pixel centres), which interpolate low-res rows 127 and
 * 128: the block's upscale has them at 15 and 16 with the same weights, and its edges, clamped, are not used.
 */
export function samUpscaledMasksLazily(o: Ops, lowRes: string, origSize: string): string {
  const onePixel = o.gt(o.g.op('ReduceMin', [o.toFloat(o.eq(origSize, o.c(1)))], { keepdims: 0 }), o.c(0)) // both sides 1
  const branch = (name: string, build: (b: Ops) => string) => {
    const graph = new GraphBuilder(name, `${name}_`)
    graph.output(build(new Ops(graph)), `${name}_masks`, 'float', [1, 'k', 'height', 'width'])
    return graph
  }
  const block = (b: Ops) => {
    const leading = b.slice(b.shape(lowRes), [0], [2], [0]) // [1, K]
    const around = b.slice(lowRes, [124, 124], [132, 132], [2, 3])
    const upscaled = b.resizeBilinear(around, b.concat([leading, b.i([32, 32])], 0))
    return b.resizeBilinear(b.slice(upscaled, [15, 15], [17, 17], [2, 3]), b.concat([leading, b.i([1, 1])], 0))
  }
  return o.g.op('If', [onePixel], {
    then_branch: branch('one_pixel', block),
    else_branch: branch('any_size', (b) => samUpscaledMasks(b, lowRes, origSize)),
  })
}

/**
 * The `sam` decoder's outputs from K low-res candidates [1,K,256,256] (K = 4: token 0 = single-mask answer) and
 * their scores [1,K], with SAM's in-graph post-processing (`lazily`: see samUpscaledMasksLazily; the replicas of
 * published exports upscale as they do).
 */
export function samDecoderOutputs(g: GraphBuilder, o: Ops, lowRes: string, scores: string, origSize: string, k = 4, lazily = false): void {
  const masks = lazily ? samUpscaledMasksLazily(o, lowRes, origSize) : samUpscaledMasks(o, lowRes, origSize)
  g.output(masks, 'masks', 'float', [1, k, 'height', 'width'])
  g.output(scores, 'iou_predictions', 'float', [1, k])
  g.output(lowRes, 'low_res_masks', 'float', [1, k, 256, 256])
}

/**
 * samexporter's `--use-preprocess` encoder input: the resized image as [H,W,3] floats 0..255; the graph normalises
 * it with SAM's statistics and pads it to the 1024 square itself. Returns the [1,3,1024,1024] normalised image.
 */
export function samPreprocessInGraph(g: GraphBuilder, o: Ops): string {
  const hwc = g.input('input_image', 'float', ['height', 'width', 3])
  const chw = o.unsqueeze(o.transpose(hwc, [2, 0, 1]), [0])
  const normalised = o.div(o.sub(chw, o.c([123.675, 116.28, 103.53], [1, 3, 1, 1])), o.c([58.395, 57.12, 57.375], [1, 3, 1, 1]))
  const size = o.slice(o.shape(hwc), [0], [2], [0]) // [H, W]
  const padEnd = o.sub(o.i([1024, 1024]), size)
  return g.op('Pad', [normalised, o.concat([o.i([0, 0, 0, 0, 0, 0]), padEnd], 0), o.c(0)], { mode: 'constant' })
}

export interface HfPromptOptions {
  /** Declare `input_boxes` (the transformers.js `main` exports have none). Default true. */
  boxInput?: boolean
  /** Declare `input_masks` (no public export has it; SamModel never feeds it). Default true. */
  maskInput?: boolean
}

/**
 * transformers.js prompts as SAM prompts: `input_points` [B,P,N,2] and int64 `input_labels` [B,P,N] with the point
 * batch P as the leading axis, padding label -10 as -1, the box (if any: the last of `input_boxes`) as two corner
 * points, and `input_masks` (empty for none) as the mask. Inputs left out are taken as empty.
 */
export function hfPromptInputs(g: GraphBuilder, o: Ops, { boxInput = true, maskInput = true }: HfPromptOptions = {}): SamPrompts {
  const points = g.input('input_points', 'float', ['batch', 'point_batch', 'num_points', 2])
  const labels64 = g.input('input_labels', 'int64', ['batch', 'point_batch', 'num_points'])
  // Optional prompts, fed empty when absent: [B,0,4] boxes and [B,0,256,256] masks.
  const boxes = boxInput ? g.input('input_boxes', 'float', ['batch', 'num_boxes', 4]) : o.c([], [1, 0, 4])
  const masks = maskInput ? g.input('input_masks', 'float', ['batch', 'num_masks', 256, 256]) : o.c([], [1, 0, 256, 256])

  const coords0 = o.squeeze(points, [0]) // [P,N,2]
  const rawLabels = o.toFloat(o.squeeze(labels64, [0])) // [P,N]
  const labels0 = o.choose(o.toFloat(o.eq(rawLabels, o.c(-10))), o.c(-1), rawLabels)
  // A zero-area sentinel first, then the last row: the prompt's box, or the sentinel (no box).
  const box = o.slice(o.concat([o.c([0, 0, 0, 0], [1, 4]), o.squeeze(boxes, [0])], 0), [-1], [Number.MAX_SAFE_INTEGER], [0]) // [1,4]
  const corners = o.reshape(box, [-1, 2, 2])
  const isBox = o.and(o.gt(o.slice(box, [2], [3], [1]), o.slice(box, [0], [1], [1])), o.gt(o.slice(box, [3], [4], [1]), o.slice(box, [1], [2], [1]))) // [1,1]
  const cornerLabels = o.choose(o.toFloat(isBox), o.c([2, 3], [1, 2]), o.c([-1, -1], [1, 2]))
  const pointBatch = o.slice(o.shape(coords0), [0], [1], [0])
  const cornerShape = o.concat([pointBatch, o.i([2, 2])], 0)
  const coords = o.concat([coords0, g.op('Expand', [corners, cornerShape])], 1)
  const labels = o.concat([labels0, g.op('Expand', [cornerLabels, o.slice(cornerShape, [0], [2], [0])])], 1)
  const maskCount = o.slice(o.shape(masks), [1], [2], [0])
  const hasMask = o.toFloat(o.gt(maskCount, o.i([0], []))) // [1]
  const zeroMask = g.op('ConstantOfShape', [o.i([1, 1, 256, 256])])
  const lastMask = o.slice(o.concat([zeroMask, masks], 1), [-1], [Number.MAX_SAFE_INTEGER], [1]) // [1,1,256,256]
  // One for each prompt of the point batch, as the decoder decodes each (everything mode sends a batch of clicks).
  const prevMask = g.op('Expand', [lastMask, o.concat([pointBatch, o.i([1, 256, 256])], 0)]) // [P,1,256,256]
  return { coords, labels, prevMask, hasMask: g.op('Expand', [hasMask, pointBatch]) }
}

/** The `hf-sam` decoder's inputs: the two embeddings and the transformers.js prompts (see hfPromptInputs). */
export function hfSamDecoderInputs(g: GraphBuilder, o: Ops, options: HfPromptOptions = {}): SamPrompts & { embedding: string; positional: string } {
  const embedding = g.input('image_embeddings', 'float', ['batch', 256, 64, 64])
  const positional = g.input('image_positional_embeddings', 'float', ['batch', 256, 64, 64])
  return { embedding, positional, ...hfPromptInputs(g, o, options) }
}

/**
 * The `hf-sam` decoder's outputs from the three multimask candidates [P,3,256,256] and scores [P,3], with the
 * batch axis of `embedding` in front (always 1 in practice, but symbolic, as in the exports).
 */
export function hfSamDecoderOutputs(g: GraphBuilder, o: Ops, lowRes: string, scores: string, embedding: string): void {
  const batch = o.slice(o.shape(embedding), [0], [1], [0])
  const withBatch = (x: string) => g.op('Reshape', [x, o.concat([batch, o.shape(x)], 0)])
  g.output(withBatch(scores), 'iou_scores', 'float', ['batch', 'point_batch', 3])
  g.output(withBatch(lowRes), 'pred_masks', 'float', ['batch', 'point_batch', 3, 256, 256])
}
