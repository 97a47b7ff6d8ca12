import type { CSSProperties, ReactNode } from 'react'
import { useEffect, useRef, useState } from 'react'
import {
  chosenMask,
  type Box,
  type Mask,
  type ProgressEvent,
  type PromptPoint,
  type SelectionObject,
  type SelectionState,
  type SelectionStore,
  type Tool,
} from '@anymask/core'
import { colorCss, colorVariable, outlineOf, themeValue } from './overlay.js'
import type { View } from './view.js'

export interface ToolbarProps {
  state: SelectionState
  store: SelectionStore
  tool: Tool
  onToolChange: (tool: Tool) => void
  onFit: () => void
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
}

/** The slots of <SegmentCanvas>; `null` hides one. */
export interface SegmentCanvasComponents {
  Toolbar: ((props: ToolbarProps) => ReactNode) | null
  Loading: ((props: LoadingProps) => ReactNode) | null
  ErrorFallback: ((props: ErrorFallbackProps) => ReactNode) | null
  PromptPoint: ((props: PromptPointProps) => ReactNode) | null
  MaskOverlay: ((props: MaskOverlayProps) => ReactNode) | null
}

const button: CSSProperties = { font: 'inherit', padding: '2px 8px', cursor: 'pointer' }

/** Tools, history, candidates and the layer list. */
export function DefaultToolbar({ state, store, tool, onToolChange, onFit }: ToolbarProps) {
  const active = state.objects.find((o) => o.id === state.activeId)
  const [renaming, setRenaming] = useState<string | null>(null)
  return (
    <div
      className="anymask-toolbar"
      role="toolbar"
      aria-label="Selection tools"
      style={{ display: 'flex', flexWrap: 'wrap', gap: 6, padding: 6, alignItems: 'center' }}
    >
      <button type="button" style={button} aria-pressed={tool === 'point'} onClick={() => onToolChange('point')}>
        Point
      </button>
      <button type="button" style={button} aria-pressed={tool === 'box'} onClick={() => onToolChange('box')}>
        Box
      </button>
      <button type="button" style={button} onClick={() => store.newObject()}>
        New object
      </button>
      <button type="button" style={button} disabled={!state.canUndo} onClick={() => store.undo()}>
        Undo
      </button>
      <button type="button" style={button} disabled={!state.canRedo} onClick={() => store.redo()}>
        Redo
      </button>
      <button type="button" style={button} disabled={!state.objects.length} onClick={() => store.clear()}>
        Clear
      </button>
      <button type="button" style={button} onClick={onFit}>
        Fit
      </button>
      {active && active.candidates.length > 1 && (
        // biome-ignore lint/a11y/useSemanticElements: an inline group of toggle buttons; a fieldset would bring its own box into the toolbar
        <span role="group" aria-label="Candidates" style={{ display: 'inline-flex', gap: 4 }}>
          {active.candidates.map((_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: candidates are positional: the index is their identity
            <button key={i} type="button" style={button} aria-pressed={i === active.candidate} onClick={() => store.chooseCandidate(i)}>
              {i + 1}: {active.scores[i]?.toFixed(2)}
            </button>
          ))}
        </span>
      )}
      <ul aria-label="Objects" style={{ listStyle: 'none', display: 'flex', flexWrap: 'wrap', gap: 6, margin: 0, padding: 0 }}>
        {state.objects.map((o) => (
          <li
            key={o.id}
            data-active={o.id === state.activeId || undefined}
            style={{ display: 'inline-flex', gap: 2, alignItems: 'center', outline: o.id === state.activeId ? '2px solid currentColor' : undefined }}
          >
            <span aria-hidden style={{ width: 10, height: 10, background: colorCss(o.colorIndex) }} />
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
              <button
                type="button"
                style={button}
                aria-pressed={o.id === state.activeId}
                onClick={() => store.select(o.id)}
                onDoubleClick={() => setRenaming(o.id)}
              >
                {o.name}
              </button>
            )}
            <button type="button" style={button} aria-label={`Rename ${o.name}`} onClick={() => setRenaming(o.id)}>
              ✎
            </button>
            <button type="button" style={button} aria-label={`${o.hidden ? 'Show' : 'Hide'} ${o.name}`} onClick={() => store.setHidden(o.id, !o.hidden)}>
              {o.hidden ? 'Show' : 'Hide'}
            </button>
            <button type="button" style={button} aria-label={`Delete ${o.name}`} onClick={() => store.remove(o.id)}>
              ✕
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}

const formatBytes = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`)

/** A progress bar with bytes and percentage while the model downloads; an indeterminate one while encoding. */
export function DefaultLoading({ phase, progress }: LoadingProps) {
  const loaded = progress?.loaded ?? 0
  const total = progress?.total ?? 0
  const percent = total ? Math.round((100 * loaded) / total) : null
  const label = phase === 'encoding' ? 'Analysing the image…' : progress?.status === 'init' ? 'Starting the model…' : 'Loading the model…'
  const bytes = phase === 'loading' && percent !== null ? ` ${formatBytes(loaded)} of ${formatBytes(total)} (${percent}%)` : ''
  return (
    <div
      className="anymask-loading"
      role="status"
      style={{ position: 'absolute', inset: 'auto 12px 12px 12px', padding: 8, background: 'rgba(0,0,0,0.6)', color: 'white', borderRadius: 6 }}
    >
      <div>
        {label}
        {bytes}
      </div>
      <progress style={{ width: '100%' }} max={100} value={phase === 'loading' && percent !== null ? percent : undefined} aria-label={label} />
    </div>
  )
}

/** Says what went wrong, with the error's own message (it says how to fix it). */
export function DefaultErrorFallback({ error }: ErrorFallbackProps) {
  const message = error instanceof Error ? error.message : String(error)
  return (
    <div
      className="anymask-error"
      role="alert"
      style={{ position: 'absolute', inset: 12, padding: 12, background: '#7f1d1d', color: 'white', borderRadius: 6, overflow: 'auto' }}
    >
      <strong>Segmentation is unavailable.</strong>
      <p style={{ margin: '6px 0 0' }}>{message}</p>
    </div>
  )
}

/** A dot: `--anymask-positive` for object points, `--anymask-negative` for background points. */
export function DefaultPromptPoint({ point, x, y, active }: PromptPointProps) {
  const size = 'var(--anymask-point-size, 12px)'
  return (
    <span
      className="anymask-point"
      data-label={point.label === 1 ? 'object' : 'background'}
      style={{
        position: 'absolute',
        left: x,
        top: y,
        width: size,
        height: size,
        transform: 'translate(-50%, -50%)',
        borderRadius: '50%',
        pointerEvents: 'none',
        background: point.label === 1 ? 'var(--anymask-positive, #22c55e)' : 'var(--anymask-negative, #ef4444)',
        border: '2px solid white',
        boxSizing: 'border-box',
        opacity: active ? 1 : 0.6,
      }}
    />
  )
}

function strokeBox(ctx: CanvasRenderingContext2D, box: Box, view: View, color: string) {
  ctx.setLineDash([6, 4])
  ctx.strokeStyle = color
  ctx.lineWidth = 2
  ctx.strokeRect(box.x0 * view.scale + view.x, box.y0 * view.scale + view.y, (box.x1 - box.x0) * view.scale, (box.y1 - box.y0) * view.scale)
  ctx.setLineDash([])
}

/** Fills each visible mask in its layer colour and strokes its outline (vector paths), plus the hover preview. */
export function DefaultMaskOverlay({ objects, activeId, preview, view, width, height, imageWidth }: MaskOverlayProps) {
  const ref = useRef<HTMLCanvasElement>(null)
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
    const paint = (mask: Mask, color: string, fill: number, dashed: boolean, traced?: string) => {
      const shown = view.scale * (imageWidth / mask.width) * dpr // device pixels per mask pixel
      const { path, factor } = outlineOf(mask, shown, traced)
      const scale = view.scale * (imageWidth / mask.width) * factor // screen pixels per path unit
      ctx.setTransform(scale * dpr, 0, 0, scale * dpr, view.x * dpr, view.y * dpr)
      ctx.globalAlpha = fill
      ctx.fillStyle = color
      ctx.fill(path)
      ctx.globalAlpha = 1
      ctx.strokeStyle = color
      ctx.lineWidth = outline / scale // constant on screen whatever the zoom
      ctx.setLineDash(dashed ? [4 / scale, 4 / scale] : [])
      ctx.stroke(path)
      ctx.setLineDash([])
    }
    for (const object of objects) {
      const mask = chosenMask(object)
      if (object.hidden || !mask) continue
      paint(mask, themeValue(canvas, colorVariable(object.colorIndex)), opacity, false)
    }
    if (preview) paint(preview.mask, themeValue(canvas, '--anymask-preview-color'), opacity / 2, true, preview.outline)
    const active = objects.find((o) => o.id === activeId)
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    if (active?.box && !active.hidden) strokeBox(ctx, active.box, view, themeValue(canvas, '--anymask-box-color'))
  }, [objects, activeId, preview, view, width, height, imageWidth])
  return <canvas ref={ref} className="anymask-overlay" aria-hidden style={{ position: 'absolute', inset: 0, width, height, pointerEvents: 'none' }} />
}
