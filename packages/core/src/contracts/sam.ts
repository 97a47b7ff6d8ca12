import { letterboxFrame, modelPromptPoints } from '../coordinates.js'
import { LOW_RES } from '../postprocess.js'
import { normalizeToSquare, MODEL_SIZE } from '../preprocess.js'
import { maskInput, plane, SAM_MEAN, SAM_STD, scoresOf, type Contract, type TensorCtor } from './Contract.js'

const ONE_PIXEL = (Tensor: TensorCtor) => new Tensor('float32', Float32Array.from([1, 1]), [2])

/**
 * `sam`: the official SAM decoder export (segment-anything's export_onnx_model.py), MobileSAM, and samexporter
 * encoders. Token 0 is the single-mask answer. The graph can upscale its masks to the image size itself, but at
 * 4000x3000 that is 4 x 12 M floats computed and copied out per decode: we ask it for a 1x1 image and upscale the
 * candidates we keep from `low_res_masks` with the same post-processing (postprocess.ts), edge pixels only.
 */
export const samContract: Contract = {
  name: 'sam',
  encoder: { required: ['input_image'] },
  decoder: {
    required: ['image_embeddings', 'point_coords', 'point_labels', 'mask_input', 'has_mask_input', 'orig_im_size'],
  },
  frame: letterboxFrame,

  encoderFeeds(Tensor, rgb, encoder) {
    const meta = encoder.inputMetadata.find((m) => m.name === 'input_image')
    // samexporter's --use-preprocess encoders take the resized image as HWC floats 0..255 and normalise in-graph.
    if (meta?.isTensor && meta.shape.length === 3) {
      return { input_image: new Tensor('float32', Float32Array.from(rgb.data), [rgb.height, rgb.width, 3]) }
    }
    const pixels = normalizeToSquare(rgb, SAM_MEAN, SAM_STD)
    return { input_image: new Tensor('float32', pixels, [1, 3, MODEL_SIZE, MODEL_SIZE]) }
  },

  decoderFeeds(Tensor, embeddings, prompt, frame) {
    const { coords, labels } = modelPromptPoints(frame, prompt.points ?? [], prompt.box)
    if (!prompt.box) {
      // Without a box the export expects one padding point.
      coords.push(0, 0)
      labels.push(-1)
    }
    const n = labels.length
    const { mask, has } = maskInput(Tensor, prompt)
    return {
      image_embeddings: embeddings.image_embeddings,
      point_coords: new Tensor('float32', Float32Array.from(coords), [1, n, 2]),
      point_labels: new Tensor('float32', Float32Array.from(labels), [1, n]),
      mask_input: mask,
      has_mask_input: has,
      // The size the graph upscales its `masks` output to: we use `low_res_masks` instead, so the smallest.
      orig_im_size: ONE_PIXEL(Tensor),
    }
  },

  candidates(outputs, multimask) {
    const scores = scoresOf(outputs.iou_predictions)
    const all = scores.map((score, k) => ({ score, lowRes: plane(outputs.low_res_masks, k, LOW_RES * LOW_RES) }))
    // K = 4: token 0 answers unambiguous prompts, tokens 1..3 are the multimask candidates. K = 1: single-mask export.
    if (all.length === 1) return all
    return multimask ? all.slice(1) : [all[0]]
  },
}


