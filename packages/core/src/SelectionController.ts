import { AnymaskError } from './AnymaskError.js'
import { checkEverythingOptions, type EverythingMask, type EverythingOptions } from './everything.js'
import { createSegmenter, type Segmenter, type SegmenterOptions } from './createSegmenter.js'
import type { ImageSession } from './ImageSession.js'
import { toRgbaImage } from './imageInput.js'
import { union } from './mask/index.js'
import { checkOptions, invalidOption, optionalBoolean, optionalChoice, optionalNumber } from './options.js'
import { chosenMask, SelectionStore, type SelectionObject, type SelectionState, type SelectionStoreOptions } from './SelectionStore.js'
import type { Box, ImageInput, Mask, ModelSpec, ProgressEvent, RgbaImage } from './types.js'

/**
 * 'point': clicks add points and hovering previews; 'box': clicks do nothing and nothing previews; 'everything': every
 * region of the image is found (session.everything), hovering lights one up and a click makes it an object. Drags
 * draw a box in all three.
 */
export type Tool = 'point' | 'box' | 'everything'

/** Everything mode's regions as they come, for drawing. */
export interface EverythingState {
  /** At display resolution (`previewMaxSide`): scale by the image's width / the mask's width to draw them. */
  masks: readonly EverythingMask[]
  /** The region under the pointer or the keyboard cursor (the smallest there), by id. */
  hoverId: number | null
  /** Grid points done, of `total`. */
  done: number
  total: number
  running: boolean
  error: unknown
}

/** An image as UIs take it: a URL, or anything `segmenter.encode` takes. */
export type ImageSource = string | ImageInput

/** Where the segmenter comes from: one created elsewhere (used as it is, never disposed), or a model to load. */
export type SegmenterSource = Segmenter | { model?: string | ModelSpec; options?: Omit<SegmenterOptions, 'model' | 'onProgress' | 'signal'> }

export interface SelectionControllerOptions extends SelectionStoreOptions {
  /** Default 'point'. */
  tool?: Tool
  /** Screen pixels a press must travel before it becomes a box drag. Default 4. */
  dragThreshold?: number
  /** Options of the everything tool's run (see `session.everything`). Default: its defaults, masks at `previewMaxSide`. */
  everything?: Omit<EverythingOptions, 'onMasks' | 'signal'>
  /**
   * What `autoSelect()` runs: finds the object by itself (a subject detector, say @anymask/imgly's `selectSubject`)
   * and gives its mask at the image's size, soft or binary. Injected, so core depends on no detector.
   */
  autoSelect?: AutoSelect
}

/**
 * A detector for `autoSelect()`: the image's pixels in, a mask of what to select out; `signal` aborts when the
 * image changes.
 *
 * @example
 * const controller = new SelectionController({ autoSelect: (image, signal) => selectSubject(image, { signal }) })
 */
export type AutoSelect = (image: RgbaImage, signal: AbortSignal) => Promise<Mask>

/** A pointer event in the image's own pixels (fractions allowed). Adapters convert their coordinates once, here. */
export interface ImagePointer {
  x: number
  y: number
  /** 0 main, 2 secondary (a background point). Default 0. */
  button?: number
  /** A background point (with a click), or Enter's. */
  altKey?: boolean
  /** Starts a new object. */
  shiftKey?: boolean
  /** Screen pixels per image pixel where the event happened (zoom), so the drag threshold is in screen pixels. Default 1. */
  scale?: number
}

/** A key press, as DOM KeyboardEvents carry it. */
export interface KeyPress {
  key: string
  altKey?: boolean
  shiftKey?: boolean
  ctrlKey?: boolean
  metaKey?: boolean
}

/** A snapshot of everything a UI draws; a new object on every change (fit for `useSyncExternalStore`). */
export interface SelectionControllerState {
  /** 'loading': the model or the image is on its way; 'encoding': the image is being encoded. */
  phase: 'idle' | 'loading' | 'encoding' | 'ready' | 'error'
  /** Model download progress, with `loaded` and `total` summed over the model's files seen so far. */
  progress: ProgressEvent | null
  /** Why the model or the image could not be used (phase 'error'); the selection's own failures are in `selection.error`. */
  error: unknown
  segmenter: Segmenter | null
  session: ImageSession | null
  /** The image's pixels, once loaded. */
  image: RgbaImage | null
  tool: Tool
  /** The model takes a box (some exports do not: then drags draw nothing). */
  canBox: boolean
  /** The box being dragged, in image pixels, clamped to the image. */
  dragBox: Box | null
  /** The keyboard cursor (arrows move it, Enter clicks there), in image pixels. */
  cursor: { x: number; y: number } | null
  selection: SelectionState
  /** The everything tool's regions; null until it runs on this image. */
  everything: EverythingState | null
  /** What a screen reader should hear now. */
  announcement: string
}

