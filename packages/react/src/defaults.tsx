import type { ReactNode } from 'react'
import { useEffect, useRef, useState } from 'react'
import {
  chosenMask,
  displayOutline,
  maskToRgba,
  masksToRgba,
  type EverythingState,
  type DisplayOutline,
  type Mask,
  type ProgressEvent,
  type PromptPoint,
  type RgbaImage,
  type SelectionObject,
  type SelectionState,
  type SelectionStore,
  type Tool,
  type View,
} from '@anymask/core'
import { contrastingColor, meanColorUnder, type Rgb } from './contrast.js'
import { colorCss, colorVariable, themeValue } from './theme.js'

export interface ToolbarProps {
  state: SelectionState
  store: SelectionStore
  tool: Tool
  onToolChange: (tool: Tool) => void
  onFit: () => void
  /** Runs the canvas's `autoSelect` detector; absent when it has none. */
  onAutoSelect?: () => void
}

export interface LoadingProps {
  phase: 'loading' | 'encoding'
  /** Download progress of the model, when known. */
  progress: ProgressEvent | null
}

export interface ErrorFallbackProps {
  error: unknown
}

export interface PromptPointProps {
  point: PromptPoint
  /** Position in the viewport's CSS pixels. */
  x: number
  y: number
  /** The point belongs to the active object. */
  active: boolean
}

export interface MaskOverlayProps {
  objects: readonly SelectionObject[]
  activeId: string | null
  preview: SelectionState['preview']
  view: View
  /** Viewport size in CSS pixels. */
  width: number
  height: number
  /** Image size in pixels (the preview's mask may be smaller: it is drawn scaled to this). */
  imageWidth: number
  /** The everything tool's regions (each in a colour of the palette, the hovered one lit up), or null. */
  everything?: EverythingState | null
  /** The picture under the masks: a mask's colour is shaded where it would blend into its object. */
  image?: RgbaImage | null
}

/** The slots of <SegmentCanvas>; `null` hides one. */
export interface SegmentCanvasComponents {
  Toolbar: ((props: ToolbarProps) => ReactNode) | null
  Loading: ((props: LoadingProps) => ReactNode) | null
  ErrorFallback: ((props: ErrorFallbackProps) => ReactNode) | null
  PromptPoint: ((props: PromptPointProps) => ReactNode) | null
  MaskOverlay: ((props: MaskOverlayProps) => ReactNode) | null
}

/** Tools, history, candidates and the layer list. */
/** Each tool's glyph and tooltip (what it does, and its keys). */
const TOOLS: Record<Tool, { icon: string; tip: string }> = {
  point: { icon: '●', tip: 'Click for an object point; Alt-click or right-click for a background point' },
  box: { icon: '▭', tip: 'Drag a box around an object (it replaces the current object’s box)' },
  everything: { icon: '▦', tip: 'Find every object in the image; click one to keep it' },
}

/**
 * A toolbar button's glyph and label; the glyph is hidden from assistive technology (the label names the button). In
 * a narrow toolbar the label is hidden from view only (styles.ts), so candidates and layers still fit beside the tools.
 */
const Label = ({ icon, text }: { icon: string; text: string }) => (
  <>
    <span aria-hidden className="anymask-icon">
      {icon}
    </span>
    <span className="anymask-label">{text}</span>
  </>
)

