import type { CSSProperties, ForwardedRef, KeyboardEvent, PointerEvent, Ref } from 'react'
import { forwardRef, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react'
import {
  AnymaskError,
  checkOptions,
  chosenMask,
  invalidOption,
  optionalChoice,
  union,
  type Box,
  type Mask,
  type ModelSpec,
  type RgbaImage,
  type Segmenter,
  type SelectionObject,
  type SelectionStore,
} from '@anymask/core'
import { cutout } from '@anymask/edit'
import {
  DefaultErrorFallback,
  DefaultLoading,
  DefaultMaskOverlay,
  DefaultPromptPoint,
  DefaultToolbar,
  type SegmentCanvasComponents,
  type Tool,
} from './defaults.js'
import { useImageSession, type ImageSource } from './useImageSession.js'
import { useSegmenter } from './useSegmenter.js'
import { useSegmentation } from './useSegmentation.js'
import type { ThemeStyle } from './overlay.js'
import { fitView, toImagePoint, toScreenPoint, zoomAt, type ScreenPoint, type View } from './view.js'

/** What a ref to <SegmentCanvas> can do. */
export interface SegmentCanvasHandle {
  /** The chosen mask of an object (default: the active one), or null. */
  exportMask(objectId?: string): Mask | null
  /** The image cut out along every visible object (transparent elsewhere), trimmed to them; null if none. */
  cutout(): RgbaImage | null
  clear(): void
  undo(): void
  redo(): void
  /** The selection store, for everything else. */
  readonly store: SelectionStore
}

export interface SegmentCanvasProps {
  /** A URL, File / Blob, <img>, ImageBitmap, ImageData or RGBA pixels. */
  image: ImageSource
  /** A created segmenter, shared between canvases; else one is created for `model`. */
  segmenter?: Segmenter
  /** Registry id or ModelSpec. Default: `anymask-lite` (embedded, works offline). */
  model?: string | ModelSpec
  masks?: readonly SelectionObject[]
  defaultMasks?: readonly SelectionObject[]
  onMasksChange?: (masks: readonly SelectionObject[]) => void
  /** 'point': click adds points, hover previews; 'box': clicks do nothing, no preview. Dragging draws a box in both. */
  tool?: Tool
  onToolChange?: (tool: Tool) => void
  onReady?: (info: { segmenter: Segmenter; width: number; height: number }) => void
  onError?: (error: unknown) => void
  components?: Partial<SegmentCanvasComponents>
  className?: string
  /** CSS, and the theme variables (`--anymask-color-1` ... see README). */
  style?: CSSProperties & ThemeStyle
  'aria-label'?: string
  ref?: Ref<SegmentCanvasHandle>
}

const DRAG_THRESHOLD = 4 // CSS px before a press becomes a box drag

const SLOTS: readonly (keyof SegmentCanvasComponents)[] = ['Toolbar', 'Loading', 'ErrorFallback', 'PromptPoint', 'MaskOverlay']

/** The first prop that cannot be used, as an AnymaskError, or null. */
function checkProps(tool: unknown, components: unknown): AnymaskError | null {
  try {
    optionalChoice(tool, 'point', ['point', 'box'], 'SegmentCanvas', 'tool')
    const slots = checkOptions(components as Partial<SegmentCanvasComponents> | undefined, 'SegmentCanvas', 'components')
    for (const [name, slot] of Object.entries(slots)) {
      if (!SLOTS.includes(name as keyof SegmentCanvasComponents))
        throw new AnymaskError('INVALID_OPTION', `SegmentCanvas: components.${name} is not a slot; the slots are ${SLOTS.join(', ')}.`)
      if (slot !== null && slot !== undefined && typeof slot !== 'function' && typeof slot !== 'object') {
        throw invalidOption('SegmentCanvas', `components.${name}`, slot, 'a component, or null to hide it')
      }
    }
    return null
  } catch (error) {
    return error as AnymaskError
  }
}

interface Press {
  start: ScreenPoint
  button: number
  alt: boolean
  shift: boolean
  pan: View | null
  box: boolean
}

const percent = (mask: Mask) => Math.max(1, Math.round((100 * mask.area) / (mask.width * mask.height)))

/**
 * An image on which users select anything: hover previews, click / Alt-click (or right-click) for object /
 * background points, drag for a box, Shift for a new object, undo / redo, candidates, layers, zoom and pan,
 * and a keyboard cursor. Themed with `--anymask-*` CSS variables; every part is a replaceable slot.
 *
 * @example
 * <SegmentCanvas image="/photo.jpg" onMasksChange={setMasks} style={{ height: 600 }} />
 */
// forwardRef: React 18 passes no `ref` prop to a function component (React 19 does; forwardRef works in both).
export const SegmentCanvas = forwardRef(function SegmentCanvas(props: Omit<SegmentCanvasProps, 'ref'>, ref: ForwardedRef<SegmentCanvasHandle>) {
  const { image, tool: toolProp, components = {}, className, style } = props
  const [toolState, setToolState] = useState<Tool>('point')
  const tool = toolProp ?? toolState
  const setTool = (t: Tool) => (props.onToolChange?.(t), setToolState(t))
  const onError = useRef(props.onError)
  onError.current = props.onError

  const loader = useSegmenter({ segmenter: props.segmenter, model: props.model })
  // Some exports take no box (transformers.js `main` SAM exports): then a drag draws nothing.
  const canBox = loader.segmenter?.prompts.box !== false
  const encoded = useImageSession(loader.segmenter, image)
  const { store, state } = useSegmentation(encoded.session, {
    masks: props.masks,
    defaultMasks: props.defaultMasks,
    onMasksChange: props.onMasksChange,
    onError: (e) => onError.current?.(e),
  })
  // Props are checked like any option: a bad one is shown in ErrorFallback and sent to onError, not ignored.
  const propError = useMemo(() => checkProps(props.tool, props.components), [props.tool, props.components])
  const error = propError ?? loader.error ?? encoded.error
  // While the model loads, the image session waits in 'loading' too.
  const phase = error ? 'error' : encoded.status === 'ready' || encoded.status === 'encoding' ? encoded.status : 'loading'

  useEffect(() => {
    if (error) onError.current?.(error)
  }, [error])
  // biome-ignore lint/correctness/useExhaustiveDependencies: onReady fires once per encoded image, not when the callback's identity changes
  useEffect(() => {
    if (encoded.session && loader.segmenter) props.onReady?.({ segmenter: loader.segmenter, width: encoded.session.width, height: encoded.session.height })
  }, [encoded.session])

  // --- viewport size and view -----------------------------------------------------------------------
  const viewport = useRef<HTMLDivElement>(null)
  const imageCanvas = useRef<HTMLCanvasElement>(null)
  const [size, setSize] = useState({ width: 0, height: 0 })
  const [view, setView] = useState<View>({ scale: 1, x: 0, y: 0 })
  const userMoved = useRef(false)
  const pixels = encoded.pixels
  useLayoutEffect(() => {
    const element = viewport.current!
    const observer = new ResizeObserver(() => setSize({ width: element.clientWidth, height: element.clientHeight }))
    observer.observe(element)
    setSize({ width: element.clientWidth, height: element.clientHeight })
    return () => observer.disconnect()
  }, [])
  const fit = useCallback(() => {
    if (pixels && size.width && size.height) setView(fitView(pixels.width, pixels.height, size.width, size.height))
  }, [pixels, size.width, size.height])
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new image (new pixels) forgets the user's zoom and pan
  useEffect(() => {
    userMoved.current = false
  }, [pixels])
  useEffect(() => {
    if (!userMoved.current) fit()
  }, [fit])

  // --- the image, drawn under the view (zoom and pan never re-encode) ------------------------------
  const [bitmap, setBitmap] = useState<ImageBitmap | null>(null)
  useEffect(() => {
    if (!pixels) return setBitmap(null)
    let alive = true
    let made: ImageBitmap | null = null
    createImageBitmap(
      new ImageData(new Uint8ClampedArray(pixels.data.buffer as ArrayBuffer, pixels.data.byteOffset, pixels.data.length), pixels.width, pixels.height),
    ).then(
      (b) => (alive ? setBitmap((made = b)) : b.close()),
      (e) => onError.current?.(e),
    )
    return () => {
      alive = false
      made?.close()
    }
  }, [pixels])
  useEffect(() => {
    const canvas = imageCanvas.current
    if (!canvas) return
    const dpr = window.devicePixelRatio || 1
    canvas.width = Math.round(size.width * dpr)
    canvas.height = Math.round(size.height * dpr)
    const ctx = canvas.getContext('2d')!
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    ctx.clearRect(0, 0, canvas.width, canvas.height)
    // A bitmap closed when the image changed (width 0) waits for the next one: drawing it would throw.
    if (!bitmap?.width) return
    ctx.setTransform(view.scale * dpr, 0, 0, view.scale * dpr, view.x * dpr, view.y * dpr)
    ctx.imageSmoothingEnabled = view.scale < 2 // past 2x, show the pixels as they are
    ctx.drawImage(bitmap, 0, 0)
  }, [bitmap, view, size])

  // --- pointer input ------------------------------------------------------------------------------
  const press = useRef<Press | null>(null)
  const pointers = useRef(new Map<number, ScreenPoint>())
  const pinch = useRef<{ distance: number; view: View } | null>(null)
  const spaceHeld = useRef(false)
  const [rubber, setRubber] = useState<{ a: ScreenPoint; b: ScreenPoint } | null>(null)
  const hoverFrame = useRef(0)
  const [cursor, setCursor] = useState<{ x: number; y: number } | null>(null)
  const ready = phase === 'ready' && !!encoded.session
  const width = encoded.session?.width ?? 0
  const height = encoded.session?.height ?? 0

  const local = (e: { clientX: number; clientY: number }): ScreenPoint => {
    const r = viewport.current!.getBoundingClientRect()
    return { sx: e.clientX - r.left, sy: e.clientY - r.top }
  }
  const inImage = (p: { x: number; y: number }) => p.x >= 0 && p.y >= 0 && p.x < width && p.y < height
  const imagePixel = (s: ScreenPoint) => {
    const p = toImagePoint(view, s)
    return { x: Math.floor(p.x), y: Math.floor(p.y) }
  }
  const clampBox = (a: ScreenPoint, b: ScreenPoint): Box => {
    const p = toImagePoint(view, a),
      q = toImagePoint(view, b)
    const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v))
    return {
      x0: clamp(Math.min(p.x, q.x), width),
      y0: clamp(Math.min(p.y, q.y), height),
      x1: clamp(Math.max(p.x, q.x), width),
      y1: clamp(Math.max(p.y, q.y), height),
    }
  }

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    viewport.current!.focus({ preventScroll: true })
    const at = local(e)
    pointers.current.set(e.pointerId, at)
    try {
      e.currentTarget.setPointerCapture(e.pointerId) // keep getting moves while dragging outside
    } catch {
      // Synthetic events (tests, automation) have no capturable pointer; nothing to keep then.
    }
    if (pointers.current.size === 2) {
      const [p, q] = [...pointers.current.values()]
      pinch.current = { distance: Math.hypot(p.sx - q.sx, p.sy - q.sy), view }
      press.current = null
      setRubber(null)
      return
    }
    const pan = e.button === 1 || spaceHeld.current
    press.current = { start: at, button: e.button, alt: e.altKey, shift: e.shiftKey, pan: pan ? view : null, box: false }
    if (pan) e.preventDefault()
  }

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const at = local(e)
    if (pointers.current.has(e.pointerId)) pointers.current.set(e.pointerId, at)
    if (pinch.current && pointers.current.size === 2) {
      const [p, q] = [...pointers.current.values()]
      const start = pinch.current
      const factor = Math.hypot(p.sx - q.sx, p.sy - q.sy) / (start.distance || 1)
      userMoved.current = true
      setView(zoomAt(start.view, factor, { sx: (p.sx + q.sx) / 2, sy: (p.sy + q.sy) / 2 }))
      return
    }
    const down = press.current
    if (down?.pan) {
      userMoved.current = true
      setView({ ...down.pan, x: down.pan.x + at.sx - down.start.sx, y: down.pan.y + at.sy - down.start.sy })
      return
    }
    if (down && down.button === 0 && (down.box || Math.hypot(at.sx - down.start.sx, at.sy - down.start.sy) > DRAG_THRESHOLD)) {
      down.box = true
      if (canBox) setRubber({ a: down.start, b: at }) // a model without a box input ignores the drag
      return
    }
    if (!down && ready && tool === 'point') {
      const p = imagePixel(at)
      cancelAnimationFrame(hoverFrame.current)
      // At most one preview request per animation frame; the session drops superseded ones.
      hoverFrame.current = requestAnimationFrame(() => void store.preview(inImage(p) ? { ...p, label: 1 } : null))
    }
  }

  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    pointers.current.delete(e.pointerId)
    if (pinch.current) {
      if (pointers.current.size < 2) pinch.current = null
      return
    }
    const down = press.current
    press.current = null
    if (!down || down.pan || !ready) return
    const at = local(e)
    if (down.box) {
      setRubber(null)
      const box = clampBox(down.start, at)
      if (canBox && box.x1 - box.x0 >= 1 && box.y1 - box.y0 >= 1) void store.setBox(box, { newObject: down.shift })
      return
    }
    if (tool !== 'point' || (down.button !== 0 && down.button !== 2)) return
    const p = imagePixel(at)
    if (!inImage(p)) return
    void store.addPoint({ ...p, label: down.alt || down.button === 2 ? 0 : 1 }, { newObject: down.shift })
  }

  const onPointerLeave = () => {
    cancelAnimationFrame(hoverFrame.current)
    if (!press.current) void store.preview(null)
  }

  useEffect(() => {
    const element = viewport.current!
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const r = element.getBoundingClientRect()
      userMoved.current = true
      setView((v) => zoomAt(v, Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)), { sx: e.clientX - r.left, sy: e.clientY - r.top }))
    }
    element.addEventListener('wheel', onWheel, { passive: false }) // passive listeners cannot stop the page scrolling
    return () => element.removeEventListener('wheel', onWheel)
  }, [])

  // --- keyboard -----------------------------------------------------------------------------------
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const mod = e.ctrlKey || e.metaKey
    if (mod && (e.key === 'z' || e.key === 'Z')) return (e.preventDefault(), e.shiftKey ? store.redo() : store.undo())
    if (mod && e.key === 'y') return (e.preventDefault(), store.redo())
    if (e.key === ' ') return (e.preventDefault(), void (spaceHeld.current = true))
    if (e.key === 'Escape') return store.clearActive()
    if (e.key === 'c' || e.key === 'C') return store.cycleCandidate(e.shiftKey ? -1 : 1)
    if (e.key === 'n' || e.key === 'N') return void store.newObject()
    if (e.key === '+' || e.key === '=') return ((userMoved.current = true), setView((v) => zoomAt(v, 1.25, { sx: size.width / 2, sy: size.height / 2 })))
    if (e.key === '-') return ((userMoved.current = true), setView((v) => zoomAt(v, 0.8, { sx: size.width / 2, sy: size.height / 2 })))
    if (e.key === '0') return ((userMoved.current = false), fit())
    if (!ready) return
    const step = Math.max(1, Math.round(Math.max(width, height) / (e.shiftKey ? 10 : 50)))
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }
    const move = moves[e.key]
    if (move) {
      e.preventDefault()
      const from = cursor ?? { x: Math.floor(width / 2), y: Math.floor(height / 2) }
      const next = { x: Math.min(width - 1, Math.max(0, from.x + move[0])), y: Math.min(height - 1, Math.max(0, from.y + move[1])) }
      setCursor(next)
      if (tool === 'point') void store.preview({ ...next, label: 1 })
      return
    }
    if (e.key === 'Enter') {
      e.preventDefault()
      const at = cursor ?? { x: Math.floor(width / 2), y: Math.floor(height / 2) }
      setCursor(at)
      void store.addPoint({ ...at, label: e.altKey ? 0 : 1 }, { newObject: e.shiftKey })
    }
  }
  const onKeyUp = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === ' ') spaceHeld.current = false
  }

  // --- announcements ------------------------------------------------------------------------------
  const [announcement, setAnnouncement] = useState('')
  const objects = state.objects
  useEffect(() => {
    const active = objects.find((o) => o.id === state.activeId)
    const mask = active && chosenMask(active)
    if (state.error) setAnnouncement(`Error: ${state.error instanceof Error ? state.error.message : String(state.error)}`)
    else if (active && mask) setAnnouncement(`${active.name} selected, ${percent(mask)}% of the image`)
    else if (active) setAnnouncement(`${active.name}: nothing selected`)
  }, [objects, state.activeId, state.error])
  useEffect(() => {
    if (phase === 'ready') setAnnouncement('Image ready: click, or use the arrow keys and Enter, to select')
  }, [phase])

  // --- ref handle ---------------------------------------------------------------------------------
  useImperativeHandle(
    ref,
    () => ({
      store,
      exportMask: (objectId) => {
        const object = objectId ? objects.find((o) => o.id === objectId) : objects.find((o) => o.id === state.activeId)
        if (objectId && !object)
          throw new AnymaskError('INVALID_OPTION', `exportMask: no object with id "${objectId}" (ids: ${objects.map((o) => o.id).join(', ') || 'none'}).`)
        return object ? chosenMask(object) : null
      },
      cutout: () => {
        const masks = objects
          .filter((o) => !o.hidden)
          .map(chosenMask)
          .filter((m): m is Mask => m !== null)
        if (!pixels || !masks.length) return null
        return cutout(
          pixels,
          masks.reduce((a, b) => union(a, b)),
          { trim: true },
        )
      },
      clear: () => store.clear(),
      undo: () => store.undo(),
      redo: () => store.redo(),
    }),
    [store, objects, state.activeId, pixels],
  )

  // --- render -------------------------------------------------------------------------------------
  // Slots that failed their check are not rendered: the default ones show the error instead.
  const slots: Partial<SegmentCanvasComponents> = propError ? {} : components
  const slot = <K extends keyof SegmentCanvasComponents>(name: K, fallback: NonNullable<SegmentCanvasComponents[K]>) =>
    slots[name] === null ? null : (slots[name] ?? fallback)
  const Toolbar = slot('Toolbar', DefaultToolbar)
  const Loading = slot('Loading', DefaultLoading)
  const ErrorFallback = slot('ErrorFallback', DefaultErrorFallback)
  const PromptPointSlot = slot('PromptPoint', DefaultPromptPoint)
  const MaskOverlay = slot('MaskOverlay', DefaultMaskOverlay)
  const cursorScreen = cursor && toScreenPoint(view, cursor.x + 0.5, cursor.y + 0.5)

  return (
    <div
      className={['anymask-root', className].filter(Boolean).join(' ')}
      data-state={phase}
      data-tool={tool}
      data-busy={state.busy || undefined}
      style={{ display: 'flex', flexDirection: 'column', fontFamily: 'var(--anymask-font, system-ui, sans-serif)', ...style }}
    >
      {Toolbar && <Toolbar state={state} store={store} tool={tool} onToolChange={setTool} onFit={() => ((userMoved.current = false), fit())} />}
      <div
        ref={viewport}
        className="anymask-viewport"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the image is operated from the keyboard (arrows, Enter, Esc, C)
        tabIndex={0}
        role="application"
        aria-label={props['aria-label'] ?? `Image: click to select an object, Alt-click to exclude${canBox ? ', drag for a box' : ''}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={onPointerLeave}
        onContextMenu={(e) => e.preventDefault()}
        onKeyDown={onKeyDown}
        onKeyUp={onKeyUp}
        style={{
          position: 'relative',
          flex: '1 1 auto',
          minHeight: 0,
          height: 'var(--anymask-height, 480px)',
          overflow: 'hidden',
          touchAction: 'none',
          background: 'var(--anymask-background, #1f2937)',
          cursor: tool === 'box' ? 'crosshair' : 'pointer',
          outlineOffset: -2,
        }}
      >
        <canvas ref={imageCanvas} className="anymask-image" aria-hidden style={{ position: 'absolute', inset: 0, width: size.width, height: size.height }} />
        {MaskOverlay && (
          <MaskOverlay
            objects={objects}
            activeId={state.activeId}
            preview={state.preview}
            view={view}
            width={size.width}
            height={size.height}
            imageWidth={width}
          />
        )}
        {PromptPointSlot &&
          objects
            .filter((o) => !o.hidden)
            .flatMap((o) =>
              o.points.map((p, i) => {
                const s = toScreenPoint(view, p.x + 0.5, p.y + 0.5)
                // biome-ignore lint/suspicious/noArrayIndexKey: a prompt point is its place in the object's list (points repeat)
                return <PromptPointSlot key={`${o.id}-${i}`} point={p} x={s.sx} y={s.sy} active={o.id === state.activeId} />
              }),
            )}
        {rubber && (
          <div
            className="anymask-rubber"
            style={{
              position: 'absolute',
              left: Math.min(rubber.a.sx, rubber.b.sx),
              top: Math.min(rubber.a.sy, rubber.b.sy),
              width: Math.abs(rubber.b.sx - rubber.a.sx),
              height: Math.abs(rubber.b.sy - rubber.a.sy),
              border: '2px dashed var(--anymask-box-color, #facc15)',
              pointerEvents: 'none',
            }}
          />
        )}
        {cursorScreen && (
          <div
            className="anymask-cursor"
            aria-hidden
            style={{
              position: 'absolute',
              left: cursorScreen.sx - 8,
              top: cursorScreen.sy - 8,
              width: 16,
              height: 16,
              border: '2px solid var(--anymask-box-color, #facc15)',
              borderRadius: 2,
              pointerEvents: 'none',
            }}
          />
        )}
        {(phase === 'loading' || phase === 'encoding') && Loading && <Loading phase={phase} progress={loader.progress} />}
        {phase === 'error' && ErrorFallback && <ErrorFallback error={error} />}
      </div>
      <div
        aria-live="polite"
        role="status"
        className="anymask-announcer"
        style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' }}
      >
        {announcement}
      </div>
    </div>
  )
})
