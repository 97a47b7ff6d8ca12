import { type Canvas, Circle, FabricImage, type FabricObject, Rect, type TPointerEventInfo } from 'fabric'
import {
  AnymaskError,
  checkOptions,
  createMask,
  intersect,
  invalidOption,
  maskToRgba,
  maskToSvgPath,
  optionalBoolean,
  optionalNumber,
  resizeMask,
  SelectionController,
  type Box,
  type Mask,
  type ModelSpec,
  type RgbaImage,
  type Segmenter,
  type SegmenterOptions,
  type SelectionControllerOptions,
  type SelectionControllerState,
} from '@anymask/core'
import { cutout, drawToCanvas, inpaintMask, recolor, replaceBackground, type Background, type InpaintMaskOptions, type RecolorOptions } from '@anymask/edit'
import { coverImage, placeOver, sceneToImage, screenScale, visibleBox } from './placement.js'

export interface SegmentToolOptions extends SelectionControllerOptions {
  /** A segmenter created elsewhere (shared); it is not disposed with the tool. */
  segmenter?: Segmenter
  /** Else a model to load: a registry id or ModelSpec. Default 'anymask-lite' (embedded, works offline). */
  model?: string | ModelSpec
  /** Options of the segmenter created for `model` (device, worker, ...). */
  segmenterOptions?: Omit<SegmenterOptions, 'model' | 'onProgress' | 'signal'>
  /** The layers' colours ('#rrggbb'), by palette slot (`colorIndex`). */
  colors?: readonly string[]
  /** Opacity of the selection's fill, 0..1. Default 0.45. */
  opacity?: number
  /** Colour of the hover preview ('#rrggbb'). Default white. */
  previewColor?: string
  /** Handle the key map on the canvas element (it is made focusable). Default true. */
  keyboard?: boolean
}

/** An edit the tool made on the canvas; `undoEdit()` reverses the latest. */
export interface SegmentEdit {
  action: 'cutout' | 'removeBackground' | 'replaceBackground' | 'recolor' | 'inpaintMask'
  /** The object the edit added, or the image it changed. */
  object: FabricImage
}

const PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#ec4899', '#8b5cf6', '#ef4444']
const HEX = /^#[0-9a-f]{6}$/i
const OVERLAY_MAX_SIDE = 2048 // the selection's fill is drawn at about display resolution, not at 12 MP
const OWN = { selectable: false, evented: false, excludeFromExport: true, objectCaching: false } as const

