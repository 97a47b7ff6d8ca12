import { AnymaskError } from './AnymaskError.js'
import { describeValue } from './options.js'
import type { ImageSession } from './ImageSession.js'
import type { Box, LowResMask, Mask, Prompt, PromptPoint } from './types.js'

/** One selected object (a layer): its prompts, the model's candidates for them, and which candidate is chosen. */
export interface SelectionObject {
  id: string
  name: string
  /** Palette slot; UIs map it to a colour (the React canvas uses `--anymask-color-1` ... `-6`). */
  colorIndex: number
  hidden: boolean
  points: PromptPoint[]
  box: Box | null
  /** The candidates of the last decode, in the model's order, with their scores. */
  candidates: Mask[]
  scores: number[]
  /** Index of the chosen candidate; -1 while there is none. */
  candidate: number
  /** The model's logits per candidate, fed back as the mask prompt when this object is refined. */
  lowRes: LowResMask[]
}

/** A snapshot of a selection; a new object on every change, so it suits `useSyncExternalStore`. */
export interface SelectionState {
  objects: readonly SelectionObject[]
  activeId: string | null
  /**
   * What a click at the hovered point would give the active object. Its mask is at display resolution (see
   * `previewMaxSide`): scale it by the image's width / the mask's width to draw it. `outline` is its outline as an SVG
   * path in the mask's pixels, traced where the model runs (the worker).
   */
  preview: { point: PromptPoint; mask: Mask; outline?: string } | null
  /** A decode is running. */
  busy: boolean
  /** The last decode's failure, cleared by the next successful change. */
  error: unknown
  canUndo: boolean
  canRedo: boolean
}

export interface SelectionStoreOptions {
  /** Ask for several candidates on every prompt (true, the default) or follow SAM's rule (one point only). */
  multimask?: boolean
  /** Called with each failed decode (the state's `error` holds it too). */
  onError?: (error: unknown) => void
  /** Longest side of hover-preview masks, so previews keep up on large photos. Default 1024. */
  previewMaxSide?: number
  /** Also trace each hover preview's outline where the model runs (`preview.outline`), for UIs that stroke it as a vector path. Default false. */
  previewOutline?: boolean
  /**
   * Bytes of masks that undo / redo may keep besides the current selection; the oldest steps go first. Each step
   * keeps its masks at full resolution (about 36 MB a click at 12 MP). Default 256 MiB.
   */
  historyBytes?: number
}

const DEFAULT_HISTORY_BYTES = 256 * 2 ** 20

/** An object's prompts after a change; `mask` seeds one decode (addPrompt) and is not kept. */
interface NextPrompt {
  points: PromptPoint[]
  box: Box | null
  mask?: LowResMask
}

interface Document {
  objects: readonly SelectionObject[]
  activeId: string | null
}

/** The pixel buffers of every mask and low-res mask in `docs` (shared between steps that share an object). */
function* buffersOf(docs: Document[]): Generator<ArrayBufferLike> {
  for (const doc of docs)
    for (const o of doc.objects) {
      for (const m of o.candidates) yield m.data.buffer
      for (const m of o.lowRes) yield m.data.buffer
    }
}

/** The mask of an object's chosen candidate, or null. */
export const chosenMask = (object: SelectionObject): Mask | null => object.candidates[object.candidate] ?? null

const PALETTE_SIZE = 6

/**
 * The state of an interactive selection on one encoded image: objects (layers) with their prompts and masks,
 * candidates, undo / redo, hover preview. Prompt changes decode through the session, one at a time and in order;
 * each finished change is one undo step, and undo restores the exact masks it had (no decode). UI adapters only
 * subscribe and call actions: the logic lives here.
 *
 * @example
 * const store = new SelectionStore(session)
 * store.subscribe(() => render(store.getSnapshot()))
 * await store.addPoint({ x: 120, y: 80, label: 1 })
 * await store.addPoint({ x: 300, y: 90, label: 1 }, { newObject: true })
 * store.undo()
 */
