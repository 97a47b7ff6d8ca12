import { letterboxFrame, toModelPoint } from '../coordinates.js'
import { LOW_RES } from '../postprocess.js'
import { normalizeToSquare, MODEL_SIZE } from '../preprocess.js'
import { batchCandidates, keepBest, lowResCandidates, SAM_MEAN, SAM_STD, type Contract } from './Contract.js'

/**
 * Everything mode on a transformers.js export: one object click per entry of the point batch P (input_points
 * [1,P,1,2]), no box and no mask (empty where the export has those inputs); the outputs are [1,P,3,..].
 */
export function transformersClickBatch(embeddingNames: readonly string[]): NonNullable<Contract['clickBatch']> {
  return {
    feeds(Tensor, embeddings, points, frame, { inputNames }) {
      const feeds: Record<string, InstanceType<typeof Tensor>> = {
        input_points: new Tensor('float32', Float32Array.from(points.flatMap((p) => toModelPoint(frame, p))), [1, points.length, 1, 2]),
        input_labels: new Tensor('int64', new BigInt64Array(points.length).fill(1n), [1, points.length, 1]),
      }
      for (const name of embeddingNames) feeds[name] = embeddings[name]
      if (inputNames.includes('input_boxes')) feeds.input_boxes = new Tensor('float32', new Float32Array(0), [1, 0, 4])
      if (inputNames.includes('input_masks')) feeds.input_masks = new Tensor('float32', new Float32Array(0), [1, 0, LOW_RES, LOW_RES])
      return feeds
    },
    candidates: (outputs, count) => batchCandidates(outputs.iou_scores, outputs.pred_masks, ['iou_scores', 'pred_masks'], count),
  }
}

/** transformers.js pads point lists with this label. */
const PAD_LABEL = -10n

/**
 * `hf-sam`: transformers.js exports (Xenova/slimsam-77-uniform, Xenova/sam-vit-base). Labels are int64 and the
 * graph appends its own padding point. The `main` revisions take points only; boxes are an input of other
 * revisions, and no public export takes a previous mask: both are fed where the decoder has the input (Engine
 * refuses prompts it has not). The decoder returns the three multimask candidates only, over the padded square.
 */
export const hfSamContract: Contract = {
  name: 'hf-sam',
  encoder: { required: ['pixel_values'] },
  decoder: {
    required: ['image_embeddings', 'image_positional_embeddings', 'input_points', 'input_labels'],
    optional: ['input_boxes', 'input_masks'],
  },
  decoderOutputs: ['iou_scores', 'pred_masks'],
  frame: letterboxFrame,

  encoderFeeds(Tensor, rgb) {
    const pixels = normalizeToSquare(rgb, SAM_MEAN, SAM_STD)
    return { pixel_values: new Tensor('float32', pixels, [1, 3, MODEL_SIZE, MODEL_SIZE]) }
  },

  support: (decoder) => ({
    box: decoder.inputNames.includes('input_boxes'),
    mask: decoder.inputNames.includes('input_masks'),
    candidates: 3,
    singleMask: false,
  }),

  decoderFeeds(Tensor, embeddings, prompt, frame, { inputNames }) {
    const points = prompt.points ?? []
    const coords: number[] = []
    const labels: bigint[] = []
    for (const p of points) {
      coords.push(...toModelPoint(frame, p))
      labels.push(BigInt(p.label))
    }
    if (points.length === 0) {
      coords.push(0, 0) // a box alone still needs one (padding) point
      labels.push(PAD_LABEL)
    }
    const n = labels.length
    const feeds: Record<string, InstanceType<typeof Tensor>> = {
      image_embeddings: embeddings.image_embeddings,
      image_positional_embeddings: embeddings.image_positional_embeddings,
      input_points: new Tensor('float32', Float32Array.from(coords), [1, 1, n, 2]),
      input_labels: new Tensor('int64', BigInt64Array.from(labels), [1, 1, n]),
    }
    // Boxes and masks are inputs only some exports have; where they exist they are always fed, empty for "none".
    if (inputNames.includes('input_boxes')) {
      const box = prompt.box
        ? [...toModelPoint(frame, { x: prompt.box.x0, y: prompt.box.y0 }), ...toModelPoint(frame, { x: prompt.box.x1, y: prompt.box.y1 })]
        : []
      feeds.input_boxes = new Tensor('float32', Float32Array.from(box), [1, box.length / 4, 4])
    }
    if (inputNames.includes('input_masks')) {
      const mask = prompt.mask?.data ?? new Float32Array(0)
      feeds.input_masks = new Tensor('float32', mask, [1, mask.length / (LOW_RES * LOW_RES), LOW_RES, LOW_RES])
    }
    return feeds
  },

  candidates(outputs, multimask) {
    const all = lowResCandidates(outputs.iou_scores, outputs.pred_masks, ['iou_scores', 'pred_masks'])
    return multimask ? all : keepBest(all)
  },

  clickBatch: transformersClickBatch(['image_embeddings', 'image_positional_embeddings']),
}
