import type { TypedTensor } from 'onnxruntime-web'
import { modelPromptPoints, stretchFrame } from '../coordinates.js'
import { LOW_RES } from '../postprocess.js'
import { normalizeToSquare, MODEL_SIZE } from '../preprocess.js'
import { keepBest, maskInput, plane, scoresOf, type Contract } from './Contract.js'

// ImageNet statistics on the 0..255 scale: (x / 255 - m) / s == (x - 255 m) / (255 s).
const MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255]
const STD = [0.229 * 255, 0.224 * 255, 0.225 * 255]

/**
 * `sam2`: SAM 2 / 2.1 as exported by samexporter. The image is stretched to the square (no padding), and the
 * decoder takes the encoder's high-resolution features besides the embedding.
 */
export const sam2Contract: Contract = {
  name: 'sam2',
  encoder: { required: ['image'] },
  decoder: {
    required: [
      'image_embed',
      'high_res_feats_0',
      'high_res_feats_1',
      'point_coords',
      'point_labels',
      'mask_input',
      'has_mask_input',
    ],
  },
  frame: stretchFrame,

  encoderFeeds(Tensor, rgb) {
    return { image: new Tensor('float32', normalizeToSquare(rgb, MEAN, STD), [1, 3, MODEL_SIZE, MODEL_SIZE]) }
  },

  decoderFeeds(Tensor, embeddings, prompt, frame) {
    const { coords, labels } = modelPromptPoints(frame, prompt.points ?? [], prompt.box)
    if (!prompt.box) {
      coords.push(0, 0)
      labels.push(-1)
    }
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
    const masks = outputs.masks as TypedTensor<'float32'>
    const all = scoresOf(outputs.iou_predictions).map((score, k) => ({ score, lowRes: plane(masks, k, LOW_RES * LOW_RES) }))
    return multimask ? all : keepBest(all)
  },
}