export class SelectionStore {
  private doc: Document = { objects: [], activeId: null }
  private past: Document[] = []
  private future: Document[] = []
  private state: SelectionState
  private readonly listeners = new Set<() => void>()
  private queue: Promise<unknown> = Promise.resolve()
  private busyCount = 0
  private error: unknown = null
  private previewState: SelectionState['preview'] = null
  private previewSeq = 0
  private nextId = 1
  /** Which image the selection is of: work started for an earlier one must not touch this one. */
  private epoch = 0

  constructor(
    private session: ImageSession | null = null,
    private readonly options: SelectionStoreOptions = {},
  ) {
    this.state = this.snapshot()
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = (): SelectionState => this.state

  /** The active object, or null. */
  get active(): SelectionObject | null {
    return this.doc.objects.find((o) => o.id === this.doc.activeId) ?? null
  }

  /** A new image: the selection and its history start over. */
  setSession(session: ImageSession | null): void {
    this.epoch++
    this.session = session
    this.doc = { objects: [], activeId: null }
    this.past = []
    this.future = []
    this.previewState = null
    this.previewSeq++
    this.error = null
    this.emit()
  }

  /**
   * Replaces the objects from outside (controlled masks). Not an undo step: the owner of the value keeps its history.
   */
  setObjects(objects: readonly SelectionObject[]): void {
    if (objects === this.doc.objects) return
    const activeId = objects.some((o) => o.id === this.doc.activeId) ? this.doc.activeId : (objects.at(-1)?.id ?? null)
    this.doc = { objects, activeId }
    for (const o of objects) {
      const n = Number(/^object-(\d+)$/.exec(o.id)?.[1])
      if (n >= this.nextId) this.nextId = n + 1
    }
    this.emit()
  }

  /**
   * Adds a point to the active object (or to a new one) and decodes. Like every prompt change it never rejects:
   * a failure lands in the state's `error` and `onError`, and the selection stays as it was. `candidateScore` chooses
   * the candidate of nearest score instead of the best (everything mode: the candidate a region came from).
   */
  addPoint(point: PromptPoint, options: { newObject?: boolean; candidateScore?: number } = {}): Promise<void> {
    return this.changePrompt(options.newObject, (o) => ({ points: [...o.points, point], box: o.box }), true, options.candidateScore)
  }

  /** Sets (or with null removes) the active object's box and decodes. */
  setBox(box: Box | null, options: { newObject?: boolean } = {}): Promise<void> {
    return this.changePrompt(options.newObject, (o) => ({ points: o.points, box }), false)
  }

  /**
   * A new object from a whole prompt (or a promise of one: a detector still running), decoded: its points and box
   * become the object's, and its `mask` (made elsewhere, as `session.maskPrompt` gives it) seeds the decode; later
   * clicks refine the answer as usual. A rejected promise lands in `error`, like a failed decode.
   *
   * @example
   * await store.addPrompt({ box: subject.bbox, mask: session.maskPrompt(subject) })
   */
  addPrompt(prompt: Prompt | PromiseLike<Prompt>): Promise<void> {
    const pending = Promise.resolve(prompt)
    pending.catch(() => {}) // handled below, unless a new image drops the change before it is awaited
    return this.changePrompt(
      true,
      async () => {
        const given = await pending
        return { points: given.points ?? [], box: given.box ?? null, mask: given.mask }
      },
      false,
    )
  }

  /** Removes the active object's last point (the box if it has no points) and decodes. */
  removeLastPrompt(): Promise<void> {
    return this.changePrompt(false, (o) => (o.points.length ? { points: o.points.slice(0, -1), box: o.box } : { points: [], box: null }), false)
  }

  /** Starts an empty object and makes it active (one undo step). */
  newObject(): SelectionObject {
    const object = this.makeObject()
    this.commit({ objects: [...this.doc.objects, object], activeId: object.id })
    return object
  }

  select(id: string | null): void {
    if (id !== null) this.find(id)
    if (id !== this.doc.activeId) this.commit({ ...this.doc, activeId: id })
  }

  rename(id: string, name: string): void {
    this.update(id, { name })
  }

  setHidden(id: string, hidden: boolean): void {
    this.update(id, { hidden })
  }

  remove(id: string): void {
    this.find(id)
    const objects = this.doc.objects.filter((o) => o.id !== id)
    this.commit({ objects, activeId: this.doc.activeId === id ? (objects.at(-1)?.id ?? null) : this.doc.activeId })
  }

  /** Chooses candidate `index` of the active object. */
  chooseCandidate(index: number): void {
    const active = this.active
    if (!active?.candidates.length) return
    if (!Number.isInteger(index) || index < 0 || index >= active.candidates.length) {
      throw new AnymaskError('INVALID_OPTION', `chooseCandidate: index ${describeValue(index)} is outside 0..${active.candidates.length - 1}.`)
    }
    if (index !== active.candidate) this.update(active.id, { candidate: index })
  }

  /** Steps through the active object's candidates (Tab / Shift+Tab). */
  cycleCandidate(step = 1): void {
    const active = this.active
    if (!active || active.candidates.length < 2) return
    const n = active.candidates.length
    this.chooseCandidate((((active.candidate + step) % n) + n) % n)
  }

  /** Empties the active object's prompts and masks (Esc). */
  clearActive(): void {
    const active = this.active
    if (!active || (!active.points.length && !active.box)) return
    this.update(active.id, { points: [], box: null, candidates: [], scores: [], candidate: -1, lowRes: [] })
  }

  /** Removes every object (one undo step). */
  clear(): void {
    if (!this.doc.objects.length) return
    this.commit({ objects: [], activeId: null })
  }

  undo(): void {
    const previous = this.past.pop()
    if (!previous) return
    this.future.push(this.doc)
    this.doc = previous
    this.emit()
  }

  redo(): void {
    const next = this.future.pop()
    if (!next) return
    this.past.push(this.doc)
    this.doc = next
    this.emit()
  }

  /**
   * Hover: decodes what a click at `point` would give the active object; superseded hovers are dropped
   * (the session's preview keeps one running and one waiting). Null clears the preview.
   */
  async preview(point: PromptPoint | null): Promise<void> {
    const seq = ++this.previewSeq
    if (!point || !this.session) {
      if (this.previewState) (this.previewState = null), this.emit()
      return
    }
    const active = this.active
    const prompt = active ? this.promptOf([...active.points, point], active.box, active) : { points: [point] }
    try {
      // The outline is traced where the model runs (the worker), not on the page's thread.
      const result = await this.session.preview(prompt, { maxSide: this.options.previewMaxSide ?? 1024, outline: this.options.previewOutline ?? false })
      if (!result || seq !== this.previewSeq) return
      this.previewState = { point, mask: result.masks[result.best], outline: result.outlines?.[result.best] }
      this.emit()
    } catch (error) {
      if (seq === this.previewSeq) this.fail(error)
    }
  }

  /** Resolves when every queued decode has finished. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined)
  }

  private changePrompt(
    newObject: boolean | undefined,
    next: (o: SelectionObject) => NextPrompt | Promise<NextPrompt>,
    refine: boolean,
    candidateScore?: number,
  ): Promise<void> {
    // The prompt belongs to the image on screen when it was given: if the image changes before or while it decodes,
    // it is dropped, not applied to the new image's selection.
    const epoch = this.epoch
    const run = async () => {
      if (epoch !== this.epoch) return
      const session = this.session
      if (!session) throw new AnymaskError('INVALID_PROMPT', 'The selection has no encoded image yet: wait for the image session before adding prompts.')
      const base = newObject || !this.active ? this.makeObject() : this.active
      let change: NextPrompt
      try {
        change = await next(base)
      } catch (error) {
        if (epoch !== this.epoch) return // a detector stopped by a new image: not this image's failure
        throw error
      }
      if (epoch !== this.epoch) return
      const { points, box, mask: seed } = change
      const prompted = { ...base, points, box }
      let object: SelectionObject
      if (!points.length && !box && !seed) {
        object = { ...prompted, candidates: [], scores: [], candidate: -1, lowRes: [] }
      } else {
        const prompt = this.promptOf(points, box, refine ? base : null)
        if (seed && session.prompts.mask !== false) prompt.mask = seed
        const result = await session.decode(prompt, { multimask: this.options.multimask ?? true })
        if (epoch !== this.epoch) return
        const nearest = (best: number, s: number, i: number) => (Math.abs(s - candidateScore!) < Math.abs(result.scores[best] - candidateScore!) ? i : best)
        const candidate = candidateScore === undefined ? result.best : result.scores.reduce(nearest, 0)
        object = { ...prompted, candidates: result.masks, scores: result.scores, candidate, lowRes: result.lowRes }
      }
      const exists = this.doc.objects.some((o) => o.id === object.id)
      const objects = exists ? this.doc.objects.map((o) => (o.id === object.id ? object : o)) : [...this.doc.objects, object]
      this.previewState = null
      this.previewSeq++
      this.commit({ objects, activeId: object.id })
    }
    return this.enqueue(run)
  }

  /**
   * Points and box, plus the object's previous logits when refining an object that has a mask and the model takes
   * one (exports without a mask input refine from the points alone, all of which the prompt carries).
   */
  private promptOf(points: PromptPoint[], box: Box | null, refining: SelectionObject | null): Prompt {
    const prompt: Prompt = {}
    if (points.length) prompt.points = points
    if (box) prompt.box = box
    const previous = refining?.lowRes[refining.candidate]
    if (previous && this.session?.prompts.mask !== false) prompt.mask = previous
    return prompt
  }

  private enqueue(run: () => Promise<void>): Promise<void> {
    this.busyCount++
    this.emit()
    const done = this.queue.then(run).then(
      () => {
        this.error = null
      },
      (error) => this.fail(error),
    )
    this.queue = done.finally(() => {
      this.busyCount--
      this.emit()
    })
    return this.queue as Promise<void>
  }

  private fail(error: unknown): void {
    this.error = error
    this.options.onError?.(error)
    this.emit()
  }

  private makeObject(): SelectionObject {
    const n = this.nextId++
    return {
      id: `object-${n}`,
      name: `Object ${n}`,
      colorIndex: (n - 1) % PALETTE_SIZE,
      hidden: false,
      points: [],
      box: null,
      candidates: [],
      scores: [],
      candidate: -1,
      lowRes: [],
    }
  }

  private find(id: string): SelectionObject {
    const object = this.doc.objects.find((o) => o.id === id)
    if (!object)
      throw new AnymaskError('INVALID_OPTION', `SelectionStore: no object with id "${id}" (ids: ${this.doc.objects.map((o) => o.id).join(', ') || 'none'}).`)
    return object
  }

  private update(id: string, change: Partial<SelectionObject>): void {
    this.find(id)
    this.commit({ ...this.doc, objects: this.doc.objects.map((o) => (o.id === id ? { ...o, ...change } : o)) })
  }

  private commit(doc: Document): void {
    this.past.push(this.doc)
    this.future = []
    this.doc = doc
    this.trimHistory()
    this.emit()
  }

  /** Drops the oldest undo steps until the masks only history holds fit in `historyBytes`. */
  private trimHistory(): void {
    const limit = this.options.historyBytes ?? DEFAULT_HISTORY_BYTES
    const current = new Set(buffersOf([this.doc]))
    const held = () => {
      let bytes = 0
      for (const buffer of new Set(buffersOf([...this.past, ...this.future]))) if (!current.has(buffer)) bytes += buffer.byteLength
      return bytes
    }
    while (this.past.length && held() > limit) this.past.shift()
  }

  private snapshot(): SelectionState {
    return {
      objects: this.doc.objects,
      activeId: this.doc.activeId,
      preview: this.previewState,
      busy: this.busyCount > 0,
      error: this.error,
      canUndo: this.past.length > 0,
      canRedo: this.future.length > 0,
    }
  }

  private emit(): void {
    this.state = this.snapshot()
    for (const listener of this.listeners) listener()
  }
}