interface Press {
  start: ImagePointer
  box: boolean
}

const TOOLS: readonly Tool[] = ['point', 'box', 'everything']
const OPTION_NAMES = ['tool', 'dragThreshold', 'everything', 'autoSelect', 'multimask', 'onError', 'previewMaxSide', 'previewOutline', 'historyBytes']

/** The same image: the same object, URL, or pixels (`{ data, width, height }` rebuilt around the same array). */
function sameImage(a: ImageSource | null, b: ImageSource | null): boolean {
  if (a === b) return true
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || !('data' in a) || !('data' in b)) return false
  return a.data === b.data && a.width === b.width && a.height === b.height
}

async function loadPixels(source: ImageSource, signal: AbortSignal): Promise<RgbaImage> {
  if (typeof source !== 'string') return toRgbaImage(source)
  let response: Response
  try {
    response = await fetch(source, { signal })
  } catch (cause) {
    if (signal.aborted) throw cause
    throw new AnymaskError('INVALID_IMAGE', `The image ${source.slice(0, 100)} could not be fetched (network or CORS): check the URL.`, { cause })
  }
  if (!response.ok) throw new AnymaskError('INVALID_IMAGE', `The image ${source.slice(0, 100)} answered HTTP ${response.status}: check the URL.`)
  return toRgbaImage(await response.blob())
}

const percent = (mask: Mask) => Math.max(1, Math.round((100 * mask.area) / (mask.width * mask.height)))

/**
 * The whole selection tool without a UI: it loads the model and the image, encodes it (aborting when the image
 * changes), holds the selection (a `SelectionStore`, fenced per image) and the tool, and turns pointer gestures and
 * keys into prompts. Adapters (React, fabric.js) render its snapshot and forward events in image pixels.
 *
 * Gestures: click = object point, Alt-click or right click = background point, Shift = new object, drag = box,
 * hover = preview. Keys: arrows move a cursor (Shift: bigger steps) that previews, Enter clicks there (Alt, Shift as
 * above), Esc clears the active object, Backspace removes its last prompt, C / Shift+C cycle candidates, N starts a
 * new object, Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo.
 *
 * @example
 * const controller = new SelectionController()
 * controller.setSegmenter({ model: 'anymask-lite' })
 * await controller.setImage('/photo.jpg')
 * controller.subscribe(() => draw(controller.getSnapshot()))
 * canvas.onpointerup = (e) => controller.pointerUp({ ...toImage(e), button: e.button, altKey: e.altKey })
 */
export class SelectionController {
  /** The selection on the current image. */
  readonly store: SelectionStore
  private state: SelectionControllerState
  private readonly listeners = new Set<() => void>()
  private readonly dragThreshold: number

  private source: SegmenterSource | null = null
  private segmenterKey: unknown = null
  private segmenterAbort: AbortController | null = null
  private owned: Segmenter | null = null
  private segmenterWaiters: ((segmenter: Segmenter | null) => void)[] = []
  private segmenterFailure: unknown = null

  private imageSource: ImageSource | null = null
  private imageAbort: AbortController | null = null
  private imageDone: Promise<void> = Promise.resolve()

  private press: Press | null = null
  private readonly detector: AutoSelect | null
  private readonly everythingOptions: Omit<EverythingOptions, 'onMasks' | 'signal'>
  private everythingAbort: AbortController | null = null

