import { modelPromptPoints, stretchFrame, toModelPoint } from '../coordinates.js'
import { LOW_RES } from '../postprocess.js'
import { normalizeToSquare, MODEL_SIZE } from '../preprocess.js'
import { batchCandidates, keepBest, lowResCandidates, maskInput, type Contract } from './Contract.js'

// ImageNet statistics on the 0..255 scale: (x / 255 - m) / s == (x - 255 m) / (255 s).
export const IMAGENET_MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255]
export const IMAGENET_STD = [0.229 * 255, 0.224 * 255, 0.225 * 255]

/**
 * `sam2`: SAM 2 / 2.1 as exported by samexporter. The image is stretched to the square (no padding), and the
 * decoder takes the encoder's high-resolution features besides the embedding. The graph appends its own (0,0,-1)
 * padding point, so the client adds none; like SAM 2's predictor, the box corners go before the clicks. Only the
 * three multimask candidates exist: a single answer is the best-scoring one.
 */
export const sam2Contract: Contract = {
  name: 'sam2',
  encoder: { required: ['image'] },
  decoder: {
    required: ['image_embed', 'high_res_feats_0', 'high_res_feats_1', 'point_coords', 'point_labels', 'mask_input', 'has_mask_input'],
  },
  decoderOutputs: ['masks', 'iou_predictions'],
  frame: stretchFrame,
  // samexporter's reference (sam2_onnx.py) resizes the best mask straight to the image size.
  directUpscale: true,

  encoderFeeds(Tensor, rgb) {
    return { image: new Tensor('float32', normalizeToSquare(rgb, IMAGENET_MEAN, IMAGENET_STD), [1, 3, MODEL_SIZE, MODEL_SIZE]) }
  },

  support: () => ({ box: true, mask: true, candidates: 3, singleMask: false }),

  decoderFeeds(Tensor, embeddings, prompt, frame) {
    const { coords, labels } = modelPromptPoints(frame, prompt.points ?? [], prompt.box, { boxFirst: true })
    const n = labels.length
    const { mask, has } = maskInput(Tensor, prompt)
    return {
      image_embed: embeddings.image_embed,
      high_res_feats_0: embeddings.high_res_feats_0,
      high_res_feats_1: embeddings.high_res_feats_1,
      point_coords: new Tensor('float32', Float32Array.from(coords), [1, n, 2]),
      point_labels: new Tensor('float32', Float32Array.from(labels), [1, n]),
      mask_input: mask,
      has_mask_input: has,
    }
  },

  candidates(outputs, multimask) {
    const all = lowResCandidates(outputs.iou_predictions, outputs.masks, ['iou_predictions', 'masks'])
    return multimask ? all : keepBest(all)
  },

  // Everything mode: L prompts of one object click each, no previous mask.
  clickBatch: {
    feeds(Tensor, embeddings, points, frame) {
      const count = points.length
      return {
        image_embed: embeddings.image_embed,
        high_res_feats_0: embeddings.high_res_feats_0,
        high_res_feats_1: embeddings.high_res_feats_1,
        point_coords: new Tensor('float32', Float32Array.from(points.flatMap((p) => toModelPoint(frame, p))), [count, 1, 2]),
        point_labels: new Tensor('float32', new Float32Array(count).fill(1), [count, 1]),
        mask_input: new Tensor('float32', new Float32Array(count * LOW_RES * LOW_RES), [count, 1, LOW_RES, LOW_RES]),
        has_mask_input: new Tensor('float32', new Float32Array(count), [count]),
      }
    },
    candidates: (outputs, count) => batchCandidates(outputs.iou_predictions, outputs.masks, ['iou_predictions', 'masks'], count),
  },
}