/** Tools, history, candidates and the layer list. */
export function DefaultToolbar({ state, store, tool, onToolChange, onFit, onAutoSelect }: ToolbarProps) {
  const active = state.objects.find((o) => o.id === state.activeId)
  const [renaming, setRenaming] = useState<string | null>(null)
  const actions: { label: string; icon: string; tip: string; act: () => void; disabled?: boolean }[] = [
    { label: 'New object', icon: '+', tip: 'Start a new object (N, or Shift with a click or box)', act: () => store.newObject() },
    { label: 'Undo', icon: '↶', tip: 'Undo (Ctrl+Z / ⌘Z)', act: () => store.undo(), disabled: !state.canUndo },
    { label: 'Redo', icon: '↷', tip: 'Redo (Shift+Ctrl+Z / Shift+⌘Z)', act: () => store.redo(), disabled: !state.canRedo },
    { label: 'Clear', icon: '⌫', tip: 'Remove every object (Esc clears only the current one)', act: () => store.clear(), disabled: !state.objects.length },
    { label: 'Fit', icon: '⤢', tip: 'Fit the image in view', act: onFit },
  ]
  return (
    <div className="anymask-toolbar" role="toolbar" aria-label="Selection tools">
      {(['point', 'box', 'everything'] as const).map((t) => (
        <button key={t} type="button" aria-pressed={tool === t} title={TOOLS[t].tip} onClick={() => onToolChange(t)}>
          <Label icon={TOOLS[t].icon} text={t[0].toUpperCase() + t.slice(1)} />
        </button>
      ))}
      {onAutoSelect && (
        <button type="button" disabled={state.busy} title="Select the photo’s main subject as a new object" onClick={onAutoSelect}>
          <Label icon="✦" text="Select subject" />
        </button>
      )}
      {actions.map(({ label, icon, tip, act, disabled }) => (
        <button key={label} type="button" disabled={disabled} title={tip} onClick={act}>
          <Label icon={icon} text={label} />
        </button>
      ))}
      {active && active.candidates.length > 1 && (
        // biome-ignore lint/a11y/useSemanticElements: an inline group of toggle buttons; a fieldset would bring its own box into the toolbar
        <span role="group" aria-label="Candidates" className="anymask-candidates">
          {active.candidates.map((mask, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: candidates are positional: the index is their identity
            <button key={i} type="button" aria-pressed={i === active.candidate} onClick={() => store.chooseCandidate(i)}>
              <CandidateThumbnail mask={mask} />
              {i + 1}
              <span className="anymask-label">: {active.scores[i]?.toFixed(2)}</span>
            </button>
          ))}
        </span>
      )}
      <ul aria-label="Objects" className="anymask-layers">
        {state.objects.map((o) => (
          <li key={o.id} data-active={o.id === state.activeId || undefined}>
            <span aria-hidden className="anymask-swatch" style={{ background: colorCss(o.colorIndex) }} />
            {renaming === o.id ? (
              <input
                aria-label={`Rename ${o.name}`}
                defaultValue={o.name}
                // biome-ignore lint/a11y/noAutofocus: the user just asked to rename this object: the field it opens takes the focus
                autoFocus
                onBlur={() => setRenaming(null)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && e.currentTarget.value.trim()) store.rename(o.id, e.currentTarget.value.trim())
                  if (e.key === 'Enter' || e.key === 'Escape') setRenaming(null)
                }}
              />
            ) : (
              <button type="button" aria-pressed={o.id === state.activeId} onClick={() => store.select(o.id)} onDoubleClick={() => setRenaming(o.id)}>
                {o.name}
              </button>
            )}
            <button type="button" aria-label={`Rename ${o.name}`} onClick={() => setRenaming(o.id)}>
              ✎
            </button>
            <button type="button" aria-label={`${o.hidden ? 'Show' : 'Hide'} ${o.name}`} onClick={() => store.setHidden(o.id, !o.hidden)}>
              <Label icon={o.hidden ? '○' : '◉'} text={o.hidden ? 'Show' : 'Hide'} />
            </button>
            <button type="button" aria-label={`Delete ${o.name}`} onClick={() => store.remove(o.id)}>
              ✕
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}

const THUMBNAIL = { width: 32, height: 24 }

/**
 * A candidate's mask in miniature (white on dark, the image's shape fitted in 32x24), so candidates that differ can
 * be told apart before choosing one. Sampled, not resized: its cost is the thumbnail's pixels, whatever the image.
 */
function CandidateThumbnail({ mask }: { mask: Mask }) {
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const scale = Math.min(THUMBNAIL.width / mask.width, THUMBNAIL.height / mask.height)
    const [w, h] = [Math.max(1, Math.round(mask.width * scale)), Math.max(1, Math.round(mask.height * scale))]
    const pixels = new ImageData(w, h)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = mask.data[Math.floor(((y + 0.5) * mask.height) / h) * mask.width + Math.floor(((x + 0.5) * mask.width) / w)] >= 128 ? 255 : 48
        pixels.data.set([v, v, v, 255], (y * w + x) * 4)
      }
    const canvas = ref.current!
    Object.assign(canvas, { width: w, height: h })
    canvas.getContext('2d')!.putImageData(pixels, 0, 0)
  }, [mask])
  return <canvas ref={ref} aria-hidden className="anymask-thumbnail" />
}

