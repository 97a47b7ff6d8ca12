/**
 * Everything mode: the generator's filters and NMS against a plain reference written from SAM's
 * `SamAutomaticMaskGenerator` (segment-anything, automatic_mask_generator.py: `_process_batch`, `_process_crop`),
 * then whole runs of anymask-lite on scenes of known objects in every contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSegmenter, toSamRecords, fromCocoRle, type EverythingBatch, type ImageSession, type Segmenter } from '@anymask/core'
import { letterboxFrame, stretchFrame, type ModelFrame } from '../src/coordinates.js'
import { checkEverythingOptions, gridPoints, MaskGenerator } from '../src/everything.js'
import { iou, makeScene, manyObjects } from '../../../test/support/scenes.js'
import { CONTRACT_NAMES, liteSpec } from '../../../test/support/liteModels.js'

const G = 256

/** A deterministic generator of numbers in [0, 1). */
function random(seed: number) {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

/** Logits of a rectangle of cells: `height` inside, falling by `slope` a cell outside it (so stability varies). */
function rectangleLogits(u0: number, v0: number, u1: number, v1: number, height: number, slope: number): Float32Array {
  const out = new Float32Array(G * G)
  for (let v = 0; v < G; v++) {
    for (let u = 0; u < G; u++) {
      const d = Math.max(u0 - u, u - u1, v0 - v, v - v1, 0) // cells outside the rectangle
      out[v * G + u] = d === 0 ? height : height - slope * d
    }
  }
  return out
}

type Cand = { score: number; lowRes: Float32Array }

/** SAM's algorithm, written plainly: predicted-IoU filter, stability filter, boxes, greedy NMS by predicted IoU. */
function reference(frame: ModelFrame, all: { cand: Cand; point: number }[], o: { predIou: number; stability: number; offset: number; nms: number }) {
  const inImage = (u: number, v: number) => u * 4 < frame.resizedWidth && v * 4 < frame.resizedHeight
  const kept: { box: number[]; score: number; index: number }[] = []
  all.forEach(({ cand }, index) => {
    if (!(cand.score > o.predIou)) return
    let above = 0
    let aboveMinus = 0
    let box: number[] | null = null
    for (let v = 0; v < G; v++) {
      for (let u = 0; u < G; u++) {
        if (!inImage(u, v)) continue
        const x = cand.lowRes[v * G + u]
        if (x > o.offset) above++
        if (x > -o.offset) aboveMinus++
        if (x > 0) box = box ? [Math.min(box[0], u), Math.min(box[1], v), Math.max(box[2], u), Math.max(box[3], v)] : [u, v, u, v]
      }
    }
    if (!(aboveMinus > 0 && above / aboveMinus >= o.stability) || !box) return
    const sx = (4 * frame.width) / frame.resizedWidth
    const sy = (4 * frame.height) / frame.resizedHeight
    kept.push({
      box: [box[0] * sx, box[1] * sy, Math.min(frame.width, (box[2] + 1) * sx), Math.min(frame.height, (box[3] + 1) * sy)],
      score: cand.score,
      index,
    })
  })
  const area = (b: number[]) => (b[2] - b[0]) * (b[3] - b[1])
  const overlap = (a: number[], b: number[]) => {
    const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]))
    const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]))
    return (w * h) / (area(a) + area(b) - w * h)
  }
  const order = [...kept].sort((a, b) => b.score - a.score || a.index - b.index)
  const result: typeof kept = []
  for (const k of order) if (!result.some((r) => overlap(r.box, k.box) > o.nms)) result.push(k)
  return result.map((r) => r.index)
}

