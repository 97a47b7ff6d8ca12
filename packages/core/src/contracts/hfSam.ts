import type { TypedTensor } from 'onnxruntime-web'
import { AnymaskError } from '../AnymaskError.js'
import { letterboxFrame, toModelPoint } from '../coordinates.js'
import { LOW_RES } from '../postprocess.js'
import { normalizeToSquare, MODEL_SIZE } from '../preprocess.js'
import { keepBest, plane, SAM_MEAN, SAM_STD, scoresOf, type Contract } from './Contract.js'

const unsupported = (input: string, what: string) =>
  new AnymaskError('INVALID_PROMPT', `This hf-sam decoder has no ${input} input, so it cannot take ${what}: prompt it with points.`)

/** transformers.js pads point lists with this label. */
const PAD_LABEL = -10n

/**
 * `hf-sam`: transformers.js exports (Xenova/slimsam-77-uniform, Xenova/sam-vit-base). Labels are int64, boxes
 * a separate input, and the decoder returns three 256x256 candidates over the padded square.
 */
export const hfSamContract: Contract = {
  name: 'hf-sam',
  encoder: { required: ['pixel_values'] },
  decoder: {
    required: ['image_embeddings', 'image_positional_embeddings', 'input_points', 'input_labels'],
    optional: ['input_boxes', 'input_masks'],
  },
  frame: letterboxFrame,

  encoderFeeds(Tensor, rgb) {
    const pixels = normalizeToSquare(rgb, SAM_MEAN, SAM_STD)
    return { pixel_values: new Tensor('float32', pixels, [1, 3, MODEL_SIZE, MODEL_SIZE]) }
  },

  decoderFeeds(Tensor, embeddings, prompt, frame, inputNames) {
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
    if (prompt.box && !inputNames.includes('input_boxes')) throw unsupported('input_boxes', 'a box')
    if (prompt.mask && !inputNames.includes('input_masks')) throw unsupported('input_masks', 'a previous mask')
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
    const masks = outputs.pred_masks as TypedTensor<'float32'>
    const all = scoresOf(outputs.iou_scores).map((score, k) => ({ score, lowRes: plane(masks, k, LOW_RES * LOW_RES) }))
    return multimask ? all : keepBest(all)
  },
}
