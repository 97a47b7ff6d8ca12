import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SelectionController, chosenMask, createMask, createSegmenter, maskToSvgPath, type SelectionControllerState, type Segmenter } from '@anymask/core'
import { statSync } from 'node:fs'
import { LITE_DIR, liteModelPath } from '../../../models/src/paths.js'
import { liteSpec } from '../../../test/support/liteModels.js'
import { serveFolder } from '../../../test/support/staticServer.js'
import { iou, makeScene } from '../../../test/support/scenes.js'

const scene = makeScene(320, 240)
const [disc, rect] = scene.objects
const other = makeScene(240, 320)

/** Resolves with the first snapshot that passes `test` (the current one included). */
function until(controller: SelectionController, test: (state: SelectionControllerState) => boolean): Promise<SelectionControllerState> {
  return new Promise((resolve) => {
    const check = () => test(controller.getSnapshot()) && (stop(), resolve(controller.getSnapshot()))
    const stop = controller.subscribe(check)
    check()
  })
}

const click = (controller: SelectionController, p: { x: number; y: number }, extra: { button?: number; altKey?: boolean; shiftKey?: boolean } = {}) => {
  controller.pointerDown({ ...p, ...extra })
  controller.pointerUp({ ...p, ...extra })
  return controller.store.idle()
}
const active = (controller: SelectionController) => {
  const { objects, activeId } = controller.getSnapshot().selection
  return objects.find((o) => o.id === activeId)!
}

