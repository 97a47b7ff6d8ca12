/**
 * MobileSAM's architecture (TinyViT-5M encoder, SAM decoder) with random weights: its size is the published one,
 * its IO that of CONTRACTS.md, and @anymask/core runs it end to end (the masks are meaningless; shapes and
 * plumbing are what count).
 */
import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import { createSegmenter } from '@anymask/core'
import { SAM_MEAN, SAM_STD } from '../../packages/core/src/contracts/Contract.js'
import { letterboxFrame } from '../../packages/core/src/coordinates.js'
import { normalizeToSquare, resizeToRgb } from '../../packages/core/src/preprocess.js'
import { benchModelPath } from '../src/paths.js'
import { buildSamDecoder, PUBLISHED_MASK_DECODER_PARAMETERS } from '../src/samDecoder.js'
import { buildTinyVitEncoder, PUBLISHED_TINYVIT_PARAMETERS } from '../src/tinyVitEncoder.js'
import { makeScene } from '../../test/support/scenes.js'
import { describeIO, EXPECTED } from './expectedIO.js'

// Parameter count from the architecture as published (segment-anything), computed here layer by layer.
const linear = (i: number, o: number) => i * o + o
const attention = (downsample: number) => 3 * linear(256, 256 / downsample) + linear(256 / downsample, 256)
const layerNorm = (d: number) => 2 * d
const block =
  attention(1) + layerNorm(256) + attention(2) + layerNorm(256) + linear(256, 2048) + linear(2048, 256) + layerNorm(256) + layerNorm(256) + attention(2)
const transformer = 2 * block + attention(2) + layerNorm(256)
const upscaling = 256 * 64 * 4 + 64 + layerNorm(64) + 64 * 32 * 4 + 32
const hypernetworks = 4 * (linear(256, 256) + linear(256, 256) + linear(256, 32))
const iouHead = linear(256, 256) + linear(256, 256) + linear(256, 4)
const MASK_DECODER = 256 /* IoU token */ + 4 * 256 /* mask tokens */ + transformer + upscaling + hypernetworks + iouHead
const PROMPT_ENCODER = 5 * 256 + (1 * 4 * 4 + 4) + layerNorm(4) + (4 * 16 * 4 + 16) + layerNorm(16) + (16 * 256 + 256) + 256

// TinyViT-5M as MobileSAM publishes it (tiny_vit_sam.py), counted the same way: Conv2d_BN = conv weights + BN weight
// and bias; the attention bias has one value per head and (|dy|, |dx|) offset of a window.
const convBn = (i: number, o: number, k: number, groups = 1) => (i / groups) * o * k * k + 2 * o
const mbConv = (d: number) => convBn(d, 4 * d, 1) + convBn(4 * d, 4 * d, 3, 4 * d) + convBn(4 * d, d, 1)
const merging = (i: number, o: number) => convBn(i, o, 1) + convBn(o, o, 3, o) + convBn(o, o, 1)
const vitBlock = (d: number, heads: number, window: number) =>
  layerNorm(d) + linear(d, 3 * d) + linear(d, d) + heads * window * window + convBn(d, d, 3, d) + layerNorm(d) + linear(d, 4 * d) + linear(4 * d, d)
const TINYVIT =
  convBn(3, 32, 3) +
  convBn(32, 64, 3) +
  2 * mbConv(64) +
  merging(64, 128) +
  2 * vitBlock(128, 4, 7) +
  merging(128, 160) +
  6 * vitBlock(160, 5, 14) +
  merging(160, 320) +
  2 * vitBlock(320, 10, 7) +
  320 * 256 +
  layerNorm(256) +
  256 * 256 * 9 +
  layerNorm(256) // neck
const HF_SAM_DECODER_INPUTS = Object.fromEntries(Object.entries(EXPECTED['hf-sam'].decoder[0]).filter(([name]) => name !== 'input_masks'))

