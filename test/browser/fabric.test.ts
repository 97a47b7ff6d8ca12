/**
 * @anymask/fabric in Chromium, on a synthetic scene with exact masks. Where to click is found on the rendered
 * canvas (the pixels of the object's colour), never from the adapter's own coordinate code, so a wrong transform
 * shows up as a missed object.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Canvas, FabricImage, Point, type TMat2D, util } from 'fabric'
import { chosenMask, createSegmenter, type Mask, type Segmenter } from '@anymask/core'
import { attachSegmentTool, type SegmentTool } from '@anymask/fabric'
import { colourCentroid } from '../support/rendered.js'
import { iou, makeScene } from '../support/scenes.js'

const scene = makeScene(320, 240)
const [disc, rect] = scene.objects
const VIEW = { width: 640, height: 480 }

let segmenter: Segmenter
beforeAll(async () => {
  segmenter = await createSegmenter({ device: 'wasm' })
})
afterAll(() => segmenter.dispose())

let canvas: Canvas
let tool: SegmentTool | null = null
afterEach(async () => {
  tool?.dispose()
  tool = null
  await canvas?.dispose()
  document.body.replaceChildren()
})

function sceneElement(): HTMLCanvasElement {
  const element = Object.assign(document.createElement('canvas'), { width: scene.width, height: scene.height })
  element.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(scene.data), scene.width, scene.height), 0, 0)
  return element
}

interface Setup {
  image?: Record<string, unknown>
  viewport?: TMat2D
}

async function setUp({ image: props = {}, viewport }: Setup = {}) {
  const element = document.body.appendChild(document.createElement('canvas'))
  canvas = new Canvas(element, { ...VIEW, enableRetinaScaling: false, renderOnAddRemove: true })
  const image = new FabricImage(sceneElement(), { left: 320, top: 240, originX: 'center', originY: 'center', ...props })
  canvas.add(image)
  if (viewport) canvas.setViewportTransform(viewport)
  tool = attachSegmentTool(canvas, image, { segmenter })
  await tool.ready
  return { image, tool }
}

/** Renders the canvas with only `shown` visible and returns its pixels. */
function render(shown: FabricImage[]): Uint8ClampedArray {
  const hidden = canvas.getObjects().filter((o) => !shown.includes(o as FabricImage) && o.visible)
  for (const o of hidden) o.visible = false
  canvas.renderAll()
  const pixels = canvas.getContext().getImageData(0, 0, VIEW.width, VIEW.height).data
  for (const o of hidden) o.visible = true
  canvas.renderAll()
  return pixels
}

/** The screen pixel at the centre of the rendered pixels closest to `colour` (the objects are convex). */
function onScreen(image: FabricImage, colour: readonly number[]): { x: number; y: number } {
  const { x, y, n } = colourCentroid(render([image]), VIEW.width, colour)
  expect(n, 'the object is on screen').toBeGreaterThan(50)
  return { x, y }
}

/** A real mouse gesture on fabric's upper canvas (fabric listens to mouse events by default), at canvas pixels. */
function mouse(type: 'down' | 'move' | 'up', at: { x: number; y: number }, init: MouseEventInit = {}) {
  const r = canvas.upperCanvasEl.getBoundingClientRect()
  const event = new MouseEvent(`mouse${type}`, { bubbles: true, cancelable: true, clientX: r.left + at.x, clientY: r.top + at.y, ...init })
  // After a press fabric follows the mouse on the document, where this bubbles.
  canvas.upperCanvasEl.dispatchEvent(event)
}
async function click(at: { x: number; y: number }, init: MouseEventInit = {}) {
  mouse('down', at, { buttons: 1, ...init })
  mouse('up', at, init)
  await tool!.store.idle()
}

/** The top-left corner of the selected pixels the image's crop shows. */
function firstShown(mask: Mask, image: FabricImage): { x: number; y: number } {
  let x = Infinity,
    y = Infinity
  for (let j = image.cropY; j < image.cropY + image.height; j++)
    for (let i = image.cropX; i < image.cropX + image.width; i++) if (mask.data[j * mask.width + i]) (x = Math.min(x, i)), (y = Math.min(y, j))
  return { x, y }
}

