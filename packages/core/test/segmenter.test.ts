import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSegmenter, type ImageSession, type ProgressEvent, type Segmenter } from '@anymask/core'
import { liteSpec } from '../../../test/support/liteModels.js'
import { iou, makeScene } from '../../../test/support/scenes.js'

const scene = makeScene(320, 240)
const disc = scene.objects[0]

describe('createSegmenter', () => {
  it('defaults to the embedded anymask-lite, offline, and reports progress to ready', async () => {
    const events: ProgressEvent[] = []
    const segmenter = await createSegmenter({ onProgress: (e) => events.push(e) })
    expect(segmenter.model.id).toBe('anymask-lite')
    expect(segmenter.device).toBe('wasm') // Node has no WebGPU
    expect(events.map((e) => e.status)).toEqual(['download', 'download', 'init', 'ready'])
    const session = await segmenter.encode(scene)
    const result = await session.decode({ points: [{ ...disc.inside, label: 1 }] })
    expect(iou(result.masks[result.best].data, disc.mask)).toBeGreaterThanOrEqual(0.97)
    await segmenter.dispose()
  })
})

describe('ImageSession', () => {
  let segmenter: Segmenter
  let session: ImageSession
  const events: ProgressEvent[] = []
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm', onProgress: (e) => events.push(e) })
    session = await segmenter.encode(scene)
  })
  afterAll(() => segmenter.dispose())

  it('follows SAM multimask rule by default, and the option overrides it', async () => {
    const point = { ...disc.inside, label: 1 as const }
    expect((await session.decode({ points: [point] })).masks).toHaveLength(3)
    expect((await session.decode({ points: [point, point] })).masks).toHaveLength(1)
    expect((await session.decode({ box: disc.box })).masks).toHaveLength(1)
    expect((await session.decode({ points: [point] }, { multimask: false })).masks).toHaveLength(1)
    const many = await session.decode({ points: [point, point] }, { multimask: true })
    expect(many.masks).toHaveLength(3)
    expect(many.scores).toHaveLength(3)
    expect(many.best).toBe(many.scores.indexOf(Math.max(...many.scores)))
    expect(many.lowRes.every((m) => m.width === 256 && m.height === 256 && m.data.length === 65536)).toBe(true)
  })

  it('fills in each mask bbox, area and score', async () => {
    const result = await session.decode({ points: [{ ...disc.inside, label: 1 }] })
    const mask = result.masks[result.best]
    expect(mask.area).toBe(mask.data.filter((v) => v === 255).length)
    expect(mask.data.every((v) => v === 0 || v === 255)).toBe(true)
    expect(mask.bbox).toEqual(disc.box)
    expect(mask.score).toBe(result.scores[result.best])
  })

  it('encodes an image already seen without running the encoder again', async () => {
    const encodes = () => events.filter((e) => e.status === 'encode').length
    const before = encodes()
    const again = await segmenter.encode({ ...scene, data: scene.data.slice() })
    expect(encodes()).toBe(before)
    const other = makeScene(320, 240)
    other.data[0] ^= 0xff // one different pixel is another image
    const third = await segmenter.encode(other)
    expect(encodes()).toBe(before + 1)
    again.dispose()
    third.dispose()
  })

  it('preview: a burst of 50 calls decodes the first and the last; the rest resolve to null', async () => {
    const prompts = Array.from({ length: 50 }, (_, i) => ({
      points: [{ x: disc.inside.x + (i % 10), y: disc.inside.y, label: 1 as const }],
    }))
    const results = await Promise.all(prompts.map((p) => session.preview(p)))
    expect(results.map((r) => r !== null)).toEqual(prompts.map((_, i) => i === 0 || i === 49))
    expect(iou(results[49]!.masks[results[49]!.best].data, disc.mask)).toBeGreaterThanOrEqual(0.97)
  })
})

describe('negative points', () => {
  // Two touching halves of nearly the same red (OKLab distance about 0.035): the colour models tell them apart, so one
  // click keeps to its own half, and a background click on the other half keeps it out.
  const width = 300
  const height = 200
  const data = new Uint8ClampedArray(width * height * 4)
  const left = new Uint8Array(width * height)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      const inLeft = x >= 40 && x < 150 && y >= 40 && y < 160
      const inRight = x >= 150 && x < 260 && y >= 40 && y < 160
      left[i] = inLeft ? 1 : 0
      data.set(inLeft ? [200, 50, 50, 255] : inRight ? [200, 72, 50, 255] : [60, 170, 80, 255], i * 4)
    }

  it('keep a similar neighbouring region out', async () => {
    const segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
    const session = await segmenter.encode({ data, width, height })
    const click = { x: 90, y: 100, label: 1 as const }
    const one = await session.decode({ points: [click] }, { multimask: false })
    expect(iou(one.masks[0].data, left)).toBeGreaterThanOrEqual(0.97)
    const cut = await session.decode({ points: [click, { x: 210, y: 100, label: 0 }] })
    expect(iou(cut.masks[0].data, left)).toBeGreaterThanOrEqual(0.97)
    await segmenter.dispose()
  })
})
