/**
 * ViewController: the screen side of the selection tool. Views are worked out by hand from the viewport and image
 * sizes; what reaches the selection is read back from a real SelectionController on anymask-lite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSegmenter, SelectionController, ViewController, type Segmenter } from '@anymask/core'
import { liteSpec } from '../../../test/support/liteModels.js'
import { makeScene } from '../../../test/support/scenes.js'

const scene = makeScene(320, 240)
const [disc] = scene.objects

describe('ViewController', () => {
  let segmenter: Segmenter
  let selection: SelectionController
  let viewer: ViewController
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
  })
  afterAll(() => segmenter.dispose())

  /** A 640 x 480 viewport showing the 320 x 240 scene: fitted at scale 2, no offset. */
  const ready = async () => {
    selection = new SelectionController()
    selection.setSegmenter(segmenter)
    await selection.setImage(scene)
    viewer = new ViewController(selection)
    viewer.setSize(640, 480)
    viewer.setImage(selection.getSnapshot().image)
    return viewer
  }
  const points = () => selection.getSnapshot().selection.objects.flatMap((o) => o.points)
  const click = async (sx: number, sy: number, extra = {}) => {
    viewer.pointerDown({ sx, sy, ...extra })
    viewer.pointerUp({ sx, sy, ...extra })
    await selection.store.idle()
  }

  it('fits the image, and keeps fitting it as the viewport resizes until the user zooms', async () => {
    await ready()
    expect(viewer.getSnapshot()).toEqual({ view: { scale: 2, x: 0, y: 0 }, width: 640, height: 480 })
    viewer.setSize(640, 240) // height-bound: scale 1, centred horizontally
    expect(viewer.getSnapshot().view).toEqual({ scale: 1, x: 160, y: 0 })
    viewer.zoom(2, { sx: 160, sy: 0 })
    viewer.setSize(640, 480)
    expect(viewer.getSnapshot().view).toEqual({ scale: 2, x: 160, y: 0 }) // the user's zoom stays
    expect(viewer.keyDown({ key: '0' })).toBe(true)
    expect(viewer.getSnapshot().view).toEqual({ scale: 2, x: 0, y: 0 })
  })

  it('a new image forgets the zoom and pan', async () => {
    await ready()
    viewer.wheel({ sx: 0, sy: 0, deltaY: -200 })
    expect(viewer.getSnapshot().view.scale).toBeGreaterThan(2)
    viewer.setImage({ width: 100, height: 100 })
    expect(viewer.getSnapshot().view).toEqual({ scale: 4.8, x: 80, y: 0 })
  })

  it('a click lands on the image pixel under it, whatever the zoom', async () => {
    await ready()
    viewer.wheel({ sx: 100, sy: 50, deltaY: -400 }) // zoom in around (100, 50): that image point stays there
    const { view } = viewer.getSnapshot()
    expect(view.scale).toBeCloseTo(2 * Math.exp(0.6), 10)
    expect((100 - view.x) / view.scale).toBeCloseTo(50, 10)
    await click(disc.inside.x * view.scale + view.x + 0.5, disc.inside.y * view.scale + view.y + 0.5)
    expect(points()).toEqual([{ x: disc.inside.x, y: disc.inside.y, label: 1 }])
  })

  it('the secondary button and Alt give a background point, through the view', async () => {
    await ready()
    await click(2 * disc.inside.x, 2 * disc.inside.y)
    await click(20, 20, { button: 2 })
    await click(40, 20, { altKey: true })
    expect(points()).toEqual([
      { x: disc.inside.x, y: disc.inside.y, label: 1 },
      { x: 10, y: 10, label: 0 },
      { x: 20, y: 10, label: 0 },
    ])
  })

  it('space-drag and the middle button pan, two fingers pinch: none of them adds a prompt', async () => {
    await ready()
    expect(viewer.keyDown({ key: ' ' })).toBe(true)
    expect(viewer.pointerDown({ sx: 100, sy: 100 })).toBe(true)
    viewer.pointerMove({ sx: 130, sy: 90 })
    viewer.pointerUp({ sx: 130, sy: 90 })
    viewer.keyUp({ key: ' ' })
    expect(viewer.getSnapshot().view).toEqual({ scale: 2, x: 30, y: -10 })
    expect(viewer.pointerDown({ sx: 100, sy: 100, button: 1 })).toBe(true)
    viewer.pointerMove({ sx: 90, sy: 100, button: 1 })
    viewer.pointerUp({ sx: 90, sy: 100, button: 1 })
    expect(viewer.getSnapshot().view).toEqual({ scale: 2, x: 20, y: -10 })
    // Fingers 100 px apart, then 200: twice the scale around their midpoint (200, 200).
    expect(viewer.pointerDown({ id: 1, sx: 150, sy: 200 })).toBe(false)
    expect(viewer.pointerDown({ id: 2, sx: 250, sy: 200 })).toBe(true)
    viewer.pointerMove({ id: 1, sx: 100, sy: 200 })
    viewer.pointerMove({ id: 2, sx: 300, sy: 200 })
    viewer.pointerUp({ id: 1, sx: 100, sy: 200 })
    viewer.pointerUp({ id: 2, sx: 300, sy: 200 })
    expect(viewer.getSnapshot().view).toEqual({ scale: 4, x: 200 - (200 - 20) * 2, y: 200 - (200 + 10) * 2 })
    await selection.store.idle()
    expect(points()).toEqual([])
  })

  it('a cancelled pointer clicks nothing and leaves no drag', async () => {
    await ready()
    viewer.pointerDown({ sx: 100, sy: 100 })
    viewer.pointerMove({ sx: 200, sy: 200 })
    expect(selection.getSnapshot().dragBox).not.toBeNull()
    viewer.pointerCancel({ sx: 200, sy: 200 })
    viewer.pointerUp({ sx: 200, sy: 200 })
    await selection.store.idle()
    expect([selection.getSnapshot().dragBox, points(), selection.getSnapshot().selection.objects]).toEqual([null, [], []])
  })

  it('the drag threshold is in screen pixels: 3 px at scale 2 is still a click', async () => {
    await ready()
    viewer.pointerDown({ sx: 2 * disc.inside.x, sy: 2 * disc.inside.y })
    viewer.pointerMove({ sx: 2 * disc.inside.x + 3, sy: 2 * disc.inside.y })
    viewer.pointerUp({ sx: 2 * disc.inside.x + 3, sy: 2 * disc.inside.y })
    await selection.store.idle()
    expect(points()).toHaveLength(1)
  })

  it('keys: + and - zoom around the centre, the rest go to the selection', async () => {
    await ready()
    expect(viewer.keyDown({ key: '+' })).toBe(true)
    expect(viewer.getSnapshot().view).toEqual({ scale: 2.5, x: 320 - 320 * 1.25, y: 240 - 240 * 1.25 })
    expect(viewer.keyDown({ key: '-' })).toBe(true)
    expect(viewer.getSnapshot().view.scale).toBeCloseTo(2, 10)
    expect(viewer.keyDown({ key: 'Enter' })).toBe(true) // the selection's: a point at the image's centre
    await selection.store.idle()
    expect(points()).toEqual([{ x: 160, y: 120, label: 1 }])
    expect(viewer.keyDown({ key: 'q' })).toBe(false)
    expect(viewer.keyDown({ key: '+', ctrlKey: true })).toBe(false) // the browser's own zoom
  })

  it('bad sizes and zoom factors are INVALID_OPTION errors that name them', async () => {
    await ready()
    expect(() => viewer.setSize(Number.NaN, 10)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('width') }))
    expect(() => viewer.zoom(0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('factor') }))
  })
})