const formatBytes = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`)

/** A progress bar with bytes and percentage while the model downloads; an indeterminate one while encoding. */
export function DefaultLoading({ phase, progress }: LoadingProps) {
  const loaded = progress?.loaded ?? 0
  const total = progress?.total ?? 0
  const percent = phase === 'loading' && total ? Math.round((100 * loaded) / total) : undefined
  const label = phase === 'encoding' ? 'Analysing the image…' : progress?.status === 'init' ? 'Starting the model…' : 'Loading the model…'
  return (
    <div className="anymask-loading" role="status">
      <div>
        {label}
        {percent !== undefined && ` ${formatBytes(loaded)} of ${formatBytes(total)} (${percent}%)`}
      </div>
      <progress max={100} value={percent} aria-label={label} />
    </div>
  )
}

/** Says what went wrong, with the error's own message (it says how to fix it). */
export function DefaultErrorFallback({ error }: ErrorFallbackProps) {
  return (
    <div className="anymask-error" role="alert">
      <strong>Segmentation is unavailable.</strong>
      <p>{error instanceof Error ? error.message : String(error)}</p>
    </div>
  )
}

/** A dot: `--anymask-positive` for object points, `--anymask-negative` for background points. */
export function DefaultPromptPoint({ point, x, y, active }: PromptPointProps) {
  return (
    <span className="anymask-point" data-label={point.label === 1 ? 'object' : 'background'} data-active={active || undefined} style={{ left: x, top: y }} />
  )
}

const paths = new WeakMap<DisplayOutline, Path2D>()

/** The outline of a mask shown at `screenScale` device pixels per mask pixel as a Path2D (built once per traced outline). */
function outlineOf(mask: Mask, screenScale: number): { path: Path2D; factor: number } {
  const outline = displayOutline(mask, screenScale)
  let path = paths.get(outline)
  if (!path) paths.set(outline, (path = new Path2D(outline.path)))
  return { path, factor: outline.factor }
}

/**
 * A hover preview as a bitmap, fill and one-pixel outline in one pass, tinted with `color` (any CSS colour) on the
 * GPU: its cost does not grow with the outline's length, however rough the mask (a vector outline of a ragged
 * mask cost more than the decode).
 */
function previewBitmap(scratch: HTMLCanvasElement, mask: Mask, color: string, fill: number): HTMLCanvasElement {
  if (scratch.width !== mask.width || scratch.height !== mask.height) Object.assign(scratch, { width: mask.width, height: mask.height })
  const ctx = scratch.getContext('2d')!
  ctx.putImageData(new ImageData(maskToRgba(mask, { opacity: fill, outlineOpacity: 1 }), mask.width, mask.height), 0, 0) // replaces every pixel
  ctx.globalCompositeOperation = 'source-in'
  ctx.fillStyle = color
  ctx.fillRect(0, 0, mask.width, mask.height)
  ctx.globalCompositeOperation = 'source-over'
  return scratch
}

/** A CSS colour as [r, g, b], as the browser reads it. */
const rgbs = new Map<string, Rgb>()
function rgbOf(color: string): Rgb {
  let rgb = rgbs.get(color)
  if (!rgb) {
    const ctx = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true })!
    ctx.fillStyle = color
    ctx.fillRect(0, 0, 1, 1)
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data
    rgbs.set(color, (rgb = [r, g, b]))
  }
  return rgb
}

/** The mean colour of the picture under each mask, kept while the mask lives (a mask belongs to one picture). */
const objectColors = new WeakMap<Mask, Rgb | null>()
function colorUnder(image: RgbaImage, mask: Mask): Rgb | null {
  if (!objectColors.has(mask)) objectColors.set(mask, meanColorUnder(image, mask))
  return objectColors.get(mask)!
}

/** `color` (CSS), shaded lighter or darker where it is closer than `minContrast` to the object under `mask`. */
function visibleColor(color: string, mask: Mask, image: RgbaImage | null | undefined, minContrast: number): string {
  const under = image && minContrast > 0 ? colorUnder(image, mask) : null
  if (!under) return color
  const rgb = rgbOf(color)
  const shaded = contrastingColor(rgb, under, minContrast)
  return shaded === rgb ? color : `rgb(${shaded.join(' ')})`
}

/** Everything's regions as one bitmap in the palette's colours (made once per set of regions). */
const regionBitmaps = new WeakMap<readonly unknown[], HTMLCanvasElement>()
function regionsBitmap(regions: EverythingState['masks'], element: Element, opacity: number): HTMLCanvasElement | null {
  const [first] = regions
  if (!first) return null
  let bitmap = regionBitmaps.get(regions)
  if (!bitmap) {
    const palette = Array.from({ length: 6 }, (_, i) => rgbOf(themeValue(element, colorVariable(i))))
    // Past six regions the palette comes back lighter, then darker: up to 18 regions each get a colour of their own.
    const toward = (target: number) => palette.map((rgb) => rgb.map((v) => Math.round(v + (target - v) * 0.45)) as Rgb)
    const colors = [...palette, ...toward(255), ...toward(0)]
    const { width, height } = first.mask
    bitmap = Object.assign(document.createElement('canvas'), { width, height })
    const rgba = masksToRgba(
      regions.map((r) => r.mask),
      { colors, opacity },
    )
    bitmap.getContext('2d')!.putImageData(new ImageData(rgba, width, height), 0, 0)
    regionBitmaps.set(regions, bitmap)
  }
  return bitmap
}

/**
 * Fills each visible mask in its layer colour and strokes its outline (vector paths), plus the hover preview (a
 * bitmap). The active object's box is not drawn here: <SegmentCanvas> shows it as an element (`.anymask-box`).
 */
export function DefaultMaskOverlay({ objects, preview, view, width, height, imageWidth, everything, image }: MaskOverlayProps) {
  const ref = useRef<HTMLCanvasElement>(null)
  const scratch = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const canvas = ref.current
    if (!canvas) return
    const dpr = window.devicePixelRatio || 1
    canvas.width = Math.round(width * dpr)
    canvas.height = Math.round(height * dpr)
    const ctx = canvas.getContext('2d')!
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    ctx.clearRect(0, 0, canvas.width, canvas.height)
    const opacity = Number(themeValue(canvas, '--anymask-overlay-opacity'))
    const outline = Number.parseFloat(themeValue(canvas, '--anymask-outline-width'))
    const minContrast = Number(themeValue(canvas, '--anymask-fill-contrast'))
    const paint = (mask: Mask, themeColor: string) => {
      const color = visibleColor(themeColor, mask, image, minContrast)
      const shown = view.scale * (imageWidth / mask.width) * dpr // device pixels per mask pixel
      const { path, factor } = outlineOf(mask, shown)
      const scale = view.scale * (imageWidth / mask.width) * factor // screen pixels per path unit
      ctx.setTransform(scale * dpr, 0, 0, scale * dpr, view.x * dpr, view.y * dpr)
      ctx.globalAlpha = opacity
      ctx.fillStyle = color
      ctx.fill(path)
      ctx.globalAlpha = 1
      ctx.strokeStyle = color
      ctx.lineWidth = outline / scale // constant on screen whatever the zoom
      ctx.stroke(path)
    }
    for (const object of objects) {
      const mask = chosenMask(object)
      if (object.hidden || !mask) continue
      paint(mask, themeValue(canvas, colorVariable(object.colorIndex)))
    }
    // Bitmaps at display resolution (everything's regions, the preview), drawn scaled to the image on screen.
    const drawBitmap = (bitmap: HTMLCanvasElement | null) => {
      if (!bitmap) return
      const scale = view.scale * (imageWidth / bitmap.width) // screen pixels per bitmap pixel
      ctx.setTransform(scale * dpr, 0, 0, scale * dpr, view.x * dpr, view.y * dpr)
      ctx.imageSmoothingEnabled = scale < 2 // zoomed in, its pixels as they are, like the image's
      ctx.drawImage(bitmap, 0, 0)
    }
    const hovered = everything?.masks.find((r) => r.id === everything.hoverId)
    drawBitmap(everything ? regionsBitmap(everything.masks, canvas, opacity / 2) : null)
    const lit = preview?.mask ?? hovered?.mask
    if (lit) {
      const color = visibleColor(themeValue(canvas, '--anymask-preview-color'), lit, image, minContrast)
      drawBitmap(previewBitmap((scratch.current ??= document.createElement('canvas')), lit, color, opacity / 2))
    }
  }, [objects, preview, view, width, height, imageWidth, everything, image])
  return <canvas ref={ref} className="anymask-overlay" aria-hidden style={{ width, height }} />
}