  constructor(options: SelectionControllerOptions = {}) {
    const given = checkOptions(options, 'SelectionController', 'options', OPTION_NAMES)
    const where = 'SelectionController'
    const { tool, dragThreshold, everything, autoSelect, ...storeOptions } = given
    if (autoSelect !== undefined && typeof autoSelect !== 'function')
      throw invalidOption(where, 'options.autoSelect', autoSelect, 'a function (image, signal) => Promise<Mask>')
    this.detector = autoSelect ?? null
    this.dragThreshold = optionalNumber(dragThreshold, 4, where, 'options.dragThreshold', { min: 0 })
    this.everythingOptions = { maxSide: storeOptions.previewMaxSide ?? 1024, ...everything }
    checkEverythingOptions(this.everythingOptions) // refused here, not at the first run
    optionalNumber(storeOptions.historyBytes, 0, where, 'options.historyBytes', { min: 0 })
    optionalNumber(storeOptions.previewMaxSide, 1, where, 'options.previewMaxSide', { min: 1, integer: true })
    optionalBoolean(storeOptions.multimask, true, where, 'options.multimask')
    optionalBoolean(storeOptions.previewOutline, false, where, 'options.previewOutline')
    this.store = new SelectionStore(null, storeOptions)
    this.state = {
      phase: 'idle',
      progress: null,
      error: null,
      segmenter: null,
      session: null,
      image: null,
      tool: optionalChoice(tool, 'point', TOOLS, 'SelectionController', 'options.tool'),
      canBox: true,
      dragBox: null,
      cursor: null,
      selection: this.store.getSnapshot(),
      everything: null,
      announcement: '',
    }
    this.store.subscribe(() => this.set({ selection: this.store.getSnapshot() }))
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = (): SelectionControllerState => this.state

  /**
   * Uses a segmenter created elsewhere, or creates one for `{ model, options }` (and disposes it when replaced).
   * Called again with the same segmenter, or the same model id and options, it does nothing: UIs may call it on
   * every render.
   */
  setSegmenter(source: SegmenterSource): void {
    const key = keyOf(source)
    if (this.source && sameKey(this.segmenterKey, key)) return
    this.releaseSegmenter()
    this.source = source
    this.segmenterKey = key
    // The image on screen is encoded again, by the new segmenter.
    const image = this.imageSource
    this.imageSource = null
    void this.setImage(image)
    if (isSegmenter(source)) {
      this.segmenterReady(source)
      return
    }
    const abort = new AbortController()
    this.segmenterAbort = abort
    const files = new Map<string, { loaded: number; total: number }>()
    createSegmenter({
      ...source.options,
      model: source.model ?? 'anymask-lite',
      signal: abort.signal,
      onProgress: (event) => {
        if (abort.signal.aborted || event.status === 'encode' || event.status === 'ready') return
        // One bar for all the model's files: bytes summed over the files seen so far.
        if (event.file && event.loaded !== undefined) files.set(event.file, { loaded: event.loaded, total: event.total ?? 0 })
        const all = [...files.values()]
        this.set({ progress: { ...event, loaded: all.reduce((n, f) => n + f.loaded, 0), total: all.reduce((n, f) => n + f.total, 0) } })
      },
    }).then(
      (segmenter) => {
        if (abort.signal.aborted) return void segmenter.dispose()
        this.owned = segmenter
        this.segmenterReady(segmenter)
      },
      (error) => {
        if (abort.signal.aborted) return
        this.segmenterFailure = error
        this.set({ phase: 'error', error, progress: null })
        this.flushWaiters(null)
      },
    )
  }

  /**
   * Shows a new image: the work for the previous one is aborted and its selection fenced off (a click still
   * decoding lands nowhere), then the image is loaded and encoded. The same image again (the same object or URL, or
   * pixels around the same array) does nothing. Resolves when the image is ready or has failed (see `phase`).
   */
  setImage(image: ImageSource | null): Promise<void> {
    if (sameImage(this.imageSource, image)) return this.imageDone
    this.imageAbort?.abort()
    this.stopEverything()
    this.state.session?.dispose()
    this.store.setSession(null)
    this.imageSource = image
    this.press = null
    const failed = this.segmenterFailure !== null
    this.set({
      session: null,
      image: null,
      dragBox: null,
      cursor: null,
      error: this.segmenterFailure,
      phase: failed ? 'error' : image ? 'loading' : 'idle',
    })
    if (!image || failed) return (this.imageDone = Promise.resolve())
    const abort = new AbortController()
    this.imageAbort = abort
    const run = async () => {
      const pixels = await loadPixels(image, abort.signal)
      if (abort.signal.aborted) return
      this.set({ image: pixels })
      const segmenter = await this.waitForSegmenter()
      if (abort.signal.aborted || !segmenter) return
      this.set({ phase: 'encoding' })
      const session = await segmenter.encode(pixels, { signal: abort.signal })
      if (abort.signal.aborted) return session.dispose()
      this.store.setSession(session)
      this.set({ session, phase: 'ready', announcement: 'Image ready: click, or use the arrow keys and Enter, to select' })
      if (this.state.tool === 'everything') this.startEverything()
    }
    this.imageDone = run().catch((error) => {
      if (!abort.signal.aborted) this.set({ phase: 'error', error })
    })
    return this.imageDone
  }

  setTool(tool: Tool): void {
    optionalChoice(tool, 'point', TOOLS, 'SelectionController.setTool', 'tool')
    if (tool === this.state.tool) return
    if (tool !== 'point') void this.store.preview(null)
    // A finished everything run is kept for this image; an unfinished one stops (and starts again when chosen again).
    if (this.state.everything?.running) this.stopEverything()
    this.set({ tool })
    if (tool === 'everything' && this.ready && !this.state.everything) this.startEverything()
  }

  // --- gestures, in image pixels --------------------------------------------------------------------

  pointerDown(pointer: ImagePointer): void {
    this.press = { start: pointer, box: false }
  }

  /** A move: hover preview with no button down, a box once a press has travelled past the drag threshold. */
  pointerMove(pointer: ImagePointer): void {
    const press = this.press
    if (press) {
      const travelled = Math.hypot(pointer.x - press.start.x, pointer.y - press.start.y) * (pointer.scale ?? 1)
      if ((press.start.button ?? 0) === 0 && (press.box || travelled > this.dragThreshold)) {
        // The hover preview of where the press began would sit under the box being drawn: it goes.
        if (!press.box) void this.store.preview(null)
        press.box = true
        if (this.state.canBox && this.ready) this.set({ dragBox: this.clampBox(press.start, pointer) })
      }
      return
    }
    if (!this.ready) return
    const p = this.pixel(pointer)
    if (this.state.tool === 'everything') this.hoverRegion(p)
    else if (this.state.tool === 'point') void this.store.preview(p ? { ...p, label: 1 } : null)
  }

  /** The end of a press: a click adds a point, a drag sets the box. */
  pointerUp(pointer: ImagePointer): void {
    const press = this.press
    this.press = null
    if (!press) return
    if (press.box) {
      const box = this.clampBox(press.start, pointer)
      this.set({ dragBox: null })
      if (this.ready && this.state.canBox && box.x1 - box.x0 >= 1 && box.y1 - box.y0 >= 1) void this.store.setBox(box, { newObject: !!press.start.shiftKey })
      return
    }
    const button = press.start.button ?? 0
    if (this.ready && this.state.tool === 'everything' && button === 0) this.takeRegion(this.pixel(pointer))
    if (!this.ready || this.state.tool !== 'point' || (button !== 0 && button !== 2)) return
    const p = this.pixel(pointer)
    if (p) void this.store.addPoint({ ...p, label: press.start.altKey || button === 2 ? 0 : 1 }, { newObject: !!press.start.shiftKey })
  }

  /** The pointer left the image (or the gesture was cancelled): no preview, no drag. */
  pointerLeave(): void {
    if (this.press) {
      this.press = null
      this.set({ dragBox: null })
    }
    void this.store.preview(null)
    if (this.state.everything?.hoverId != null) this.hoverRegion(null)
  }

  /** Handles a key of the key map; true when it did (adapters then stop the browser's default). */
  keyDown(key: KeyPress): boolean {
    const store = this.store
    const mod = key.ctrlKey || key.metaKey
    const k = key.key.length === 1 ? key.key.toLowerCase() : key.key
    const actions: Record<string, () => unknown> = mod
      ? { z: () => (key.shiftKey ? store.redo() : store.undo()), y: () => store.redo() }
      : { Escape: () => store.clearActive(), c: () => store.cycleCandidate(key.shiftKey ? -1 : 1), n: () => store.newObject() }
    if (this.ready && !mod) Object.assign(actions, { Backspace: () => store.removeLastPrompt(), Delete: () => store.removeLastPrompt() })
    const action = actions[k]
    if (action) return (action(), true)
    if (mod || !this.ready) return false
    const image = this.state.image!
    const step = Math.max(1, Math.round(Math.max(image.width, image.height) / (key.shiftKey ? 10 : 50)))
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }
    const from = this.state.cursor ?? { x: Math.floor(image.width / 2), y: Math.floor(image.height / 2) }
    const move = moves[k]
    if (move) {
      const cursor = { x: Math.min(image.width - 1, Math.max(0, from.x + move[0])), y: Math.min(image.height - 1, Math.max(0, from.y + move[1])) }
      this.set({ cursor })
      if (this.state.tool === 'point') void store.preview({ ...cursor, label: 1 })
      if (this.state.tool === 'everything') this.hoverRegion(cursor)
      return true
    }
    if (k === 'Enter') {
      this.set({ cursor: from })
      if (this.state.tool === 'everything') this.takeRegion(from)
      else void store.addPoint({ ...from, label: key.altKey ? 0 : 1 }, { newObject: !!key.shiftKey })
      return true
    }
    return false
  }

