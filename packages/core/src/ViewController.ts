/**
 * The one place where screen and image coordinates meet (DESIGN.md style 8). A view maps image pixels to CSS pixels
 * of a viewport: screen = image * scale + offset. Zoom and pan change the view, never the encoding.
 */
import { checkNumber } from './options.js'
import type { KeyPress, SelectionController } from './SelectionController.js'

export interface View {
  scale: number
  x: number
  y: number
}

/** A point in the viewport's CSS pixels. */
export interface ScreenPoint {
  sx: number
  sy: number
}

/** Image pixel under a screen point. */
export const toImagePoint = (view: View, { sx, sy }: ScreenPoint) => ({ x: (sx - view.x) / view.scale, y: (sy - view.y) / view.scale })

/** Screen point of an image pixel position. */
export const toScreenPoint = (view: View, x: number, y: number): ScreenPoint => ({ sx: x * view.scale + view.x, sy: y * view.scale + view.y })

/** The whole image, centred, as large as fits. */
export function fitView(imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number): View {
  const scale = Math.min(viewWidth / imageWidth, viewHeight / imageHeight) || 1
  return { scale, x: (viewWidth - imageWidth * scale) / 2, y: (viewHeight - imageHeight * scale) / 2 }
}

/** Zooms by `factor` keeping the image pixel under `at` where it is; the scale stays within [min, max]. */
export function zoomAt(view: View, factor: number, at: ScreenPoint, min = 0.01, max = 64): View {
  const scale = Math.min(max, Math.max(min, view.scale * factor))
  const k = scale / view.scale
  return { scale, x: at.sx - (at.sx - view.x) * k, y: at.sy - (at.sy - view.y) * k }
}

/** A pointer event in the viewport's CSS pixels, as DOM PointerEvents carry it. */
export interface ScreenPointer extends ScreenPoint {
  /** Tells fingers apart (`PointerEvent.pointerId`). Default 0. */
  id?: number
  /** 0 main, 1 middle (pans), 2 secondary (a background point). Default 0. */
  button?: number
  altKey?: boolean
  shiftKey?: boolean
}

/** A wheel event in the viewport's CSS pixels; Ctrl (a trackpad pinch in browsers) zooms faster. */
export interface ScreenWheel extends ScreenPoint {
  deltaY: number
  ctrlKey?: boolean
}

/** The view and the viewport's size in CSS pixels; a new object on every change. */
export interface ViewState {
  view: View
  width: number
  height: number
}

/**
 * Zoom and pan of an image in a viewport, and the screen side of the selection tool: it takes pointer, wheel and
 * key events in the viewport's CSS pixels, keeps the ones that move the view (wheel, pinch, space-drag or the middle
 * button to pan; +, -, 0 to zoom in, out and fit) and hands the rest to the `SelectionController` in image pixels.
 * The view fits the image until the user zooms or pans, and again for each new image.
 *
 * @example
 * const viewer = new ViewController(controller)
 * viewer.setSize(div.clientWidth, div.clientHeight)
 * viewer.subscribe(() => draw(viewer.getSnapshot().view))
 * div.onpointerdown = (e) => viewer.pointerDown({ sx: e.offsetX, sy: e.offsetY, id: e.pointerId, button: e.button })
 */
export class ViewController {
  private state: ViewState = { view: { scale: 1, x: 0, y: 0 }, width: 0, height: 0 }
  private readonly listeners = new Set<() => void>()
  private image: { width: number; height: number } | null = null
  private userMoved = false
  private readonly pointers = new Map<number, ScreenPoint>()
  private pinch: { distance: number; view: View } | null = null
  private pan: { start: ScreenPoint; view: View } | null = null
  private spaceHeld = false

  constructor(readonly selection: SelectionController) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = (): ViewState => this.state

  /** The viewport's size in CSS pixels (call it when the element resizes). */
  setSize(width: number, height: number): void {
    checkNumber(width, 'ViewController.setSize', 'width', { min: 0 })
    checkNumber(height, 'ViewController.setSize', 'height', { min: 0 })
    if (width === this.state.width && height === this.state.height) return
    this.state = { ...this.state, width, height }
    if (!this.userMoved) this.fit()
    else this.emit()
  }

  /** The image shown (its pixels, or just its size); a new one forgets the zoom and pan and fits. */
  setImage(image: { width: number; height: number } | null): void {
    if (image === this.image) return
    this.image = image
    this.fit()
  }