const centroid = (mask: Uint8Array): [number, number] => {
  let x = 0,
    y = 0,
    n = 0
  for (let i = 0; i < mask.length; i++) if (mask[i]) (x += (i % scene.width) + 0.5), (y += Math.floor(i / scene.width) + 0.5), n++
  return [x / n, y / n]
}

const DISC = [205, 45, 50]
const RECT = [40, 70, 200]

const activeMask = () => {
  const { objects, activeId } = tool!.store.getSnapshot()
  return chosenMask(objects.find((o) => o.id === activeId)!)!
}

describe('a click on the rendered object selects it, whatever the image transform and the viewport', () => {
  const cases: [string, Setup][] = [
    ['as it is', {}],
    ['scaled 0.5', { image: { scaleX: 0.5, scaleY: 0.5 } }],
    ['rotated 30 deg', { image: { angle: 30 } }],
    ['flipped both ways', { image: { flipX: true, flipY: true } }],
    ['cropped', { image: { cropX: 40, cropY: 20, width: 250, height: 200 } }],
    ['skewed', { image: { skewX: 15, skewY: 5 } }],
    ['in a zoomed and panned viewport', { viewport: [1.7, 0, 0, 1.7, -230, -160] }],
    [
      'all of it at once (origin left/top)',
      {
        image: {
          scaleX: 0.8,
          scaleY: 0.6,
          angle: -30,
          flipX: true,
          cropX: 30,
          cropY: 10,
          width: 270,
          height: 220,
          originX: 'left',
          originY: 'top',
          left: 250,
          top: 60,
        },
        viewport: [1.3, 0, 0, 1.3, -40, 10],
      },
    ],
  ]
  it.each(cases)('%s: IoU >= 0.97 for both objects, the cutout lands on the same pixels', async (_, setup) => {
    const { image } = await setUp(setup)
    await click(onScreen(image, DISC))
    expect(iou(activeMask().data, disc.mask)).toBeGreaterThanOrEqual(0.97)
    await click(onScreen(image, RECT), { shiftKey: true })
    const [discObject, rectObject] = tool!.store.getSnapshot().objects
    expect(iou(activeMask().data, rect.mask)).toBeGreaterThanOrEqual(0.97)
    // The clicks landed on the objects' centres in the photo's own pixels (found from the exact masks), not merely
    // somewhere inside them.
    for (const [object, shape] of [
      [discObject, disc],
      [rectObject, rect],
    ] as const) {
      const [cx, cy] = centroid(shape.mask)
      expect(Math.abs(object.points[0].x + 0.5 - cx)).toBeLessThanOrEqual(3)
      expect(Math.abs(object.points[0].y + 0.5 - cy)).toBeLessThanOrEqual(3)
    }

    // The cutout: a source pixel maps to the same scene point through the cutout's own fabric transform as through
    // the photo's. The cutout starts at the first selected pixel the crop shows.
    const piece = tool!.cutout()!
    const first = firstShown(tool!.controller.selectionMask()!, image)
    const viaImage = util.transformPoint(
      new Point(first.x + 3 - image.cropX - image.width / 2, first.y + 5 - image.cropY - image.height / 2),
      image.calcTransformMatrix(),
    )
    const viaPiece = util.transformPoint(new Point(3 - piece.width / 2, 5 - piece.height / 2), piece.calcTransformMatrix())
    expect(viaPiece.x).toBeCloseTo(viaImage.x, 6)
    expect(viaPiece.y).toBeCloseTo(viaImage.y, 6)
    // And rendered: where the cutout is opaque, the screen shows exactly what the photo shows there.
    image.imageSmoothing = piece.imageSmoothing = false
    const photo = render([image])
    const cut = render([piece])
    let opaque = 0,
      same = 0
    for (let i = 0; i < cut.length; i += 4) {
      if (cut[i + 3] !== 255) continue
      opaque++
      if (cut[i] === photo[i] && cut[i + 1] === photo[i + 1] && cut[i + 2] === photo[i + 2]) same++
    }
    expect(opaque).toBeGreaterThan(500)
    expect(same / opaque).toBeGreaterThanOrEqual(0.995)
  })
})

