import { stretchFrame, toModelPoint } from '../coordinates.js'
import { normalizeToSquare, MODEL_SIZE } from '../preprocess.js'
import { keepBest, lowResCandidates, type Contract } from './Contract.js'
import { IMAGENET_MEAN, IMAGENET_STD } from './sam2.js'
import { transformersClickBatch } from './hfSam.js'

const EMBEDDINGS = ['image_embeddings.0', 'image_embeddings.1', 'image_embeddings.2']

/**
 * `hf-sam2`: SAM 2 / 2.1 as transformers.js exports it (onnx-community/sam2.1-hiera-tiny-ONNX), fed as its
 * `Sam2Model` feeds it: the image stretched to the 1024 square with ImageNet statistics (SamImageProcessor with
 * `size: { height: 1024, width: 1024 }`), points [1,1,N,2] and int64 labels with no padding point added, boxes
 * [1,nb,4] (empty when there is none; a box alone goes with zero points). Three multimask candidates.
 */
export const hfSam2Contract: Contract = {
  name: 'hf-sam2',
  encoder: { required: ['pixel_values'] },
  decoder: { required: [...EMBEDDINGS, 'input_points', 'input_labels'], optional: ['input_boxes'] },
  decoderOutputs: ['iou_scores', 'pred_masks'],
  frame: stretchFrame,

  encoderFeeds(Tensor, rgb) {
    return { pixel_values: new Tensor('float32', normalizeToSquare(rgb, IMAGENET_MEAN, IMAGENET_STD), [1, 3, MODEL_SIZE, MODEL_SIZE]) }
  },

  support: (decoder) => ({ box: decoder.inputNames.includes('input_boxes'), mask: false, candidates: 3, singleMask: false }),

  decoderFeeds(Tensor, embeddings, prompt, frame, { inputNames }) {
    const points = prompt.points ?? []
    const coords = points.flatMap((p) => toModelPoint(frame, p))
    const labels = points.map((p) => BigInt(p.label))
    const feeds: Record<string, InstanceType<typeof Tensor>> = {
      input_points: new Tensor('float32', Float32Array.from(coords), [1, 1, points.length, 2]),
      input_labels: new Tensor('int64', BigInt64Array.from(labels), [1, 1, points.length]),
    }
    for (const name of EMBEDDINGS) feeds[name] = embeddings[name]
    if (inputNames.includes('input_boxes')) {
      const { box } = prompt
      const corners = box ? [...toModelPoint(frame, { x: box.x0, y: box.y0 }), ...toModelPoint(frame, { x: box.x1, y: box.y1 })] : []
      feeds.input_boxes = new Tensor('float32', Float32Array.from(corners), [1, corners.length / 4, 4])
    }
    return feeds
  },

  candidates(outputs, multimask) {
    const all = lowResCandidates(outputs.iou_scores, outputs.pred_masks, ['iou_scores', 'pred_masks'])
    return multimask ? all : keepBest(all)
  },

  clickBatch: transformersClickBatch(EMBEDDINGS),
}