// TinyViT encodes take seconds each and these tests run several: under the full suite's load one took 69 s (60 s is
// the node project's limit), 11 s alone.
describe('MobileSAM architecture (random weights)', { timeout: 240_000 }, () => {
  it('has the published mask decoder size (4.06 M, within 2%) and the layer-by-layer count', () => {
    const { maskDecoderParameters, promptEncoderParameters } = buildSamDecoder('sam')
    expect(maskDecoderParameters).toBe(MASK_DECODER)
    expect(promptEncoderParameters).toBe(PROMPT_ENCODER)
    expect(Math.abs(maskDecoderParameters / PUBLISHED_MASK_DECODER_PARAMETERS - 1)).toBeLessThan(0.02)
  })

  it('has the published MobileSAM encoder size (TinyViT-5M, 5.78 M, within 2%) and the layer-by-layer count', () => {
    const { parameters } = buildTinyVitEncoder('sam')
    expect(parameters).toBe(TINYVIT)
    expect(Math.abs(parameters / PUBLISHED_TINYVIT_PARAMETERS - 1)).toBeLessThan(0.02)
  })

  it.each(['sam', 'hf-sam'] as const)('has the %s IO of CONTRACTS.md (hf-sam: the inputs transformers.js feeds)', async (contract) => {
    const encoder = await ort.InferenceSession.create(readFileSync(benchModelPath(contract, 'encoder')))
    expect(describeIO(encoder.inputMetadata)).toEqual(EXPECTED[contract].encoder[0])
    expect(describeIO(encoder.outputMetadata)).toEqual(EXPECTED[contract].encoder[1])
    const decoder = await ort.InferenceSession.create(readFileSync(benchModelPath(contract, 'decoder')))
    expect(describeIO(decoder.inputMetadata)).toEqual(contract === 'hf-sam' ? HF_SAM_DECODER_INPUTS : EXPECTED[contract].decoder[0])
    expect(describeIO(decoder.outputMetadata)).toEqual(EXPECTED[contract].decoder[1])
    await Promise.all([encoder.release(), decoder.release()])
  })

  it('emits a random-Fourier positional embedding from the hf-sam encoder (sin^2 + cos^2 = 1 at every cell)', async () => {
    const encoder = await ort.InferenceSession.create(readFileSync(benchModelPath('hf-sam', 'encoder')))
    const pixels = new ort.Tensor('float32', new Float32Array(3 * 1024 * 1024), [1, 3, 1024, 1024])
    const { image_positional_embeddings: pe } = await encoder.run({ pixel_values: pixels })
    const data = pe.data as Float32Array
    const plane = 64 * 64
    let worst = 0
    for (let f = 0; f < 128; f++)
      for (let i = 0; i < plane; i++) worst = Math.max(worst, Math.abs(data[f * plane + i] ** 2 + data[(128 + f) * plane + i] ** 2 - 1))
    expect(worst).toBeLessThan(1e-5)
    expect(new Set(Array.from(data.subarray(0, plane), (v) => v.toFixed(3))).size).toBeGreaterThan(1000) // varies by cell
    await encoder.release()
  })

  it.each(['sam', 'hf-sam'] as const)('runs through @anymask/core in the %s contract with every prompt it takes', async (contract) => {
    const scene = makeScene(400, 300)
    const segmenter = await createSegmenter({
      model: {
        id: `mobile-sam-bench-${contract}`,
        contract,
        encoder: readFileSync(benchModelPath(contract, 'encoder')),
        decoder: readFileSync(benchModelPath(contract, 'decoder')),
      },
      device: 'wasm',
    })
    const session = await segmenter.encode(scene)
    const point = { ...scene.objects[0].inside, label: 1 as const }
    const first = await session.decode({ points: [point] })
    expect(first.masks).toHaveLength(3)
    for (const mask of first.masks) expect([mask.width, mask.height]).toEqual([400, 300])
    expect(first.scores.every(Number.isFinite)).toBe(true)
    const withBox = await session.decode({ points: [point, { x: 10, y: 10, label: 0 }], box: scene.objects[0].box })
    expect(withBox.masks[0].width).toBe(400)
    const withMask = session.decode({ points: [point], mask: first.lowRes[first.best] })
    if (contract === 'sam') expect((await withMask).masks[0].height).toBe(300)
    // Like the transformers.js exports, the hf-sam decoder has no input_masks: a clear error, not a silent drop.
    else
      await expect(withMask).rejects.toMatchObject({
        code: 'INVALID_PROMPT',
        message: expect.stringMatching(/cannot take a previous mask: its decoder export has no input for it/),
      })
    await segmenter.dispose()
  })

  it("gives, in the sam contract, the masks of the graph's own upscaling (which @anymask/core skips)", async () => {
    const [width, height] = [900, 700]
    const scene = makeScene(width, height)
    const decoderBytes = readFileSync(benchModelPath('sam', 'decoder'))
    const segmenter = await createSegmenter({
      model: { id: 'mobile-sam-bench-sam', contract: 'sam', encoder: readFileSync(benchModelPath('sam', 'encoder')), decoder: decoderBytes },
      device: 'wasm',
    })
    const session = await segmenter.encode(scene)
    const point = { ...scene.objects[0].inside, label: 1 as const }
    const ours = await session.decode({ points: [point] })
    // The same decode through the bare graph, with the embedding fed back: its `masks` output at the image size.
    const encoder = await ort.InferenceSession.create(readFileSync(benchModelPath('sam', 'encoder')))
    const frame = letterboxFrame(width, height)
    const pixels = normalizeToSquare(resizeToRgb(scene, frame.resizedWidth, frame.resizedHeight), SAM_MEAN, SAM_STD)
    const { image_embeddings } = await encoder.run({ input_image: new ort.Tensor('float32', pixels, [1, 3, 1024, 1024]) })
    const decoder = await ort.InferenceSession.create(decoderBytes)
    const s = frame.resizedWidth / width
    const graph = await decoder.run({
      image_embeddings,
      point_coords: new ort.Tensor('float32', Float32Array.from([point.x * s, point.y * s, 0, 0]), [1, 2, 2]),
      point_labels: new ort.Tensor('float32', Float32Array.from([1, -1]), [1, 2]),
      mask_input: new ort.Tensor('float32', new Float32Array(256 * 256), [1, 1, 256, 256]),
      has_mask_input: new ort.Tensor('float32', Float32Array.from([0]), [1]),
      orig_im_size: new ort.Tensor('float32', Float32Array.from([height, width]), [2]),
    })
    const full = graph.masks.data as Float32Array
    for (const [k, mask] of ours.masks.entries()) {
      const logits = full.subarray((k + 1) * width * height, (k + 2) * width * height) // tokens 1..3: the multimask answers
      let differing = 0
      let inside = 0
      let worst = 0
      for (let i = 0; i < logits.length; i++) {
        if (logits[i] > 0) inside++
        if ((logits[i] > 0 ? 255 : 0) !== mask.data[i]) {
          differing++
          worst = Math.max(worst, Math.abs(logits[i]))
        }
      }
      expect(inside).toBeGreaterThan(0)
      // Only where the graph's logit is within float32 rounding of 0 (ORT computes sample positions in float32;
      // these random-weight logits cross 0 far more often than a real mask does).
      expect(worst).toBeLessThan(1e-3)
      expect(differing / logits.length).toBeLessThan(1e-3)
    }
    await Promise.all([encoder.release(), decoder.release(), segmenter.dispose()])
  })
})