  // --- results -----------------------------------------------------------------------------------------

  /** The chosen mask of an object (default: the active one), or null. */
  exportMask(objectId?: string): Mask | null {
    const { objects, activeId } = this.store.getSnapshot()
    const object = objects.find((o) => o.id === (objectId ?? activeId))
    if (objectId && !object)
      throw new AnymaskError('INVALID_OPTION', `exportMask: no object with id "${objectId}" (ids: ${objects.map((o) => o.id).join(', ') || 'none'}).`)
    return object ? chosenMask(object) : null
  }

  /** The union of every visible object's chosen mask at the image's size, or null when nothing is selected. */
  selectionMask(): Mask | null {
    const masks = this.store
      .getSnapshot()
      .objects.filter((o) => !o.hidden)
      .map(chosenMask)
      .filter((m): m is Mask => m !== null)
    return masks.length ? masks.reduce((a, b) => union(a, b)) : null
  }

  /**
   * Runs the `autoSelect` option's detector on the image and adds what it finds as a new object, refined by the
   * model from the mask as a prompt (`session.maskPrompt`): one undo step, later clicks correct it. Like every prompt
   * it never rejects: a failure lands in `selection.error`. Waits for the image when it is still on its way.
   *
   * @example
   * <button onclick={() => controller.autoSelect()}>Select subject</button>
   */
  async autoSelect(): Promise<void> {
    if (!this.detector) {
      throw new AnymaskError(
        'INVALID_OPTION',
        'SelectionController.autoSelect(): no detector was given: pass options.autoSelect, e.g. (image, signal) => selectSubject(image, { signal }).',
      )
    }
    await this.imageDone
    const { image, session } = this.state
    const signal = this.imageAbort?.signal
    if (!image || !session || !signal || signal.aborted) return
    this.set({ announcement: 'Selecting the subject…' })
    await this.store.addPrompt(this.detector(image, signal).then((mask) => session.maskPrompt(mask)))
    if (!signal.aborted && !this.store.getSnapshot().error) this.set({ announcement: 'Subject selected: click to correct it' })
  }

