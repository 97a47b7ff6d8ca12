/** The decoder and encoder IO of CONTRACTS.md, as onnxruntime reads it back from a graph (symbolic dims by our names). */
import type * as ort from 'onnxruntime-web'

export type IO = Record<string, { type: string; shape: (number | string)[] }>

export const EXPECTED: Record<string, { encoder: [IO, IO]; decoder: [IO, IO] }> = {
  sam: {
    encoder: [{ input_image: { type: 'float32', shape: [1, 3, 1024, 1024] } }, { image_embeddings: { type: 'float32', shape: [1, 256, 64, 64] } }],
    decoder: [
      {
        image_embeddings: { type: 'float32', shape: [1, 256, 64, 64] },
        point_coords: { type: 'float32', shape: [1, 'num_points', 2] },
        point_labels: { type: 'float32', shape: [1, 'num_points'] },
        mask_input: { type: 'float32', shape: [1, 1, 256, 256] },
        has_mask_input: { type: 'float32', shape: [1] },
        orig_im_size: { type: 'float32', shape: [2] },
      },
      {
        masks: { type: 'float32', shape: [1, 4, 'height', 'width'] },
        iou_predictions: { type: 'float32', shape: [1, 4] },
        low_res_masks: { type: 'float32', shape: [1, 4, 256, 256] },
      },
    ],
  },
  'hf-sam': {
    encoder: [
      { pixel_values: { type: 'float32', shape: ['batch', 3, 1024, 1024] } },
      {
        image_embeddings: { type: 'float32', shape: ['batch', 256, 64, 64] },
        image_positional_embeddings: { type: 'float32', shape: ['batch', 256, 64, 64] },
      },
    ],
    decoder: [
      {
        image_embeddings: { type: 'float32', shape: ['batch', 256, 64, 64] },
        image_positional_embeddings: { type: 'float32', shape: ['batch', 256, 64, 64] },
        input_points: { type: 'float32', shape: ['batch', 'point_batch', 'num_points', 2] },
        input_labels: { type: 'int64', shape: ['batch', 'point_batch', 'num_points'] },
        input_boxes: { type: 'float32', shape: ['batch', 'num_boxes', 4] },
        input_masks: { type: 'float32', shape: ['batch', 'num_masks', 256, 256] },
      },
      {
        iou_scores: { type: 'float32', shape: ['batch', 'point_batch', 3] },
        pred_masks: { type: 'float32', shape: ['batch', 'point_batch', 3, 256, 256] },
      },
    ],
  },
  sam2: {
    encoder: [
      { image: { type: 'float32', shape: [1, 3, 1024, 1024] } },
      {
        image_embed: { type: 'float32', shape: [1, 256, 64, 64] },
        high_res_feats_0: { type: 'float32', shape: [1, 32, 256, 256] },
        high_res_feats_1: { type: 'float32', shape: [1, 64, 128, 128] },
      },
    ],
    decoder: [
      {
        image_embed: { type: 'float32', shape: [1, 256, 64, 64] },
        high_res_feats_0: { type: 'float32', shape: [1, 32, 256, 256] },
        high_res_feats_1: { type: 'float32', shape: [1, 64, 128, 128] },
        point_coords: { type: 'float32', shape: ['num_labels', 'num_points', 2] },
        point_labels: { type: 'float32', shape: ['num_labels', 'num_points'] },
        mask_input: { type: 'float32', shape: ['num_labels', 1, 256, 256] },
        has_mask_input: { type: 'float32', shape: ['num_labels'] },
      },
      {
        masks: { type: 'float32', shape: ['num_labels', 3, 256, 256] },
        iou_predictions: { type: 'float32', shape: ['num_labels', 3] },
      },
    ],
  },
}

export function describeIO(metadata: readonly ort.InferenceSession.ValueMetadata[]): IO {
  return Object.fromEntries(metadata.map((m) => [m.name, m.isTensor ? { type: m.type, shape: [...m.shape] } : { type: 'non-tensor', shape: [] }]))
}