  /** Fits the whole image, and keeps fitting it as the viewport resizes until the user zooms or pans. */
  fit(): void {
    this.userMoved = false
    const { width, height } = this.state
    if (this.image && width && height) this.setView(fitView(this.image.width, this.image.height, width, height), false)
    else this.emit()
  }

  /** Zooms by `factor` around a screen point (default: the viewport's centre). */
  zoom(factor: number, at: ScreenPoint = { sx: this.state.width / 2, sy: this.state.height / 2 }): void {
    checkNumber(factor, 'ViewController.zoom', 'factor', { min: 0, above: true })
    this.setView(zoomAt(this.state.view, factor, at))
  }

  /** The image point under a screen point, with what the selection needs to know of the event. */
  private toImage(p: ScreenPointer) {
    const view = this.state.view
    return { ...toImagePoint(view, p), button: p.button, altKey: p.altKey, shiftKey: p.shiftKey, scale: view.scale }
  }

  /** A press; true when the view took it (a pan or a pinch), so an adapter may stop the browser's default. */
  pointerDown(p: ScreenPointer): boolean {
    this.pointers.set(p.id ?? 0, { sx: p.sx, sy: p.sy })
    if (this.pointers.size === 2) {
      const [a, b] = [...this.pointers.values()]
      this.pinch = { distance: Math.hypot(a.sx - b.sx, a.sy - b.sy), view: this.state.view }
      this.selection.pointerLeave() // the first finger's press is a pinch, not a click
      return true
    }
    if (p.button === 1 || this.spaceHeld) {
      this.pan = { start: { sx: p.sx, sy: p.sy }, view: this.state.view }
      return true
    }
    this.selection.pointerDown(this.toImage(p))
    return false
  }

  pointerMove(p: ScreenPointer): void {
    const id = p.id ?? 0
    if (this.pointers.has(id)) this.pointers.set(id, { sx: p.sx, sy: p.sy })
    if (this.pinch && this.pointers.size === 2) {
      const [a, b] = [...this.pointers.values()]
      const { distance, view } = this.pinch
      this.setView(zoomAt(view, Math.hypot(a.sx - b.sx, a.sy - b.sy) / (distance || 1), { sx: (a.sx + b.sx) / 2, sy: (a.sy + b.sy) / 2 }))
    } else if (this.pan) {
      const { start, view } = this.pan
      this.setView({ ...view, x: view.x + p.sx - start.sx, y: view.y + p.sy - start.sy })
    } else this.selection.pointerMove(this.toImage(p))
  }

  pointerUp(p: ScreenPointer): void {
    this.pointers.delete(p.id ?? 0)
    if (this.pinch) {
      if (this.pointers.size < 2) this.pinch = null
    } else if (this.pan) this.pan = null
    else this.selection.pointerUp(this.toImage(p))
  }

  /** A gesture the system took back (a touch that became a scroll): nothing is clicked, dragged or previewed. */
  pointerCancel(p: ScreenPointer): void {
    this.pointers.delete(p.id ?? 0)
    if (this.pointers.size < 2) this.pinch = null
    this.pan = null
    this.selection.pointerLeave()
  }

  /** The pointer left the viewport: the hover preview goes, unless a press is still on (it may come back). */
  pointerLeave(): void {
    if (this.pointers.size === 0) this.selection.pointerLeave()
  }

  wheel(w: ScreenWheel): void {
    this.setView(zoomAt(this.state.view, Math.exp(-w.deltaY * (w.ctrlKey ? 0.01 : 0.0015)), w))
  }

  /** The view's keys (space held pans; + or =, -, 0), then the selection's key map; true when either used it. */
  keyDown(key: KeyPress): boolean {
    const keys: Record<string, () => void> = {
      ' ': () => (this.spaceHeld = true),
      '+': () => this.zoom(1.25),
      '=': () => this.zoom(1.25),
      '-': () => this.zoom(0.8),
      '0': () => this.fit(),
    }
    const viewKey = !key.ctrlKey && !key.metaKey && keys[key.key]
    if (viewKey) return (viewKey(), true)
    return this.selection.keyDown(key)
  }

  keyUp(key: KeyPress): void {
    if (key.key === ' ') this.spaceHeld = false
  }

  private setView(view: View, byUser = true): void {
    if (byUser) this.userMoved = true
    this.state = { ...this.state, view }
    this.emit()
  }

  private emit(): void {
    for (const listener of this.listeners) listener()
  }
}