  /**
   * Stops everything: aborts loads, disposes the session and the segmenter it created. The controller can be set
   * up again afterwards (React's StrictMode mounts twice).
   */
  dispose(): void {
    this.stopEverything()
    void this.setImage(null)
    this.releaseSegmenter()
    this.source = null
    this.segmenterKey = null
    this.set({ phase: 'idle', error: null, progress: null })
  }

  // --- everything tool ----------------------------------------------------------------------------------

  /** Runs everything mode on the current image; the regions come into the state batch by batch. */
  private startEverything(): void {
    const session = this.state.session
    if (!session) return
    const abort = new AbortController()
    this.everythingAbort = abort
    let masks: EverythingMask[] = []
    const update = (change: Partial<EverythingState>) => {
      if (!abort.signal.aborted) this.set({ everything: { ...this.state.everything!, ...change } })
    }
    this.set({ everything: { masks, hoverId: null, done: 0, total: 0, running: true, error: null }, announcement: 'Finding every object…' })
    session
      .everything({
        ...this.everythingOptions,
        signal: abort.signal,
        onMasks: ({ added, removed, done, total }) => {
          masks = [...masks.filter((m) => !removed.includes(m.id)), ...added]
          update({ masks, done, total })
        },
      })
      .then(
        (result) => {
          update({ masks: result.masks, running: false })
          if (!abort.signal.aborted) this.set({ announcement: `${result.masks.length} objects found: click one to select it` })
        },
        (error) => update({ running: false, error }),
      )
  }

  private stopEverything(): void {
    this.everythingAbort?.abort()
    this.everythingAbort = null
    if (this.state.everything) this.set({ everything: null })
  }

