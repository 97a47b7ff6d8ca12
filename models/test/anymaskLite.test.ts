import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import { liteModelPath } from '../src/paths.js'

type IO = Record<string, { type: string; shape: (number | string)[] }>

// Names, dtypes and shapes of CONTRACTS.md (symbolic dimensions by our names).
const EXPECTED: Record<string, { encoder: [IO, IO]; decoder: [IO, IO] }> = {
  sam: {
    encoder: [
      { input_image: { type: 'float32', shape: [1, 3, 1024, 1024] } },
      { image_embeddings: { type: 'float32', shape: [1, 256, 64, 64] } },
    ],
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

function describeIO(metadata: readonly ort.InferenceSession.ValueMetadata[]): IO {
  return Object.fromEntries(
    metadata.map((m) => [m.name, m.isTensor ? { type: m.type, shape: [...m.shape] } : { type: 'non-tensor', shape: [] }]),
  )
}

describe.each(Object.keys(EXPECTED))('anymask-lite %s graphs', (contract) => {
  it.each(['encoder', 'decoder'] as const)('%s has the IO of CONTRACTS.md', async (part) => {
    const session = await ort.InferenceSession.create(readFileSync(liteModelPath(contract as never, part)))
    expect(describeIO(session.inputMetadata)).toEqual(EXPECTED[contract][part][0])
    expect(describeIO(session.outputMetadata)).toEqual(EXPECTED[contract][part][1])
    await session.release()
  })

  it('the sam2 decoder answers several prompts in one run (L is dynamic)', async () => {
    if (contract !== 'sam2') return
    const enc = await ort.InferenceSession.create(readFileSync(liteModelPath('sam2', 'encoder')))
    const dec = await ort.InferenceSession.create(readFileSync(liteModelPath('sam2', 'decoder')))
    // Left half bright, right half dark (after ImageNet normalisation; exact 0 would read as padding).
    const image = new Float32Array(3 * 1024 * 1024).fill(-1)
    for (let c = 0; c < 3; c++) for (let y = 0; y < 1024; y++) image.fill(c === 0 ? 2 : 1, c * 1024 * 1024 + y * 1024, c * 1024 * 1024 + y * 1024 + 512)
    const e = await enc.run({ image: new ort.Tensor('float32', image, [1, 3, 1024, 1024]) })
    const out = await dec.run({
      ...e,
      point_coords: new ort.Tensor('float32', Float32Array.from([100, 500, 0, 0, 900, 500, 0, 0]), [2, 2, 2]),
      point_labels: new ort.Tensor('float32', Float32Array.from([1, -1, 1, -1]), [2, 2]),
      mask_input: new ort.Tensor('float32', new Float32Array(2 * 65536), [2, 1, 256, 256]),
      has_mask_input: new ort.Tensor('float32', new Float32Array(2), [2]),
    })
    expect(out.masks.dims).toEqual([2, 3, 256, 256])
    const masks = out.masks.data as Float32Array
    // Prompt 0 (left click) selects the left half, prompt 1 (right click) the right half.
    expect(masks[1 * 65536 + 128 * 256 + 10]).toBeGreaterThan(0)
    expect(masks[1 * 65536 + 128 * 256 + 250]).toBeLessThan(0)
    expect(masks[(3 + 1) * 65536 + 128 * 256 + 10]).toBeLessThan(0)
    expect(masks[(3 + 1) * 65536 + 128 * 256 + 250]).toBeGreaterThan(0)
  })
})
