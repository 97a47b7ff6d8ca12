/**
 * The interactive-segmentation evaluation (test/eval/selectEval.ts): the simulated user's clicks where the protocol
 * puts them, worked out by hand on small masks; the whole loop on a synthetic scene whose answer is known; and on
 * the GrabCut photographs, clicks that always land on the truth's object or background, never in its undecided band.
 */
import { describe, expect, it } from 'vitest'
import { createSegmenter } from '@anymask/core'
import { liteSpec } from '../support/liteModels.js'
import { makeScene } from '../support/scenes.js'
import { GRABCUT_DIR, grabcutSamples, hasGrabcut } from '../eval/grabcut.js'
import { evaluatePhoto, evaluateSelection, MAX_CLICKS, nextClick, summarise, truthBox } from '../eval/selectEval.js'

if (!hasGrabcut()) console.warn(`selectEval: ${GRABCUT_DIR} is absent; the check on real photographs is skipped.`)

/** A 100 x 100 truth: 255 inside the given rectangles, 0 elsewhere. */
function truthWith(...rects: [number, number, number, number][]) {
  const t = new Uint8Array(100 * 100)
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) t[y * 100 + x] = 255
  return t
}

describe('nextClick: where the simulated user clicks', () => {
  it('first, the object point farthest from its edge (the first such in row order)', () => {
    // Columns 10..29, rows 20..59: 10 px from the edge at best, first at (19, 29).
    expect(nextClick(new Uint8Array(100 * 100), truthWith([10, 20, 30, 60]), 100, 100)).toEqual({ x: 19, y: 29, label: 1 })
  })

  it('the image border counts as edge', () => {
    // Touching the left and top borders: the deepest point is 10 px from the border too, at (9, 9), not at (0, 0).
    expect(nextClick(new Uint8Array(100 * 100), truthWith([0, 0, 20, 100]), 100, 100)).toEqual({ x: 9, y: 9, label: 1 })
  })

  it('a wrongly taken region deeper than any miss gets a background click at its centre', () => {
    const truth = truthWith([10, 20, 30, 60])
    const prediction = truthWith([10, 20, 30, 60], [60, 60, 90, 90]).map((v) => (v ? 1 : 0))
    expect(nextClick(prediction, truth, 100, 100)).toEqual({ x: 74, y: 74, label: 0 })
  })

  it('no click once the prediction is right; undecided pixels are never an error', () => {
    const truth = truthWith([10, 20, 30, 60])
    expect(
      nextClick(
        truth.map((v) => (v ? 1 : 0)),
        truth,
        100,
        100,
      ),
    ).toBeNull()
    const undecided = truth.map((v) => (v ? 128 : 0))
    expect(nextClick(new Uint8Array(100 * 100), undecided, 100, 100)).toBeNull()
  })

  it('truthBox is the tight box of the object, exclusive at the far side', () => {
    expect(truthBox(truthWith([10, 20, 30, 60]), 100)).toEqual({ x0: 10, y0: 20, x1: 30, y1: 60 })
  })
})

describe('the evaluation loop', () => {
  it('on a synthetic scene anymask-lite knows exactly: box and first click at IoU >= 0.97', async () => {
    const scene = makeScene(320, 240)
    const truth = scene.objects[0].mask.map((v) => (v ? 255 : 0))
    const segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
    const figures = await evaluatePhoto(await segmenter.encode(scene), 'disc', truth)
    await segmenter.dispose()
    expect(figures.boxIou).toBeGreaterThanOrEqual(0.97)
    expect(figures.ious[0]).toBeGreaterThanOrEqual(0.97)
    expect(figures.ious).toHaveLength(MAX_CLICKS)
    expect([figures.noc85, figures.noc90]).toEqual([1, 1])
    expect(figures.clicks[0].label).toBe(1)
  })

  it.skipIf(!hasGrabcut())('on GrabCut photographs every click lands on the object (label 1) or the background (label 0)', async () => {
    const segmenter = await createSegmenter({ model: 'anymask-lite', device: 'wasm' })
    let photos = 0
    for (const { name, image, truth } of grabcutSamples()) {
      if (photos++ === 3) break
      const figures = await evaluatePhoto(await segmenter.encode(image), name, truth, 6)
      expect(figures.clicks.length).toBeGreaterThan(0)
      for (const c of figures.clicks) expect(truth[c.y * image.width + c.x], `${name} (${c.x}, ${c.y})`).toBe(c.label ? 255 : 0)
      expect(figures.ious.every((v) => v >= 0 && v <= 1)).toBe(true)
    }
    await segmenter.dispose()
  })
  // Issue 14's targets are box 0.88, one click 0.60, NoC@85 7, NoC@90 9. One click and the click counts are met (0.686,
  // 5.30 / 6.33 with the colour mixtures); box (0.865) is not, and is held here not to slip back (region growing had
  // 0.358, 0.315, 14.85 / 16.27; the region cut alone 0.847).
  it.skipIf(!hasGrabcut())(
    'anymask-lite on the 33 GrabCut photographs: one click >= 0.60, NoC@85 <= 7 and NoC@90 <= 9; box no worse than now',
    async () => {
      const s = summarise(await evaluateSelection('anymask-lite', grabcutSamples()))
      expect(s.photos).toBe(33)
      expect(s.boxIou).toBeGreaterThanOrEqual(0.86)
      expect(s.iou1).toBeGreaterThanOrEqual(0.6)
      expect(s.noc85).toBeLessThanOrEqual(7)
      expect(s.noc90).toBeLessThanOrEqual(9)
    },
    900_000,
  )
})
