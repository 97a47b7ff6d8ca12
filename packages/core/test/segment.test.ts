import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMask, createSegmenter, type ImageSession, type Segmentation, type Segmenter } from '@anymask/core'
import { iou, makeScene, SCENE_SIZES } from '../../../test/support/scenes.js'
import { CONTRACT_NAMES, liteSpec } from '../../../test/support/liteModels.js'
import { LITE_PREPROCESS_ENCODER } from '../../../models/src/paths.js'

const best = (r: Segmentation) => r.masks[r.best]

describe.each(CONTRACT_NAMES)('anymask-lite, %s contract, in Node (WASM)', (contract) => {
  let segmenter: Segmenter
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: liteSpec(contract), device: 'wasm' })
  })
  afterAll(() => segmenter.dispose())

  describe.each(SCENE_SIZES)('%i x %i scene', (width, height) => {
    const scene = makeScene(width, height)
    let session: ImageSession
    beforeAll(async () => {
      session = await segmenter.encode(scene)
    }, 60_000)
    afterAll(() => session.dispose())

    it.each(scene.objects.map((o, k) => [o.name, k] as const))('%s: a click', async (_name, k) => {
      const object = scene.objects[k]
      const result = await session.decode({ points: [{ ...object.inside, label: 1 }] })
      expect(result.masks).toHaveLength(3) // one point alone: SAM's multimask rule
      expect(best(result).width).toBe(width)
      expect(best(result).height).toBe(height)
      expect(iou(best(result).data, object.mask)).toBeGreaterThanOrEqual(0.97)
    })

    it.each(scene.objects.map((o, k) => [o.name, k] as const))('%s: a click and a background click', async (_name, k) => {
      const object = scene.objects[k]
      const result = await session.decode({
        points: [
          { ...object.inside, label: 1 },
          { ...scene.background, label: 0 },
        ],
      })
      expect(result.masks).toHaveLength(1) // several points: the single-mask answer
      expect(iou(best(result).data, object.mask)).toBeGreaterThanOrEqual(0.97)
    })

    it.each(scene.objects.map((o, k) => [o.name, k] as const))('%s: a box', async (_name, k) => {
      const object = scene.objects[k]
      const result = await session.decode({ box: object.box })
      expect(iou(best(result).data, object.mask)).toBeGreaterThanOrEqual(0.97)
    })

    it.each(scene.objects.map((o, k) => [o.name, k] as const))('%s: a box and a click', async (_name, k) => {
      const object = scene.objects[k]
      const result = await session.decode({ box: object.box, points: [{ ...object.inside, label: 1 }] })
      expect(result.masks).toHaveLength(1)
      expect(iou(best(result).data, object.mask)).toBeGreaterThanOrEqual(0.97)
    })

    it.each(scene.objects.map((o, k) => [o.name, k] as const))('%s: refinement from the previous mask', async (_name, k) => {
      const object = scene.objects[k]
      const first = await session.decode({ points: [{ ...object.inside, label: 1 }] })
      const refined = await session.decode({
        points: [{ ...object.inside, label: 1 }],
        mask: first.lowRes[first.best],
      })
      expect(iou(best(refined).data, object.mask)).toBeGreaterThanOrEqual(0.97)
    })

    it.each(scene.objects.map((o, k) => [o.name, k] as const))('%s: its mask from elsewhere, alone, as the prompt (maskPrompt)', async (_name, k) => {
      const truth = createMask(
        width,
        height,
        scene.objects[k].mask.map((v) => v * 255),
      )
      const { box, mask } = session.maskPrompt(truth)
      expect(box).toEqual(truth.bbox)
      const result = await session.decode({ mask })
      expect(iou(best(result).data, scene.objects[k].mask)).toBeGreaterThanOrEqual(0.97)
    })

    it('maskPrompt refuses a mask of another size or an empty one, saying why', () => {
      expect(() => session.maskPrompt(createMask(width + 1, height, new Uint8Array((width + 1) * height)))).toThrow(
        expect.objectContaining({ code: 'INVALID_PROMPT', message: expect.stringContaining('resizeMask') }),
      )
      expect(() => session.maskPrompt(createMask(width, height, new Uint8Array(width * height).fill(127)))).toThrow(
        expect.objectContaining({ code: 'INVALID_PROMPT', message: expect.stringContaining('empty') }),
      )
    })
  })
})

describe('a sam encoder that preprocesses in-graph (samexporter --use-preprocess)', () => {
  it('is detected by its input rank and gives the same masks', async () => {
    const plain = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
    const inGraph = await createSegmenter({
      model: { ...liteSpec('sam'), id: 'lite-use-preprocess', encoder: readFileSync(LITE_PREPROCESS_ENCODER) },
      device: 'wasm',
    })
    for (const [width, height] of [
      [800, 600],
      [333, 1000],
    ] as const) {
      const scene = makeScene(width, height)
      const [a, b] = await Promise.all([plain.encode(scene), inGraph.encode(scene)])
      for (const object of scene.objects) {
        const prompt = { points: [{ ...object.inside, label: 1 as const }] }
        const [ra, rb] = await Promise.all([a.decode(prompt), b.decode(prompt)])
        expect(iou(best(rb).data, best(ra).data)).toBeGreaterThanOrEqual(0.999)
        expect(iou(best(rb).data, object.mask)).toBeGreaterThanOrEqual(0.97)
      }
    }
    await Promise.all([plain.dispose(), inGraph.dispose()])
  })
})
