/**
 * The SAM decoder architecture with random weights: its size is the published one, its IO that of CONTRACTS.md,
 * and @anymask/core runs it end to end (the masks are meaningless; shapes and plumbing are what count).
 */
import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import { createSegmenter } from '@anymask/core'
import { benchDecoderPath, liteModelPath } from '../src/paths.js'
import { buildSamDecoder, PUBLISHED_MASK_DECODER_PARAMETERS } from '../src/samDecoder.js'
import { makeScene } from '../../test/support/scenes.js'
import { describeIO, EXPECTED } from './expectedIO.js'

// Parameter count from the architecture as published (segment-anything), computed here layer by layer.
const linear = (i: number, o: number) => i * o + o
const attention = (downsample: number) => 3 * linear(256, 256 / downsample) + linear(256 / downsample, 256)
const layerNorm = (d: number) => 2 * d
const block = attention(1) + layerNorm(256) + attention(2) + layerNorm(256) + linear(256, 2048) + linear(2048, 256) + layerNorm(256) + layerNorm(256) + attention(2)
const transformer = 2 * block + attention(2) + layerNorm(256)
const upscaling = 256 * 64 * 4 + 64 + layerNorm(64) + 64 * 32 * 4 + 32
const hypernetworks = 4 * (linear(256, 256) + linear(256, 256) + linear(256, 32))
const iouHead = linear(256, 256) + linear(256, 256) + linear(256, 4)
const MASK_DECODER = 256 /* IoU token */ + 4 * 256 /* mask tokens */ + transformer + upscaling + hypernetworks + iouHead
const PROMPT_ENCODER = 5 * 256 + (1 * 4 * 4 + 4) + layerNorm(4) + (4 * 16 * 4 + 16) + layerNorm(16) + (16 * 256 + 256) + 256

describe('SAM decoder architecture (random weights)', () => {
  it('has the published mask decoder size (4.06 M, within 2%) and the layer-by-layer count', () => {
    const { maskDecoderParameters, promptEncoderParameters } = buildSamDecoder('sam')
    expect(maskDecoderParameters).toBe(MASK_DECODER)
    expect(promptEncoderParameters).toBe(PROMPT_ENCODER)
    expect(Math.abs(maskDecoderParameters / PUBLISHED_MASK_DECODER_PARAMETERS - 1)).toBeLessThan(0.02)
  })

  it.each(['sam', 'hf-sam'] as const)('has the %s decoder IO of CONTRACTS.md', async (contract) => {
    const session = await ort.InferenceSession.create(readFileSync(benchDecoderPath(contract)))
    expect(describeIO(session.inputMetadata)).toEqual(EXPECTED[contract].decoder[0])
    expect(describeIO(session.outputMetadata)).toEqual(EXPECTED[contract].decoder[1])
    await session.release()
  })

  it.each(['sam', 'hf-sam'] as const)('runs through @anymask/core in the %s contract with every kind of prompt', async (contract) => {
    const scene = makeScene(400, 300)
    const segmenter = await createSegmenter({
      model: { id: `sam-decoder-${contract}`, contract, encoder: readFileSync(liteModelPath(contract, 'encoder')), decoder: readFileSync(benchDecoderPath(contract)) },
      device: 'wasm',
    })
    const session = await segmenter.encode(scene)
    const point = { ...scene.objects[0].inside, label: 1 as const }
    const first = await session.decode({ points: [point] })
    expect(first.masks).toHaveLength(3)
    for (const mask of first.masks) expect([mask.width, mask.height]).toEqual([400, 300])
    expect(first.scores.every(Number.isFinite)).toBe(true)
    const refined = await session.decode({ points: [point, { x: 10, y: 10, label: 0 }], box: scene.objects[0].box, mask: first.lowRes[first.best] })
    expect(refined.masks[0].width).toBe(400)
    await segmenter.dispose()
  })
})