describe('MaskGenerator against the reference', () => {
  it.each([
    ['letterbox 800x600', letterboxFrame(800, 600)],
    ['letterbox 333x1000', letterboxFrame(333, 1000)],
    ['stretch 1000x333', stretchFrame(1000, 333)],
  ])('%s: 120 points of overlapping random candidates, in uneven batches', (_name, frame) => {
    const next = random(frame.width + frame.height)
    const points = gridPoints(frame.width, frame.height, 11).slice(0, 120)
    // Eight objects, each seen by many points as rectangles a few cells apart: duplicates for NMS to remove.
    const [columns, rows] = [Math.ceil(frame.resizedWidth / 4), Math.ceil(frame.resizedHeight / 4)] // the image's cells
    const objects = Array.from({ length: 8 }, () => [
      Math.floor(next() * columns * 0.7),
      Math.floor(next() * rows * 0.7),
      8 + Math.floor(next() * columns * 0.25),
      8 + Math.floor(next() * rows * 0.25),
    ])
    const jitter = () => Math.floor(next() * 5) - 2
    const perPoint: Cand[][] = points.map(() =>
      Array.from({ length: 3 }, () => {
        const [u0, v0, w, h] = objects[Math.floor(next() * objects.length)]
        const lowRes = rectangleLogits(u0 + jitter(), v0 + jitter(), u0 + w + jitter(), v0 + h + jitter(), 2 + next() * 8, 0.5 + next() * 8)
        return { score: 0.8 + next() * 0.2, lowRes }
      }),
    )
    const config = { ...checkEverythingOptions({}), predIouThresh: 0.86, stabilityScoreThresh: 0.9 }
    const generator = new MaskGenerator(frame, config)
    const shown = new Set<number>()
    let start = 0
    for (const size of [1, 7, 30, 2, 64, 16]) {
      const { added, removed } = generator.add(points.slice(start, start + size), perPoint.slice(start, start + size))
      for (const s of removed) expect(shown.delete(s.id)).toBe(true)
      for (const s of added) shown.add(s.id)
      start += size
    }
    const flat = perPoint.flatMap((list, point) => list.map((cand) => ({ cand, point })))
    const expected = reference(frame, flat, { predIou: 0.86, stability: 0.9, offset: 1, nms: 0.7 })
    expect(expected.length).toBeGreaterThan(5) // the case is not trivial: several survive...
    expect(expected.length).toBeLessThan(flat.length / 8) // ...and NMS and the filters remove many
    const got = generator.result.map((s) => flat.findIndex((f) => f.cand.lowRes === s.lowRes))
    expect(got).toEqual(expected)
    expect([...shown].sort((a, b) => a - b)).toEqual(generator.result.map((s) => s.id).sort((a, b) => a - b)) // the stream adds up to the result
  })
})

describe('options', () => {
  it.each([
    [{ pointsPerSide: 0 }, 'options.pointsPerSide'],
    [{ pointsPerSide: 2.5 }, 'options.pointsPerSide'],
    [{ pointsPerBatch: 0 }, 'options.pointsPerBatch'],
    [{ predIouThresh: 1.2 }, 'options.predIouThresh'],
    [{ stabilityScoreThresh: -0.1 }, 'options.stabilityScoreThresh'],
    [{ boxNmsThresh: Number.NaN }, 'options.boxNmsThresh'],
    [{ stabilityScoreOffset: -1 }, 'options.stabilityScoreOffset'],
    [{ minMaskRegionArea: -5 }, 'options.minMaskRegionArea'],
    [{ cropNLayers: -1 }, 'options.cropNLayers'],
    [{ onMasks: 'draw' }, 'options.onMasks'],
    [{ pointsPerSides: 8 }, 'pointsPerSides'],
  ])('%o is refused, naming the option', (options, name) => {
    let error: { code?: string; message?: string } = {}
    try {
      checkEverythingOptions(options as never)
    } catch (e) {
      error = e as typeof error
    }
    expect(error.code).toBe('INVALID_OPTION')
    expect(error.message).toContain(name)
  })

  it("SAM's defaults, with 16 points a side", () => {
    const { onMasks, signal, maxSide, ...config } = checkEverythingOptions(undefined)
    expect(config).toEqual({
      pointsPerSide: 16,
      pointsPerBatch: 64,
      predIouThresh: 0.88,
      stabilityScoreThresh: 0.95,
      stabilityScoreOffset: 1,
      boxNmsThresh: 0.7,
      cropNLayers: 0,
      cropNmsThresh: 0.7,
      cropOverlapRatio: 512 / 1500,
      cropNPointsDownscaleFactor: 1,
      minMaskRegionArea: 0,
      skipCovered: false,
    })
  })
})