/** The screen bounding box of the rendered pixels of `colour`. */
function screenBox(image: FabricImage, colour: readonly number[]) {
  const pixels = render([image])
  const box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity }
  for (let i = 0; i < pixels.length; i += 4) {
    const d = Math.abs(pixels[i] - colour[0]) + Math.abs(pixels[i + 1] - colour[1]) + Math.abs(pixels[i + 2] - colour[2])
    if (pixels[i + 3] !== 255 || d >= 60) continue
    const x = (i / 4) % VIEW.width
    const y = Math.floor(i / 4 / VIEW.width)
    Object.assign(box, { x0: Math.min(box.x0, x), y0: Math.min(box.y0, y), x1: Math.max(box.x1, x + 1), y1: Math.max(box.y1, y + 1) })
  }
  return box
}

const listenerCount = () => Object.values((canvas as unknown as { __eventListeners: Record<string, unknown[]> }).__eventListeners ?? {}).flat().length

describe('the tool in a fabric editor', () => {
  it('a drag draws a box (flipped, scaled, cropped, zoomed): the box prompt selects the rectangle', async () => {
    const { image } = await setUp({ image: { flipX: true, scaleX: 0.9, scaleY: 1.2, cropX: 10, width: 300 }, viewport: [1.2, 0, 0, 1.2, -50, -60] })
    const box = screenBox(image, RECT)
    mouse('down', { x: box.x0 - 3, y: box.y0 - 3 }, { buttons: 1 })
    mouse('move', { x: (box.x0 + box.x1) / 2, y: (box.y0 + box.y1) / 2 }, { buttons: 1 })
    expect(tool!.controller.getSnapshot().dragBox).not.toBeNull()
    expect(canvas.getObjects().some((o) => o.type === 'rect')).toBe(true) // the rubber band is drawn
    mouse('move', { x: box.x1 + 3, y: box.y1 + 3 }, { buttons: 1 })
    mouse('up', { x: box.x1 + 3, y: box.y1 + 3 })
    await tool!.store.idle()
    expect(canvas.getObjects().some((o) => o.type === 'rect')).toBe(false)
    expect(iou(activeMask().data, rect.mask)).toBeGreaterThanOrEqual(0.97)
  })

  it('hover previews; Alt-click and right click are background points; keys work on the focused canvas', async () => {
    const { image } = await setUp({ image: { angle: 20 } })
    const centre = onScreen(image, DISC)
    mouse('move', centre)
    await expect.poll(() => tool!.store.getSnapshot().preview !== null).toBe(true)
    mouse('move', { x: 2, y: 2 }) // off the image
    await expect.poll(() => tool!.store.getSnapshot().preview).toBeNull()
    await click(centre)
    await click({ x: centre.x + 4, y: centre.y }, { altKey: true })
    await click({ x: centre.x - 4, y: centre.y }, { button: 2, buttons: 2 })
    expect(tool!.store.getSnapshot().objects[0].points.map((p) => p.label)).toEqual([1, 0, 0])
    const key = (key: string, init: KeyboardEventInit = {}) =>
      canvas.upperCanvasEl.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }))
    expect(document.activeElement).toBe(canvas.upperCanvasEl)
    expect(key('z', { ctrlKey: true })).toBe(false) // handled: default prevented
    expect(tool!.store.getSnapshot().objects[0].points).toHaveLength(2)
    key('ArrowRight')
    key('Enter', { shiftKey: true })
    await tool!.store.idle()
    expect(tool!.store.getSnapshot().objects).toHaveLength(2)
  })

  it('the selection follows the image when it moves, and the tool can be turned off and on', async () => {
    const { image } = await setUp({ image: { angle: 10 } })
    await click(onScreen(image, DISC))
    const changes: unknown[] = []
    canvas.on('anymask:change' as never, (e: unknown) => changes.push(e))
    image.set({ left: image.left + 90, top: image.top - 40, angle: 35, scaleX: 0.7 })
    canvas.renderAll()
    // The fill is drawn at the image's size here (320 px): its transform is the image's own.
    const overlay = canvas.getObjects()[canvas.getObjects().indexOf(image) + 1]
    for (const [k, v] of image.calcTransformMatrix().entries()) expect(overlay.calcTransformMatrix()[k]).toBeCloseTo(v, 6)
    // Off: a click selects the photo (the editor's own interaction), not pixels.
    tool!.setEnabled(false)
    const at = onScreen(image, RECT)
    await click(at)
    expect(tool!.store.getSnapshot().objects).toHaveLength(1)
    expect(canvas.getActiveObject()).toBe(image)
    tool!.setEnabled(true)
    expect(image.selectable).toBe(false)
    await click(onScreen(image, RECT), { shiftKey: true })
    expect(tool!.store.getSnapshot().objects).toHaveLength(2)
    expect(changes.length).toBeGreaterThan(0)
  })

  it('edits change the pixels under the selection only, and undo; dispose removes every listener and drawn object', async () => {
    const element = document.body.appendChild(document.createElement('canvas'))
    canvas = new Canvas(element, { ...VIEW, enableRetinaScaling: false })
    const before = listenerCount()
    const image = new FabricImage(sceneElement(), { left: 320, top: 240, originX: 'center', originY: 'center', angle: 15 })
    canvas.add(image)
    tool = attachSegmentTool(canvas, image, { segmenter })
    await tool.ready
    await click(onScreen(image, DISC))
    const mask = tool.controller.selectionMask()!
    const edits: string[] = []
    canvas.on('anymask:edit' as never, (e: { action: string }) => edits.push(e.action))
    const pixelsOf = () => {
      const el = image.getElement() as HTMLCanvasElement
      return el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data
    }
    expect(tool.removeBackground()).toBe(true)
    let data = pixelsOf()
    for (let i = 0; i < mask.data.length; i += 97) expect(data[i * 4 + 3]).toBe(mask.data[i] ? 255 : 0)
    expect(tool.undoEdit()).toBe(true)
    expect(tool.replaceBackground({ color: [0, 255, 0] })).toBe(true)
    data = pixelsOf()
    for (let i = 0; i < mask.data.length; i += 97) {
      if (mask.data[i]) expect([...data.slice(i * 4, i * 4 + 3)]).toEqual([...scene.data.slice(i * 4, i * 4 + 3)])
      else expect([...data.slice(i * 4, i * 4 + 4)]).toEqual([0, 255, 0, 255])
    }
    tool.undoEdit()
    expect(pixelsOf()).toEqual(new Uint8ClampedArray(scene.data)) // back to the photo
    const inpaint = tool.inpaintMask()!
    for (const [k, v] of image.calcTransformMatrix().entries()) expect(inpaint.calcTransformMatrix()[k]).toBeCloseTo(v, 6)
    expect(edits).toEqual(['removeBackground', 'replaceBackground', 'inpaintMask'])
    const piece = tool.cutout()!

    tool.dispose()
    tool = null
    const left = canvas.getObjects()
    expect([left.indexOf(image), left.indexOf(inpaint), left.indexOf(piece), left.length]).toEqual([0, 1, 2, 3]) // the edits stay: they are the user's
    expect(listenerCount()).toBe(before + 1) // only the test's own 'anymask:edit' listener
    expect(image.selectable).toBe(true)
    expect(canvas.selection).toBe(true)
  })

  it('bad input is a clear INVALID_OPTION', async () => {
    canvas = new Canvas(document.body.appendChild(document.createElement('canvas')), VIEW)
    const image = new FabricImage(sceneElement())
    expect(() => attachSegmentTool(canvas, image, { segmenter })).toThrow(/not on this canvas.*canvas\.add\(image\)/)
    canvas.add(image)
    expect(() => attachSegmentTool(canvas, {} as FabricImage)).toThrow(/must be a FabricImage/)
    expect(() => attachSegmentTool(canvas, image, { tool: 'lasso' as 'box', segmenter })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => attachSegmentTool(canvas, image, { colors: ['red'], segmenter })).toThrow(/options\.colors.*#rrggbb/)
    expect(() => attachSegmentTool(canvas, image, { opacity: 2, segmenter })).toThrow(/options\.opacity/)
    expect(canvas.getObjects()).toEqual([image]) // a refused tool left nothing behind
  })
})