describe('SelectionController on anymask-lite', () => {
  let segmenter: Segmenter
  let controller: SelectionController
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
  })
  afterAll(() => segmenter.dispose())

  const ready = async (options = {}) => {
    controller = new SelectionController(options)
    controller.setSegmenter(segmenter)
    await controller.setImage(scene)
    expect(controller.getSnapshot().phase).toBe('ready')
    return controller
  }

  it('loads a model, sums its download progress over its files, encodes the image and disposes what it created', async () => {
    const server = await serveFolder(LITE_DIR)
    const c = new SelectionController()
    const phases = [c.getSnapshot().phase]
    const progress: { loaded?: number; total?: number }[] = []
    c.subscribe(() => {
      const { phase, progress: p } = c.getSnapshot()
      if (phases.at(-1) !== phase) phases.push(phase)
      if (p && p !== progress.at(-1)) progress.push(p)
    })
    const spec = { id: 'lite-over-http', contract: 'sam2' as const, encoder: `${server.url}sam2/encoder.onnx`, decoder: `${server.url}sam2/decoder.onnx` }
    c.setSegmenter({ model: spec, options: { device: 'wasm' } })
    await c.setImage(scene)
    await server.close()
    const state = c.getSnapshot()
    expect(phases).toEqual(['idle', 'loading', 'encoding', 'ready'])
    const bytes = statSync(liteModelPath('sam2', 'encoder')).size + statSync(liteModelPath('sam2', 'decoder')).size
    expect(progress.at(-1)).toMatchObject({ loaded: bytes, total: bytes })
    expect(progress.map((p) => p.loaded)).toEqual([...progress.map((p) => p.loaded!)].sort((a, b) => a - b))
    expect(state.progress).toBeNull() // cleared once the model is in
    expect(state.image).toMatchObject({ width: 320, height: 240 })
    expect(state.session?.width).toBe(320)
    await click(c, disc.inside)
    expect(iou(chosenMask(active(c))!.data, disc.mask)).toBeGreaterThanOrEqual(0.97)
    const created = state.segmenter!
    c.dispose()
    expect(c.getSnapshot()).toMatchObject({ phase: 'idle', session: null, segmenter: null, image: null })
    await expect(created.encode(scene)).rejects.toMatchObject({ code: 'DISPOSED' })
  })

  it('click, Alt-click, right click and Shift-click map to object, background and new-object points', async () => {
    const c = await ready()
    await click(c, { x: disc.inside.x + 0.7, y: disc.inside.y + 0.2 })
    expect(active(c).points).toEqual([{ ...disc.inside, label: 1 }]) // the pixel under the pointer
    await click(c, rect.inside, { altKey: true })
    await click(c, { x: rect.inside.x + 5, y: rect.inside.y }, { button: 2 })
    expect(active(c).points.map((p) => p.label)).toEqual([1, 0, 0])
    await click(c, rect.inside, { shiftKey: true })
    const { objects } = c.getSnapshot().selection
    expect(objects).toHaveLength(2)
    expect(iou(chosenMask(objects[0])!.data, disc.mask)).toBeGreaterThanOrEqual(0.97)
    expect(iou(chosenMask(objects[1])!.data, rect.mask)).toBeGreaterThanOrEqual(0.97)
    // The union of what is visible; a hidden object leaves it.
    const both = c.selectionMask()!
    expect(
      iou(
        both.data,
        disc.mask.map((v, i) => v | rect.mask[i]),
      ),
    ).toBeGreaterThanOrEqual(0.97)
    c.store.setHidden(objects[1].id, true)
    expect(iou(c.selectionMask()!.data, disc.mask)).toBeGreaterThanOrEqual(0.97)
    // A click outside the image, and a middle click, add nothing.
    await click(c, { x: -1, y: 5 })
    await click(c, rect.inside, { button: 1 })
    expect(c.getSnapshot().selection.objects.flatMap((o) => o.points)).toHaveLength(4)
  })

  it('a press becomes a box past the drag threshold in screen pixels, clamped to the image', async () => {
    const c = await ready()
    // 3 image pixels at zoom 1 is a click; at zoom 2 it is 6 screen pixels: a drag.
    c.pointerDown({ ...disc.inside })
    c.pointerMove({ x: disc.inside.x + 3, y: disc.inside.y })
    expect(c.getSnapshot().dragBox).toBeNull()
    c.pointerUp({ x: disc.inside.x + 3, y: disc.inside.y })
    await c.store.idle()
    expect(active(c).points).toHaveLength(1)

    const { x0, y0, x1, y1 } = rect.box
    c.pointerDown({ x: x1 + 2, y: y1 + 2, scale: 2, shiftKey: true })
    c.pointerMove({ x: x1, y: y1 + 1, scale: 2 })
    expect(c.getSnapshot().dragBox).not.toBeNull()
    c.pointerMove({ x: x0 - 1, y: y0 - 1, scale: 2 })
    expect(c.getSnapshot().dragBox).toEqual({ x0: x0 - 1, y0: y0 - 1, x1: x1 + 2, y1: y1 + 2 })
    c.pointerUp({ x: -50, y: -50, scale: 2 })
    await c.store.idle()
    expect(c.getSnapshot().dragBox).toBeNull()
    const box = active(c)
    expect(box.box).toEqual({ x0: 0, y0: 0, x1: x1 + 2, y1: y1 + 2 }) // the end clamped to the image
    expect(c.getSnapshot().selection.objects).toHaveLength(2) // Shift at the press: a new object
  })

  it('a box drag clears the hover preview, and none comes back while it is dragged', async () => {
    const c = await ready()
    c.pointerMove(disc.inside)
    await until(c, (s) => s.selection.preview !== null)
    c.pointerDown({ ...disc.inside })
    c.pointerMove({ x: disc.inside.x + 20, y: disc.inside.y + 20 })
    await until(c, (s) => s.selection.preview === null && s.dragBox !== null)
    c.pointerMove({ x: rect.inside.x, y: rect.inside.y })
    await c.store.idle()
    expect(c.getSnapshot().selection.preview).toBeNull()
    c.pointerUp({ x: rect.inside.x, y: rect.inside.y })
    await c.store.idle()
    expect(c.getSnapshot().selection.preview).toBeNull()
  })

  it('hover previews in the point tool only; leaving clears it', async () => {
    const c = await ready({ previewOutline: true })
    c.pointerMove(disc.inside)
    const { selection } = await until(c, (s) => s.selection.preview !== null)
    expect(selection.preview!.point).toEqual({ ...disc.inside, label: 1 })
    // Its outline came with it (asked for), traced where the model runs.
    expect(selection.preview!.outline).toBe(maskToSvgPath(selection.preview!.mask))
    c.pointerLeave()
    await until(c, (s) => s.selection.preview === null)
    c.setTool('box')
    c.pointerMove(rect.inside)
    await c.store.idle()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(c.getSnapshot().selection.preview).toBeNull()
    // A click with the box tool adds nothing; a drag still draws a box.
    await click(c, rect.inside)
    expect(c.getSnapshot().selection.objects).toHaveLength(0)
    expect(() => c.setTool('lasso' as 'box')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/lasso.*point.*box/s) }))
  })

  it('decode and preview trace outlines only when asked, and check the option', async () => {
    const session = await segmenter.encode(scene)
    const result = await session.decode({ points: [{ ...rect.inside, label: 1 }] }, { outline: true })
    expect(result.outlines).toEqual(result.masks.map((m) => maskToSvgPath(m)))
    expect((await session.decode({ points: [{ ...rect.inside, label: 1 }] })).outlines).toBeUndefined()
    await expect(session.decode({ points: [{ ...rect.inside, label: 1 }] }, { outline: 'yes' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('options.outline'),
    })
    session.dispose()
  })

  it('the key map: arrows move a cursor that previews, Enter clicks there, and the editing keys', async () => {
    const c = await ready()
    const press = (key: string, mods = {}) => c.keyDown({ key, ...mods })
    expect(press('ArrowLeft')).toBe(true)
    const step = Math.round(320 / 50)
    expect(c.getSnapshot().cursor).toEqual({ x: 160 - step, y: 120 })
    expect(press('ArrowUp', { shiftKey: true })).toBe(true)
    expect(c.getSnapshot().cursor).toEqual({ x: 160 - step, y: 120 - 32 })
    for (let i = 0; i < 30; i++) press('ArrowUp', { shiftKey: true })
    expect(c.getSnapshot().cursor!.y).toBe(0) // held inside the image
    expect(press('Enter')).toBe(true)
    await c.store.idle()
    expect(active(c).points).toEqual([{ x: 160 - step, y: 0, label: 1 }])
    press('Enter', { altKey: true })
    await c.store.idle()
    expect(active(c).points.at(-1)!.label).toBe(0)
    press('Backspace')
    await c.store.idle()
    expect(active(c).points).toHaveLength(1)
    press('z', { ctrlKey: true })
    expect(active(c).points).toHaveLength(2)
    press('Z', { metaKey: true, shiftKey: true })
    expect(active(c).points).toHaveLength(1)
    press('z', { ctrlKey: true })
    press('y', { ctrlKey: true })
    expect(active(c).points).toHaveLength(1)
    expect(press('Escape')).toBe(true)
    expect(active(c).points).toHaveLength(0)
    expect(press('n')).toBe(true)
    expect(c.getSnapshot().selection.objects).toHaveLength(2)
    expect(press('q')).toBe(false)
    expect(press('Tab')).toBe(false)
    expect(press('s', { ctrlKey: true })).toBe(false) // the page's own shortcuts stay the page's
  })

  it('the everything tool: regions stream in, hover lights the one under the pointer, a click makes it an object (one undo step)', async () => {
    const c = await ready({ everything: { pointsPerSide: 4, pointsPerBatch: 4 } })
    const seen: number[] = []
    c.subscribe(() => {
      const e = c.getSnapshot().everything
      if (e && seen.at(-1) !== e.done) seen.push(e.done)
    })
    c.setTool('everything')
    const done = await until(c, (s) => s.everything?.running === false)
    expect(seen).toEqual([0, 1, 3, 7, 11, 15, 16]) // progress, batch by batch (groups of 1, 2, then 4)
    const regions = done.everything!.masks
    for (const object of [disc, rect]) expect(Math.max(...regions.map((r) => iou(r.mask.data, object.mask)))).toBeGreaterThanOrEqual(0.9)
    c.pointerMove(rect.inside)
    const hovered = regions.find((r) => r.id === c.getSnapshot().everything!.hoverId)!
    expect(iou(hovered.mask.data, rect.mask)).toBeGreaterThanOrEqual(0.9)
    c.pointerLeave()
    expect(c.getSnapshot().everything!.hoverId).toBeNull()
    await click(c, rect.inside)
    const object = active(c)
    expect(iou(chosenMask(object)!.data, rect.mask)).toBeGreaterThanOrEqual(0.97)
    expect(object.scores[object.candidate]).toBeCloseTo(hovered.score, 5) // the candidate the region came from
    // A pixel in no region (the first such in row order): a click there makes nothing.
    const free = scene.objects[0].mask.findIndex((_, i) => regions.every((r) => !r.mask.data[i]))
    expect(free).toBeGreaterThanOrEqual(0)
    await click(c, { x: free % scene.width, y: Math.floor(free / scene.width) })
    expect(c.getSnapshot().selection.objects).toHaveLength(1)
    c.store.undo()
    expect(c.getSnapshot().selection.objects).toHaveLength(0)
    // Another tool keeps the finished regions for this image; a new image drops them.
    c.setTool('point')
    c.setTool('everything')
    expect(c.getSnapshot().everything!.masks).toBe(regions)
    await c.setImage(other)
    await until(c, (s) => s.everything?.running === false)
    expect(c.getSnapshot().everything!.masks).not.toBe(regions)
    c.dispose()
  }, 60_000)

  it('an unfinished everything run stops when the tool changes, and bad everything options are refused up front', async () => {
    const c = await ready({ everything: { pointsPerSide: 8, pointsPerBatch: 4 } })
    c.setTool('everything')
    await until(c, (s) => (s.everything?.done ?? 0) > 0)
    c.setTool('point')
    expect(c.getSnapshot().everything).toBeNull()
    c.dispose()
    expect(() => new SelectionController({ everything: { pointsPerSide: 0 } })).toThrow(/options\.pointsPerSide/)
  }, 60_000)

  it('a click still decoding when the image changes lands nowhere: no object, no undo step on the new image', async () => {
    const c = await ready()
    c.pointerDown(disc.inside)
    c.pointerUp(disc.inside)
    const changed = c.setImage(other)
    await c.store.idle()
    await changed
    const state = c.getSnapshot()
    expect(state.phase).toBe('ready')
    expect(state.image).toMatchObject({ width: 240, height: 320 })
    expect(state.selection).toMatchObject({ objects: [], canUndo: false, error: null })
  })

  describe('autoSelect: an injected detector', () => {
    // A detector's soft matte of the disc: alpha 220 inside, 90 on a 2 px ring outside (below one half).
    const discMatte = (image: { width: number; height: number }) =>
      createMask(
        image.width,
        image.height,
        disc.mask.map((v, i) => (v ? 220 : disc.mask[i - 2] || disc.mask[i + 2] ? 90 : 0)),
      )

    it('adds what it finds as a new object, refined by the model; one undo step; clicks then correct it', async () => {
      const seen: { width: number; signal: AbortSignal }[] = []
      const c = await ready({
        autoSelect: async (image: { width: number; height: number }, signal: AbortSignal) => (seen.push({ width: image.width, signal }), discMatte(image)),
      })
      await click(c, rect.inside) // an object already there: the subject comes as another
      await c.autoSelect()
      const { objects, canUndo } = c.getSnapshot().selection
      expect(seen).toMatchObject([{ width: 320 }])
      expect(seen[0].signal.aborted).toBe(false)
      expect(objects).toHaveLength(2)
      expect(objects[1].box).toEqual(
        createMask(
          320,
          240,
          disc.mask.map((v) => v * 255),
        ).bbox,
      )
      expect(iou(chosenMask(objects[1])!.data, disc.mask)).toBeGreaterThanOrEqual(0.97)
      expect(canUndo).toBe(true)
      expect(c.getSnapshot().announcement).toContain('Subject selected')
      c.store.undo()
      expect(c.getSnapshot().selection.objects).toHaveLength(1)
    })

    it('a failing detector leaves the selection as it was, with the error; without one, autoSelect() says what to pass', async () => {
      const c = await ready({ autoSelect: () => Promise.reject(new Error('no subject found')) })
      await c.autoSelect()
      expect(c.getSnapshot().selection).toMatchObject({ objects: [], error: { message: 'no subject found' } })
      const plain = await ready()
      await expect(plain.autoSelect()).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('options.autoSelect') })
      expect(() => new SelectionController({ autoSelect: 'imgly' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    })

    it('a new image aborts a running detector, and its end lands nowhere', async () => {
      let started!: (signal: AbortSignal) => void
      const running = new Promise<AbortSignal>((resolve) => (started = resolve))
      const c = await ready({
        autoSelect: (_image: unknown, signal: AbortSignal) =>
          new Promise((_resolve, reject) => {
            started(signal)
            signal.addEventListener('abort', () => reject(new Error('aborted')))
          }),
      })
      const selecting = c.autoSelect()
      const signal = await running
      await c.setImage(other)
      await selecting
      expect(signal.aborted).toBe(true)
      expect(c.getSnapshot().selection).toMatchObject({ objects: [], canUndo: false, error: null })
    })
  })

  it('the same pixels in a new { data, width, height } object do not re-encode or wipe the selection', async () => {
    const c = await ready()
    await click(c, disc.inside)
    const session = c.getSnapshot().session
    await c.setImage({ data: scene.data, width: scene.width, height: scene.height })
    expect(c.getSnapshot().session).toBe(session)
    expect(c.getSnapshot().selection.objects).toHaveLength(1)
    // Other pixels of the same size are another image.
    await c.setImage({ data: new Uint8ClampedArray(scene.data), width: scene.width, height: scene.height })
    expect(c.getSnapshot().session).not.toBe(session)
    expect(c.getSnapshot().selection.objects).toHaveLength(0)
  })

  it('a new segmenter encodes the image again; a given segmenter is never disposed', async () => {
    const c = await ready()
    const first = c.getSnapshot().session!
    c.setSegmenter(segmenter) // the same: nothing happens
    expect(c.getSnapshot().session).toBe(first)
    c.setSegmenter({ model: liteSpec('hf-sam'), options: { device: 'wasm' } })
    await until(c, (s) => s.phase === 'ready')
    expect(c.getSnapshot().session).not.toBe(first)
    expect(c.getSnapshot().segmenter!.model.contract).toBe('hf-sam')
    c.dispose()
    const again = await segmenter.encode(scene) // the given one still works
    again.dispose()
  })

  it('failures: a bad model id and an unreachable image end in phase error with a clear message', async () => {
    const c = new SelectionController()
    c.setSegmenter({ model: 'no-such-model' })
    await until(c, (s) => s.phase === 'error')
    expect(c.getSnapshot().error).toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringContaining('Known ids') })
    await c.setImage(scene)
    expect(c.getSnapshot()).toMatchObject({ phase: 'error', error: { code: 'MODEL_LOAD_FAILED' } })
    c.setSegmenter(segmenter)
    await until(c, (s) => s.phase === 'ready')
    await c.setImage('http://127.0.0.1:9/missing.png')
    expect(c.getSnapshot()).toMatchObject({ phase: 'error', error: { code: 'INVALID_IMAGE', message: expect.stringContaining('check the URL') } })
    expect(() => new SelectionController({ tool: 'brush' as 'point' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new SelectionController({ colour: 1 } as object)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
  })
})