describe.each(CONTRACT_NAMES)('everything with anymask-lite, %s contract', (contract) => {
  const scene = makeScene(360, 240, manyObjects(6))
  let segmenter: Segmenter
  let session: ImageSession
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: liteSpec(contract), device: 'wasm' })
    session = await segmenter.encode(scene)
  }, 60_000)
  afterAll(() => segmenter.dispose())

  it('finds each of the 6 objects (IoU >= 0.9), no duplicates, streamed in batches that add up to the result', async () => {
    const batches: EverythingBatch[] = []
    const result = await session.everything({ pointsPerSide: 6, pointsPerBatch: 12, onMasks: (b) => batches.push(b) })
    for (const object of scene.objects) {
      const best = Math.max(...result.masks.map((m) => iou(m.mask.data, object.mask)))
      expect(best, object.name).toBeGreaterThanOrEqual(0.9)
    }
    // No duplicates: each object is found by one mask, and no region twice. Pieces of the textured background may
    // overlap more than 0.7 where their boxes do not (SAM's NMS is by box): in the sam2 contract the whole background
    // and its top half, masks at IoU 0.82, boxes at 0.698.
    for (const object of scene.objects) expect(result.masks.filter((m) => iou(m.mask.data, object.mask) >= 0.5).length, object.name).toBe(1)
    for (const [i, a] of result.masks.entries()) for (const b of result.masks.slice(i + 1)) expect(iou(a.mask.data, b.mask.data)).toBeLessThan(0.9)
    expect(batches.map((b) => b.done)).toEqual([1, 3, 7, 15, 27, 36]) // groups of 1, 2, 4, 8, then 12: the first masks come early
    const shown = new Map<number, unknown>()
    for (const b of batches) {
      for (const id of b.removed) expect(shown.delete(id)).toBe(true)
      for (const m of b.added) shown.set(m.id, m)
    }
    expect(new Set(shown.values())).toEqual(new Set(result.masks))
    expect(result).toMatchObject({ decoded: 36, total: 36 })
    // Scores as SAM orders them; each mask says where it came from, and its point lies inside it.
    expect(result.masks.map((m) => m.score)).toEqual(result.masks.map((m) => m.score).sort((a, b) => b - a))
    for (const m of result.masks) expect(m.mask.data[Math.floor(m.point.y) * scene.width + Math.floor(m.point.x)]).toBe(255)
  }, 120_000)

  it("exports SAM's records, COCO RLE that decodes to the same masks", async () => {
    const { masks } = await session.everything({ pointsPerSide: 3 })
    const records = toSamRecords(masks)
    expect(records).toHaveLength(masks.length)
    for (const [i, r] of records.entries()) {
      const m = masks[i].mask
      expect(fromCocoRle(r.segmentation).data).toEqual(m.data)
      expect(r).toMatchObject({ area: m.area, predicted_iou: masks[i].score, stability_score: masks[i].stability, crop_box: [0, 0, 360, 240] })
      expect(r.bbox).toEqual([m.bbox.x0, m.bbox.y0, m.bbox.x1 - 1 - m.bbox.x0, m.bbox.y1 - 1 - m.bbox.y0])
      expect(r.point_coords).toEqual([[masks[i].point.x, masks[i].point.y]])
    }
  }, 60_000)

  it('stops at its AbortSignal', async () => {
    const controller = new AbortController()
    const run = session.everything({ pointsPerSide: 6, pointsPerBatch: 6, onMasks: () => controller.abort(), signal: controller.signal })
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' })
  }, 60_000)
})

describe('everything with crop layers (anymask-lite, sam contract)', () => {
  const scene = makeScene(360, 240, manyObjects(6))
  let segmenter: Segmenter
  let session: ImageSession
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
    session = await segmenter.encode(scene)
  }, 60_000)
  afterAll(() => segmenter.dispose())

  it('with a crop layer: the same objects, once each, the crops encoded and their masks placed back', async () => {
    const batches: EverythingBatch[] = []
    const result = await session.everything({ pointsPerSide: 6, cropNLayers: 1, cropNPointsDownscaleFactor: 2, onMasks: (b) => batches.push(b) })
    expect(result.total).toBe(36 + 4 * 9) // the whole image 6 x 6 points, its 4 crops 3 x 3 each
    expect(batches.at(-1)!.done).toBe(72)
    for (const object of scene.objects) {
      const matches = result.masks.filter((m) => iou(m.mask.data, object.mask) >= 0.9)
      expect(matches.length, object.name).toBe(1)
    }
    for (const m of result.masks) {
      expect([m.mask.width, m.mask.height]).toEqual([360, 240])
      expect(m.mask.data[Math.floor(m.point.y) * scene.width + Math.floor(m.point.x)]).toBe(255) // the point, in the image's pixels
    }
  }, 120_000)

  it('skipCovered decodes fewer grid points and still finds every object', async () => {
    const all = await session.everything({ pointsPerSide: 8, pointsPerBatch: 8 })
    const skipped = await session.everything({ pointsPerSide: 8, pointsPerBatch: 8, skipCovered: true })
    expect(all.decoded).toBe(64)
    expect(skipped.decoded).toBeLessThan(64) // points inside objects found earlier are not decoded
    for (const object of scene.objects) expect(Math.max(...skipped.masks.map((m) => iou(m.mask.data, object.mask))), object.name).toBeGreaterThanOrEqual(0.9)
  }, 120_000)
})
