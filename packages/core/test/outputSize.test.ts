/** Masks at display resolution (`maxSide`): the same answer as at full size, made smaller, in every contract. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnymaskError, createSegmenter, resizeMask, type ImageSession, type Segmenter } from '@anymask/core'
import { letterboxFrame, outputFrame } from '../src/coordinates.js'
import { CONTRACT_NAMES, liteSpec } from '../../../test/support/liteModels.js'
import { iou, makeScene } from '../../../test/support/scenes.js'

describe('outputFrame', () => {
  it('scales the image size to the longest side and keeps the model-space content', () => {
    const frame = letterboxFrame(4000, 3000)
    expect(outputFrame(frame, 1024)).toEqual({ width: 1024, height: 768, resizedWidth: 1024, resizedHeight: 768 })
    expect(outputFrame(letterboxFrame(333, 1000), 100)).toEqual({ ...letterboxFrame(333, 1000), width: 33, height: 100 })
    expect(outputFrame(frame, 5000)).toBe(frame)
    expect(outputFrame(frame)).toBe(frame)
  })
})

const scene = makeScene(2000, 1500)
const click = { points: [{ ...scene.objects[0].inside, label: 1 as const }] }

describe.each(CONTRACT_NAMES)('maxSide in the %s contract', (contract) => {
  let segmenter: Segmenter
  let session: ImageSession
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: liteSpec(contract), device: 'wasm' })
    session = await segmenter.encode(scene)
  })
  afterAll(() => segmenter.dispose())

  it('decode and preview give masks of the smaller size that agree with the full-size answer', async () => {
    const full = await session.decode(click)
    const small = await session.decode(click, { maxSide: 500 })
    const preview = (await session.preview(click, { maxSide: 500 }))!
    expect(small.masks.map((m) => [m.width, m.height])).toEqual(full.masks.map(() => [500, 375]))
    expect(iou(small.masks[small.best].data, resizeMask(full.masks[full.best], 500, 375).data)).toBeGreaterThanOrEqual(0.97)
    // A preview is the best candidate alone, the same bytes as the decode's best.
    expect(preview.masks).toHaveLength(1)
    expect(preview).toMatchObject({ best: 0, scores: [small.scores[small.best]] })
    expect(preview.masks[0].data).toEqual(small.masks[small.best].data)
    expect(preview.lowRes[0].data).toEqual(small.lowRes[small.best].data)
    expect(small.lowRes[small.best].data).toEqual(full.lowRes[full.best].data) // the logits do not depend on it
  })

  it("says where the time went: inside the decoder session, within the engine's time, within the wall time", async () => {
    const start = performance.now()
    const timings = (await session.decode(click)).timings!
    const wall = performance.now() - start
    expect(timings.decoder).toBeGreaterThan(0)
    expect(timings.engine).toBeGreaterThanOrEqual(timings.decoder)
    expect(wall).toBeGreaterThanOrEqual(timings.engine)
  })

  it('refuses a maxSide that is not a whole number of pixels', async () => {
    for (const maxSide of [0, 2.5, -3]) {
      await expect(session.decode(click, { maxSide })).rejects.toThrow(AnymaskError)
      await expect(session.preview(click, { maxSide })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringContaining('preview: options.maxSide is'),
      })
    }
  })
})
