import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnymaskError, SelectionStore, chosenMask, createSegmenter, type ImageSession, type Prompt, type Segmenter } from '@anymask/core'
import { liteSpec } from '../../../test/support/liteModels.js'
import { iou, makeScene } from '../../../test/support/scenes.js'

const scene = makeScene(320, 240)
const [disc, rect] = scene.objects
const click = (p: { x: number; y: number }, label: 1 | 0 = 1) => ({ ...p, label })

describe('SelectionStore on anymask-lite', () => {
  let segmenter: Segmenter
  let session: ImageSession
  const prompts: Prompt[] = []
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
    session = await segmenter.encode(scene)
    // Record what the store asks the real session for.
    const decode = session.decode.bind(session)
    session.decode = (prompt, options) => (prompts.push(prompt), decode(prompt, options))
  })
  afterAll(() => segmenter.dispose())

  it('a click selects the object under it, with three candidates to choose from', async () => {
    const store = new SelectionStore(session)
    await store.addPoint(click(disc.inside))
    const { objects, activeId, busy } = store.getSnapshot()
    expect(busy).toBe(false)
    expect(objects).toHaveLength(1)
    expect(activeId).toBe(objects[0].id)
    expect(objects[0].candidates).toHaveLength(3)
    expect(iou(chosenMask(objects[0])!.data, disc.mask)).toBeGreaterThanOrEqual(0.97)
    store.cycleCandidate(1)
    const after = store.getSnapshot().objects[0]
    expect(after.candidate).toBe((objects[0].candidate + 1) % 3)
    expect(chosenMask(after)).toBe(after.candidates[after.candidate])
    expect(() => store.chooseCandidate(3)).toThrow(/outside 0..2/)
  })

  it('refining feeds the previous logits back, and a background point removes part of the selection', async () => {
    const store = new SelectionStore(session)
    await store.addPoint(click(disc.inside))
    await store.addPoint(click(rect.inside))
    const first = store.getSnapshot().objects[0]
    const both = chosenMask(first)!
    const union = disc.mask.map((v, i) => v | rect.mask[i])
    expect(iou(both.data, union)).toBeGreaterThanOrEqual(0.95)
    prompts.length = 0
    const background = click({ x: rect.box.x1 - 8, y: rect.inside.y }, 0)
    await store.addPoint(background)
    expect(prompts[0].mask).toBe(first.lowRes[first.candidate])
    expect(prompts[0].points).toEqual([click(disc.inside), click(rect.inside), background])
    const after = chosenMask(store.getSnapshot().objects[0])!.data
    let removed = 0,
      removedFromRect = 0,
      discKept = 0,
      discArea = 0
    for (let i = 0; i < after.length; i++) {
      if (both.data[i] && !after[i]) removed++, (removedFromRect += rect.mask[i])
      if (disc.mask[i]) discArea++, after[i] && discKept++
    }
    // At least the neighbourhood a background click holds (8 cells of 4 model pixels on each side: 21 x 21 px here, ~370 px
    // of it in the rectangle, the click being 8 px from its edge). The rectangle has the colour of an object click, so
    // the colour models give no reason to take more of it away.
    expect(removed).toBeGreaterThan(300)
    expect(removedFromRect / removed).toBeGreaterThanOrEqual(0.95) // what goes is the rectangle
    expect(discKept / discArea).toBeGreaterThanOrEqual(0.97) // the disc stays
  })

  it('a box selects the object in it; a box and points combine', async () => {
    const store = new SelectionStore(session)
    await store.setBox(rect.box)
    expect(iou(chosenMask(store.getSnapshot().objects[0])!.data, rect.mask)).toBeGreaterThanOrEqual(0.97)
    prompts.length = 0
    await store.addPoint(click(rect.inside))
    expect(prompts[0].box).toEqual(rect.box)
    expect(prompts[0].points).toHaveLength(1)
  })

  it('new objects are layers of their own; undo and redo restore the exact previous masks', async () => {
    const store = new SelectionStore(session)
    await store.addPoint(click(disc.inside))
    const one = store.getSnapshot().objects
    await store.addPoint(click(rect.inside), { newObject: true })
    const two = store.getSnapshot().objects
    expect(two).toHaveLength(2)
    expect(two[0]).toBe(one[0])
    expect(two[1].colorIndex).not.toBe(two[0].colorIndex)
    expect(iou(chosenMask(two[1])!.data, rect.mask)).toBeGreaterThanOrEqual(0.97)
    expect(store.getSnapshot().activeId).toBe(two[1].id)

    store.undo()
    expect(store.getSnapshot().objects).toBe(one)
    expect(store.getSnapshot().canRedo).toBe(true)
    store.redo()
    expect(store.getSnapshot().objects).toBe(two)
    expect(chosenMask(store.getSnapshot().objects[1])).toBe(chosenMask(two[1]))
  })

  it('layers can be selected, renamed, hidden and removed, each an undo step', async () => {
    const store = new SelectionStore(session)
    await store.addPoint(click(disc.inside))
    await store.addPoint(click(rect.inside), { newObject: true })
    const [a, b] = store.getSnapshot().objects
    store.select(a.id)
    store.rename(a.id, 'Disc')
    store.setHidden(b.id, true)
    expect(store.getSnapshot().objects.map((o) => [o.name, o.hidden])).toEqual([
      ['Disc', false],
      [b.name, true],
    ])
    store.remove(a.id)
    expect(store.getSnapshot().objects.map((o) => o.id)).toEqual([b.id])
    expect(store.getSnapshot().activeId).toBe(b.id)
    store.undo()
    expect(store.getSnapshot().objects.map((o) => o.name)).toEqual(['Disc', b.name])
    expect(() => store.rename('nope', 'x')).toThrow(/no object with id "nope"/)
  })

  it('Esc clears the active object; clear removes all; both undo', async () => {
    const store = new SelectionStore(session)
    await store.addPoint(click(disc.inside))
    store.clearActive()
    const cleared = store.getSnapshot().objects[0]
    expect([cleared.points, cleared.candidates, chosenMask(cleared)]).toEqual([[], [], null])
    store.undo()
    expect(chosenMask(store.getSnapshot().objects[0])).not.toBeNull()
    store.clear()
    expect(store.getSnapshot().objects).toEqual([])
    store.undo()
    expect(store.getSnapshot().objects).toHaveLength(1)
  })

  it('hover previews what a click would give, and a click clears the preview', async () => {
    const store = new SelectionStore(session)
    await store.preview(click(rect.inside))
    const preview = store.getSnapshot().preview
    expect(preview?.point).toEqual(click(rect.inside))
    expect(iou(preview!.mask.data, rect.mask)).toBeGreaterThanOrEqual(0.97)
    expect(store.getSnapshot().objects).toEqual([])
    await store.addPoint(click(disc.inside))
    expect(store.getSnapshot().preview).toBeNull()
  })

  it('hover previews come at display resolution (previewMaxSide)', async () => {
    const store = new SelectionStore(session, { previewMaxSide: 160 })
    await store.preview(click(rect.inside))
    const mask = store.getSnapshot().preview!.mask
    expect([mask.width, mask.height]).toEqual([160, 120])
    const half = rect.mask.filter((_, i) => Math.floor(i / 320) % 2 === 0 && i % 2 === 0) // every other row and column
    expect(iou(mask.data, half)).toBeGreaterThanOrEqual(0.95)
  })

  it('a bad prompt leaves the selection as it was and reports a clear error', async () => {
    const errors: unknown[] = []
    const store = new SelectionStore(session, { onError: (e) => errors.push(e) })
    await store.addPoint(click(disc.inside))
    const before = store.getSnapshot().objects
    await store.addPoint({ x: 5000, y: 10, label: 1 })
    const { objects, error, busy } = store.getSnapshot()
    expect(objects).toBe(before)
    expect(busy).toBe(false)
    expect(error).toBeInstanceOf(AnymaskError)
    expect((error as AnymaskError).code).toBe('INVALID_PROMPT')
    expect(errors).toEqual([error])
  })

  it('without an image session, prompts fail with INVALID_PROMPT; a new session starts over', async () => {
    const store = new SelectionStore()
    await store.addPoint(click(disc.inside))
    expect((store.getSnapshot().error as AnymaskError).message).toMatch(/no encoded image yet/)
    store.setSession(session)
    await store.addPoint(click(disc.inside))
    expect(store.getSnapshot().objects).toHaveLength(1)
    store.setSession(session)
    expect(store.getSnapshot()).toMatchObject({ objects: [], canUndo: false, error: null })
  })

  it('notifies subscribers with a new snapshot per change', async () => {
    const store = new SelectionStore(session)
    const seen: boolean[] = []
    const unsubscribe = store.subscribe(() => seen.push(store.getSnapshot().busy))
    await store.addPoint(click(disc.inside))
    unsubscribe()
    expect(seen[0]).toBe(true)
    expect(seen.at(-1)).toBe(false)
  })

  describe('a new image fences off work started for the old one', () => {
    it('a click queued before the image changes is dropped, not decoded against the new image', async () => {
      const other = await segmenter.encode(makeScene(200, 150))
      const store = new SelectionStore(session)
      const clicked = store.addPoint(click(disc.inside)) // queued: its decode has not started
      store.setSession(other)
      await clicked
      expect(store.getSnapshot()).toMatchObject({ objects: [], canUndo: false, error: null })
      other.dispose()
    })

    it('a click whose decode is running when the image changes lands nowhere', async () => {
      let release!: () => void
      const gate = new Promise<void>((resolve) => (release = resolve))
      const slow = Object.create(session) as ImageSession
      slow.decode = async (prompt, options) => (await gate, session.decode(prompt, options))
      const store = new SelectionStore(slow)
      const clicked = store.addPoint(click(disc.inside))
      await new Promise((r) => setTimeout(r, 10)) // the decode has started and waits at the gate
      const other = await segmenter.encode(makeScene(200, 150))
      store.setSession(other)
      release()
      await clicked
      expect(store.getSnapshot()).toMatchObject({ objects: [], canUndo: false })
      other.dispose()
    })
  })

  it('undo history keeps at most historyBytes of masks besides the current selection, dropping the oldest steps', async () => {
    // One click's masks on this scene: three candidates of 320 x 240 bytes and three 256 x 256 float logits.
    const step = 3 * scene.width * scene.height + 3 * 256 * 256 * 4
    const store = new SelectionStore(session, { historyBytes: 2.5 * step })
    for (const p of [disc.inside, rect.inside, disc.inside, rect.inside, disc.inside, rect.inside]) await store.addPoint(click(p), { newObject: false })
    let undos = 0
    while (store.getSnapshot().canUndo) store.undo(), undos++
    // Two earlier clicks' masks fit in 2.5 steps; a third would not.
    expect(undos).toBe(2)
    expect(store.getSnapshot().objects).toHaveLength(1)
  })

  it('undo history keeps every step while it fits (default 256 MiB)', async () => {
    const store = new SelectionStore(session)
    for (const p of [disc.inside, rect.inside, disc.inside, rect.inside]) await store.addPoint(click(p))
    let undos = 0
    while (store.getSnapshot().canUndo) store.undo(), undos++
    expect(undos).toBe(4)
    expect(store.getSnapshot().objects).toEqual([])
  })
})
