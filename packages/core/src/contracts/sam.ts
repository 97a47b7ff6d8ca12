import type { Tensor } from 'onnxruntime-web'
import { letterboxFrame, modelPromptPoints } from '../coordinates.js'
import { LOW_RES } from '../postprocess.js'
import { normalizeToSquare, MODEL_SIZE } from '../preprocess.js'
import { lowResCandidates, maskInput, outputShape, SAM_MEAN, SAM_STD, type Contract, type Outputs, type TensorCtor } from './Contract.js'

const ONE_PIXEL = (Tensor: TensorCtor) => new Tensor('float32', Float32Array.from([1, 1]), [2])

/**
 * The low-res logits [1,K,256,256]. Exports made with `--return-extra-metrics` return five tensors under three
 * names, so `low_res_masks` lands on the stability scores [1,K] and the logits go unnamed: find them by shape.
 */
function lowResOutput(outputs: Outputs): Tensor | undefined {
  const isLowRes = (t: Tensor) => t.dims.length === 4 && t.dims[2] === LOW_RES && t.dims[3] === LOW_RES
  if (outputs.low_res_masks && isLowRes(outputs.low_res_masks)) return outputs.low_res_masks
  return Object.entries(outputs).find(([name, t]) => name !== 'masks' && isLowRes(t))?.[1]
}

/**
 * `sam`: the official SAM decoder export (segment-anything's export_onnx_model.py), MobileSAM, and samexporter
 * encoders. Token 0 is the single-mask answer. The graph can upscale its masks to the image size itself, but at
 * 4000x3000 that is 4 x 12 M floats computed and copied out per decode: we ask it for a 1x1 image and upscale the
 * candidates we keep from `low_res_masks` with the same post-processing (postprocess.ts), edge pixels only.
 *
 * Single-mask exports (`--return-single-mask`, K = 1, what samexporter and AnyLabeling publish) choose in the graph:
 * `argmax(iou + (N - 2.5) * [1000, 0, 0, 0])`, N counting padding points. So N >= 3 gives token 0 and N <= 2 the best
 * of tokens 1..3: we pad the points to get the answer asked for (CONTRACTS.md).
 */
export const samContract: Contract = {
  name: 'sam',
  encoder: { required: ['input_image'] },
  decoder: {
    required: ['image_embeddings', 'point_coords', 'point_labels', 'mask_input', 'has_mask_input', 'orig_im_size'],
  },
  decoderOutputs: ['masks', 'iou_predictions'],
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

  support(decoder) {
    const single = outputShape(decoder, 'iou_predictions')?.at(-1) === 1
    return { box: true, mask: true, candidates: single ? 1 : 3, singleMask: true }
  },

  decoderFeeds(Tensor, embeddings, prompt, frame, graph, multimask) {
    const { coords, labels } = modelPromptPoints(frame, prompt.points ?? [], prompt.box)
    const pad = () => {
      coords.push(0, 0)
      labels.push(-1)
    }
    // Without a box the export expects one padding point (SAM's own predictor adds it too).
    if (!prompt.box) pad()
    // A single-mask export answers with token 0 only from three points up (see above).
    if (graph.support.candidates === 1 && !multimask) while (labels.length < 3) pad()
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
    const all = lowResCandidates(outputs.iou_predictions, lowResOutput(outputs), ['iou_predictions', 'low_res_masks'])
    // K = 4: token 0 answers unambiguous prompts, tokens 1..3 are the multimask candidates. K = 1: the graph chose.
    if (all.length === 1) return all
    return multimask ? all.slice(1) : [all[0]]
  },
}