  /** The smallest region at an image pixel, or null. */
  private regionAt(p: { x: number; y: number } | null): EverythingMask | null {
    const image = this.state.image
    if (!p || !image) return null
    let found: EverythingMask | null = null
    for (const region of this.state.everything?.masks ?? []) {
      const { mask } = region
      const i = Math.floor((p.y * mask.height) / image.height) * mask.width + Math.floor((p.x * mask.width) / image.width)
      if (mask.data[i] >= 128 && (!found || mask.area < found.mask.area)) found = region
    }
    return found
  }

  private hoverRegion(p: { x: number; y: number } | null): void {
    const everything = this.state.everything
    const hoverId = this.regionAt(p)?.id ?? null
    if (everything && everything.hoverId !== hoverId) this.set({ everything: { ...everything, hoverId } })
  }

  /** The region at `p` as a new object: its point decoded at full resolution, the candidate it came from chosen. */
  private takeRegion(p: { x: number; y: number } | null): void {
    const region = this.regionAt(p)
    if (region) void this.store.addPoint({ ...region.point, label: 1 }, { newObject: true, candidateScore: region.score })
  }

  // --- internals ---------------------------------------------------------------------------------------

  private get ready(): boolean {
    return this.state.phase === 'ready'
  }

  private segmenterReady(segmenter: Segmenter): void {
    // Some exports take no box (transformers.js `main` SAM exports): then a drag draws nothing.
    this.set({ segmenter, canBox: segmenter.prompts.box !== false, progress: null })
    this.flushWaiters(segmenter)
  }

  private waitForSegmenter(): Promise<Segmenter | null> {
    if (this.state.segmenter) return Promise.resolve(this.state.segmenter)
    return new Promise((resolve) => this.segmenterWaiters.push(resolve))
  }

  private flushWaiters(segmenter: Segmenter | null): void {
    for (const resolve of this.segmenterWaiters.splice(0)) resolve(segmenter)
  }

  private releaseSegmenter(): void {
    this.segmenterAbort?.abort()
    this.segmenterAbort = null
    void this.owned?.dispose()
    this.owned = null
    this.segmenterFailure = null
    this.flushWaiters(null)
    this.set({ segmenter: null, progress: null })
  }

  /** The whole pixel under a pointer, or null outside the image. */
  private pixel(pointer: ImagePointer): { x: number; y: number } | null {
    const image = this.state.image
    const x = Math.floor(pointer.x)
    const y = Math.floor(pointer.y)
    return image && x >= 0 && y >= 0 && x < image.width && y < image.height ? { x, y } : null
  }

  private clampBox(a: ImagePointer, b: ImagePointer): Box {
    const { width, height } = this.state.image ?? { width: 0, height: 0 }
    const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v))
    return {
      x0: clamp(Math.min(a.x, b.x), width),
      y0: clamp(Math.min(a.y, b.y), height),
      x1: clamp(Math.max(a.x, b.x), width),
      y1: clamp(Math.max(a.y, b.y), height),
    }
  }

  private set(change: Partial<SelectionControllerState>): void {
    const next = { ...this.state, ...change }
    if (change.selection) next.announcement = announce(change.selection, next.announcement)
    this.state = next
    for (const listener of this.listeners) listener()
  }
}

/** The announcement after a selection change (the previous one when there is nothing new to say). */
function announce(selection: SelectionState, previous: string): string {
  const active: SelectionObject | undefined = selection.objects.find((o) => o.id === selection.activeId)
  const mask = active && chosenMask(active)
  if (selection.error) return `Error: ${selection.error instanceof Error ? selection.error.message : String(selection.error)}`
  if (active && mask) return `${active.name} selected, ${percent(mask)}% of the image`
  if (active) return `${active.name}: nothing selected`
  return previous
}

const isSegmenter = (source: SegmenterSource): source is Segmenter => typeof (source as Segmenter).encode === 'function'

/** What makes two segmenter sources the same: the instance, or the model id with the options that matter. */
function keyOf(source: SegmenterSource): unknown {
  if (isSegmenter(source)) return source
  const model = source.model ?? 'anymask-lite'
  const { device, worker, workerUrl } = source.options ?? {}
  return [typeof model === 'string' ? model : model.id, device, worker, String(workerUrl ?? '')]
}

const sameKey = (a: unknown, b: unknown) => a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((value, i) => value === b[i]))