const hexToRgb = (hex: string): [number, number, number] => {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

function toCanvas(image: RgbaImage): HTMLCanvasElement {
  const canvas = document.createElement('canvas')
  drawToCanvas(image, canvas)
  return canvas
}

/**
 * The anymask selection tool on a `FabricImage` of a fabric.js `Canvas`: hover preview, click / Alt-click (or right
 * click) for object / background points, drag for a box, Shift for a new object, the key map, layers; the
 * selection drawn as fabric objects that follow the image wherever it is moved, scaled, rotated, flipped, skewed or
 * cropped, under any zoom and pan. Edits land as fabric objects exactly over the source pixels and are undoable.
 * Made by `attachSegmentTool`.
 */
export class SegmentTool {
  /** The headless controller: state, store (layers, undo / redo), gestures. */
  readonly controller: SelectionController
  /** Resolves once the image is encoded; rejects with the reason it could not be. */
  readonly ready: Promise<void>
  private readonly options: SegmentToolOptions
  private enabledState = false
  private saved: Record<string, unknown> = {}
  private pressed = false
  private readonly selectionOverlay: FabricImage
  private readonly previewOverlay: FabricImage
  private overlayScale = { x: 1, y: 1 }
  private previewScale = { x: 1, y: 1 }
  private marks: { object: FabricObject; x: number; y: number }[] = []
  private dragRect: Rect | null = null
  private pixels: RgbaImage | null = null
  private readonly edits: (() => void)[] = []
  private drawn: { objects: unknown; activeId: unknown; preview: unknown } = { objects: null, activeId: null, preview: null }
  private readonly unsubscribe: () => void

  constructor(
    readonly canvas: Canvas,
    readonly image: FabricImage,
    options: SegmentToolOptions = {},
  ) {
    if (!canvas || typeof canvas.getObjects !== 'function') throw new AnymaskError('INVALID_OPTION', 'attachSegmentTool: canvas must be a fabric.js Canvas.')
    if (!(image instanceof FabricImage)) throw new AnymaskError('INVALID_OPTION', 'attachSegmentTool: image must be a FabricImage (fabric 6 or 7).')
    if (!canvas.getObjects().includes(image))
      throw new AnymaskError('INVALID_OPTION', 'attachSegmentTool: the image is not on this canvas (a group member is not supported): canvas.add(image) first.')
    const { segmenter, model, segmenterOptions, colors, opacity, previewColor, keyboard, ...controllerOptions } = checkOptions(options, 'attachSegmentTool')
    const where = 'attachSegmentTool'
    if (colors !== undefined && (!Array.isArray(colors) || !colors.length || !colors.every((c) => typeof c === 'string' && HEX.test(c))))
      throw invalidOption(where, 'options.colors', colors, "a non-empty array of '#rrggbb' colours")
    if (previewColor !== undefined && (typeof previewColor !== 'string' || !HEX.test(previewColor)))
      throw invalidOption(where, 'options.previewColor', previewColor, "a '#rrggbb' colour")
    optionalNumber(opacity, 0.45, where, 'options.opacity', { min: 0, max: 1 })
    optionalBoolean(keyboard, true, where, 'options.keyboard')
    this.options = { colors, opacity, previewColor, keyboard }
    this.controller = new SelectionController(controllerOptions)
    this.controller.setSegmenter(segmenter ?? { model, options: segmenterOptions })
    this.selectionOverlay = new FabricImage(document.createElement('canvas'), OWN)
    this.previewOverlay = new FabricImage(document.createElement('canvas'), { ...OWN, visible: false })
    const at = canvas.getObjects().indexOf(image) + 1
    canvas.insertAt(at, this.selectionOverlay, this.previewOverlay)
    this.unsubscribe = this.controller.subscribe(() => this.draw(this.controller.getSnapshot()))
    canvas.on('mouse:down', this.onDown)
    canvas.on('mouse:move', this.onMove)
    canvas.on('mouse:up', this.onUp)
    canvas.on('mouse:out', this.onOut)
    canvas.on('before:render', this.follow)
    if (keyboard !== false) {
      const element = canvas.upperCanvasEl
      if (element.tabIndex < 0) (this.saved.tabIndex = element.getAttribute('tabindex')), (element.tabIndex = 0)
      element.addEventListener('keydown', this.onKey)
    }
    this.setEnabled(true)
    this.ready = this.controller.setImage(image.getElement() as HTMLImageElement).then(() => {
      const { phase, error, image: pixels } = this.controller.getSnapshot()
      if (phase !== 'ready') throw error
      this.pixels = pixels
      this.fire('anymask:ready', {})
    })
    this.ready.catch((error) => this.fire('anymask:error', { error }))
  }

  get store() {
    return this.controller.store
  }

  get enabled(): boolean {
    return this.enabledState
  }

  /**
   * Turns the tool on (pointer gestures select; the image stays put) or off (the editor's own interaction comes
   * back: the image can be moved again). The selection stays drawn either way.
   */
  setEnabled(enabled: boolean): void {
    if (enabled === this.enabledState) return
    this.enabledState = enabled
    const { canvas, image } = this
    if (enabled) {
      this.saved = {
        ...this.saved,
        selectable: image.selectable,
        hoverCursor: image.hoverCursor,
        selection: canvas.selection,
        fireRightClick: canvas.fireRightClick,
        stopContextMenu: canvas.stopContextMenu,
      }
      image.set({ selectable: false, hoverCursor: 'crosshair' })
      Object.assign(canvas, { selection: false, fireRightClick: true, stopContextMenu: true })
      if (canvas.getActiveObject() === image) canvas.discardActiveObject()
    } else {
      image.set({ selectable: this.saved.selectable as boolean, hoverCursor: this.saved.hoverCursor as string })
      Object.assign(canvas, { selection: this.saved.selection, fireRightClick: this.saved.fireRightClick, stopContextMenu: this.saved.stopContextMenu })
      this.controller.pointerLeave()
    }
  }

  /** The key map (arrows, Enter, Esc, Backspace, C, N, undo / redo); true when the key was used. */
  keyDown(event: KeyboardEvent | { key: string; altKey?: boolean; shiftKey?: boolean; ctrlKey?: boolean; metaKey?: boolean }): boolean {
    return this.enabledState && this.controller.keyDown(event)
  }

  // --- edits: each lands as fabric objects exactly over the source pixels, and can be undone -------------

  /** The selection cut out of what the image shows, as a new FabricImage over the same pixels; null with no selection. */
  cutout(): FabricImage | null {
    const mask = this.shownSelection()
    if (!mask || !this.pixels) return null
    const box = { x0: mask.bbox.x0, y0: mask.bbox.y0, x1: mask.bbox.x1, y1: mask.bbox.y1 }
    const piece = new FabricImage(toCanvas(cutout(this.pixels, mask, { trim: true })), placeOver(this.image, box))
    return this.add(piece, 'cutout')
  }

  /** Makes everything outside the selection transparent, in the image itself. */
  removeBackground(): boolean {
    const mask = this.controller.selectionMask()
    return !!mask && !!this.pixels && this.change('removeBackground', cutout(this.pixels, mask))
  }

  /** Puts `background` (a colour, an image, or a blur of the photo) behind the selection, in the image itself. */
  replaceBackground(background: Background): boolean {
    const mask = this.controller.selectionMask()
    return !!mask && !!this.pixels && this.change('replaceBackground', replaceBackground(this.pixels, mask, background))
  }

  /** Recolours the selection (keeping the photo's lightness), in the image itself. */
  recolor(options: RecolorOptions): boolean {
    const mask = this.controller.selectionMask()
    return !!mask && !!this.pixels && this.change('recolor', recolor(this.pixels, mask, options))
  }

  /** An inpainting mask of the selection (white where to fill) as a new FabricImage over the image; null with no selection. */
  inpaintMask(options?: InpaintMaskOptions): FabricImage | null {
    const mask = this.controller.selectionMask()
    if (!mask) return null
    const filled = inpaintMask(mask, options)
    const rgba = maskToRgba(filled)
    for (let i = 3; i < rgba.length; i += 4) (rgba[i - 3] = rgba[i - 2] = rgba[i - 1] = rgba[i]), (rgba[i] = 255) // white on black
    const object = new FabricImage(toCanvas({ data: rgba, width: mask.width, height: mask.height }))
    coverImage(this.image, object, { x: 1, y: 1 })
    return this.add(object, 'inpaintMask')
  }

  /** Reverses the latest edit; false when there is none. */
  undoEdit(): boolean {
    const undo = this.edits.pop()
    undo?.()
    this.canvas.requestRenderAll()
    return !!undo
  }

  /** Removes every listener and every object the tool drew (edits stay: they are the user's), and stops the controller. */
  dispose(): void {
    this.setEnabled(false)
    const { canvas } = this
    canvas.off('mouse:down', this.onDown)
    canvas.off('mouse:move', this.onMove)
    canvas.off('mouse:up', this.onUp)
    canvas.off('mouse:out', this.onOut)
    canvas.off('before:render', this.follow)
    const element = canvas.upperCanvasEl
    element.removeEventListener('keydown', this.onKey)
    if ('tabIndex' in this.saved)
      this.saved.tabIndex === null ? element.removeAttribute('tabindex') : element.setAttribute('tabindex', String(this.saved.tabIndex))
    canvas.remove(this.selectionOverlay, this.previewOverlay, ...this.marks.map((m) => m.object), ...(this.dragRect ? [this.dragRect] : []))
    this.unsubscribe()
    this.controller.dispose()
    canvas.requestRenderAll()
  }

  // --- pointer and keys ------------------------------------------------------------------------------

  private pointer(info: TPointerEventInfo) {
    const e = info.e as MouseEvent
    const { x, y } = sceneToImage(this.image, info.scenePoint)
    return { x, y, button: e.button ?? 0, altKey: e.altKey, shiftKey: e.shiftKey, scale: screenScale(this.canvas, this.image) }
  }

  private shows(p: { x: number; y: number }): boolean {
    const box = visibleBox(this.image)
    return p.x >= box.x0 && p.y >= box.y0 && p.x < box.x1 && p.y < box.y1
  }

  private onDown = (info: TPointerEventInfo) => {
    // A press on another object (a cutout, say) is the editor's: it moves it.
    if (!this.enabledState || (info.target && info.target !== this.image)) return
    const p = this.pointer(info)
    if (!this.shows(p)) return
    this.pressed = true
    this.canvas.upperCanvasEl.focus({ preventScroll: true })
    this.controller.pointerDown(p)
  }

  private onMove = (info: TPointerEventInfo) => {
    if (!this.enabledState) return
    const p = this.pointer(info)
    if (this.pressed || this.shows(p)) this.controller.pointerMove(p)
    else this.controller.pointerMove({ x: -1, y: -1 }) // over the crop's hidden part: no preview
  }

  private onUp = (info: TPointerEventInfo) => {
    if (!this.pressed) return
    this.pressed = false
    this.controller.pointerUp(this.pointer(info))
  }

  private onOut = (info: { target?: FabricObject }) => {
    if (!this.pressed && (!info.target || info.target === this.image)) this.controller.pointerLeave()
  }

  private onKey = (event: KeyboardEvent) => {
    if (this.keyDown(event)) event.preventDefault()
  }

  // --- drawing ------------------------------------------------------------------------------------------

  /** Redraws what changed in the controller's state as fabric objects. */
  private draw(state: SelectionControllerState): void {
    const { objects, activeId, preview } = state.selection
    if (objects !== this.drawn.objects || activeId !== this.drawn.activeId) {
      this.drawSelection(state)
      this.fire('anymask:change', { objects, activeId })
    }
    if (preview !== this.drawn.preview) this.drawPreview(preview?.mask ?? null)
    this.drawn = { objects, activeId, preview }
    this.drawDragBox(state.dragBox)
    this.follow()
    this.canvas.requestRenderAll()
  }

  private drawSelection(state: SelectionControllerState): void {
    const { width, height } = this.elementSize()
    const factor = Math.min(1, OVERLAY_MAX_SIDE / Math.max(width, height))
    const w = Math.max(1, Math.round(width * factor))
    const h = Math.max(1, Math.round(height * factor))
    const element = this.selectionOverlay.getElement() as HTMLCanvasElement
    Object.assign(element, { width: w, height: h })
    const ctx = element.getContext('2d')!
    const colors = this.options.colors ?? PALETTE
    const visible = state.selection.objects.filter((o) => !o.hidden && o.candidates[o.candidate])
    for (const object of visible) {
      const mask = resizeMask(object.candidates[object.candidate], w, h)
      const color = colors[object.colorIndex % colors.length]
      const fill = maskToRgba(mask, { color: hexToRgb(color), opacity: this.options.opacity ?? 0.45 })
      const layer = document.createElement('canvas')
      drawToCanvas({ data: fill, width: w, height: h }, layer)
      ctx.drawImage(layer, 0, 0)
      ctx.lineWidth = object.id === state.selection.activeId ? 3 : 2
      ctx.strokeStyle = color
      ctx.stroke(new Path2D(maskToSvgPath(mask)))
    }
    this.overlayScale = { x: w / width, y: h / height }
    this.selectionOverlay.setElement(element, { width: w, height: h })
    this.drawMarks(state)
  }

  private drawPreview(mask: Mask | null): void {
    this.previewOverlay.visible = !!mask
    if (!mask) return
    const color = hexToRgb(this.options.previewColor ?? '#ffffff')
    const element = toCanvas({ data: maskToRgba(mask, { color, opacity: 0.35 }), width: mask.width, height: mask.height })
    const { width, height } = this.elementSize()
    this.previewScale = { x: mask.width / width, y: mask.height / height }
    this.previewOverlay.setElement(element, { width: mask.width, height: mask.height })
  }

  private drawMarks(state: SelectionControllerState): void {
    this.canvas.remove(...this.marks.map((m) => m.object))
    const colors = this.options.colors ?? PALETTE
    this.marks = state.selection.objects
      .filter((o) => !o.hidden)
      .flatMap((o) =>
        o.points.map((p) => ({
          x: p.x + 0.5,
          y: p.y + 0.5,
          object: new Circle({
            ...OWN,
            radius: 5,
            originX: 'center',
            originY: 'center',
            fill: p.label ? colors[o.colorIndex % colors.length] : '#111827',
            stroke: '#ffffff',
            strokeWidth: 2,
          }),
        })),
      )
    for (const mark of this.marks) this.canvas.add(mark.object)
  }

  private drawDragBox(box: Box | null): void {
    if (!box && this.dragRect) this.canvas.remove(this.dragRect), (this.dragRect = null)
    if (box && !this.dragRect)
      this.canvas.add(
        (this.dragRect = new Rect({ ...OWN, fill: 'transparent', stroke: '#facc15', strokeWidth: 2, strokeUniform: true, strokeDashArray: [6, 4] })),
      )
  }

  /** Keeps everything the tool drew over the image where the image is now (it may have moved since). */
  private follow = () => {
    const { image } = this
    coverImage(image, this.selectionOverlay, this.overlayScale)
    coverImage(image, this.previewOverlay, this.previewScale)
    const zoom = this.canvas.getZoom()
    for (const { object, x, y } of this.marks) {
      const centre = placeOver(image, { x0: x, y0: y, x1: x, y1: y })
      object.set({ left: centre.left, top: centre.top, scaleX: 1 / zoom, scaleY: 1 / zoom })
    }
    const box = this.controller.getSnapshot().dragBox
    if (box && this.dragRect) this.dragRect.set(placeOver(image, box))
  }

  // --- helpers -----------------------------------------------------------------------------------------

  private elementSize(): { width: number; height: number } {
    const element = this.image.getElement() as HTMLImageElement
    return { width: element.naturalWidth || element.width, height: element.naturalHeight || element.height }
  }

  /** The selection limited to what the image shows (its crop): a cutout has no pixels the user never saw. */
  private shownSelection(): Mask | null {
    const mask = this.controller.selectionMask()
    if (!mask) return null
    const { x0, y0, x1, y1 } = visibleBox(this.image)
    const shown = new Uint8Array(mask.width * mask.height)
    for (let y = Math.max(0, y0); y < Math.min(mask.height, y1); y++)
      shown.fill(255, y * mask.width + Math.max(0, x0), y * mask.width + Math.min(mask.width, x1))
    const result = intersect(mask, createMask(mask.width, mask.height, shown))
    return result.area ? result : null
  }

  private add(object: FabricImage, action: SegmentEdit['action']): FabricImage {
    object.setCoords()
    this.canvas.add(object) // on top, as editors place new objects
    this.edits.push(() => this.canvas.remove(object))
    this.fire('anymask:edit', { action, object } satisfies SegmentEdit)
    this.canvas.requestRenderAll()
    return object
  }

  /** Shows `pixels` in the image itself (same crop and placement), undoably. */
  private change(action: SegmentEdit['action'], pixels: RgbaImage): boolean {
    const { image } = this
    const before = { element: image.getElement(), pixels: this.pixels, width: image.width, height: image.height }
    image.setElement(toCanvas(pixels), { width: image.width, height: image.height })
    this.pixels = pixels
    this.edits.push(() => {
      image.setElement(before.element, { width: before.width, height: before.height })
      this.pixels = before.pixels
    })
    this.fire('anymask:edit', { action, object: image } satisfies SegmentEdit)
    this.canvas.requestRenderAll()
    return true
  }

  private fire(name: string, data: object): void {
    ;(this.canvas.fire as (name: string, data: object) => void)(name, { ...data, tool: this })
  }
}

/**
 * Attaches the anymask selection tool to `image` on `canvas`.
 *
 * @example
 * const tool = attachSegmentTool(canvas, photo)            // anymask-lite; or { model: 'slimsam-77' }
 * await tool.ready
 * canvas.on('anymask:change', ({ objects }) => console.log(objects.length))
 * tool.cutout()                                            // a new FabricImage over the selected pixels
 * tool.dispose()
 */
export function attachSegmentTool(canvas: Canvas, image: FabricImage, options: SegmentToolOptions = {}): SegmentTool {
  return new SegmentTool(canvas, image, options)
}
