import type { CSSProperties, ForwardedRef, KeyboardEvent, PointerEvent, Ref } from 'react'
import { forwardRef, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react'
import {
  AnymaskError,
  checkOptions,
  invalidOption,
  optionalChoice,
  type ImageSource,
  type Mask,
  type ModelSpec,
  type RgbaImage,
  type Segmenter,
  type SelectionController,
  type SelectionObject,
  type SelectionStore,
  type Tool,
} from '@anymask/core'
import { DefaultErrorFallback, DefaultLoading, DefaultMaskOverlay, DefaultPromptPoint, DefaultToolbar, type SegmentCanvasComponents } from './defaults.js'
import type { ThemeStyle } from './overlay.js'
import { useMaskProps } from './useSegmentation.js'
import { useSelectionController } from './useSelectionController.js'
import { fitView, toImagePoint, toScreenPoint, zoomAt, type ScreenPoint, type View } from './view.js'

/** What a ref to <SegmentCanvas> can do. */
export interface SegmentCanvasHandle {
  /** The chosen mask of an object (default: the active one), or null. */
  exportMask(objectId?: string): Mask | null
  /**
   * The union of every visible object's mask, at the image's size; null if none. A cutout of the selection is
   * `cutout(handle.image, handle.selectionMask(), { trim: true })` with @anymask/edit.
   */
  selectionMask(): Mask | null
  /** The image's pixels, once loaded. */
  readonly image: RgbaImage | null
  clear(): void
  undo(): void
  redo(): void
  /** The selection store, for everything else. */
  readonly store: SelectionStore
  /** The headless controller under the component (state, gestures, keys). */
  readonly controller: SelectionController
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
  const { image, components = {}, className, style } = props
  const onError = useRef(props.onError)
  onError.current = props.onError
  // Props are checked like any option: a bad one is shown in ErrorFallback and sent to onError, not ignored.
  const propError = useMemo(() => checkProps(props.tool, props.components), [props.tool, props.components])

  const { controller, state } = useSelectionController({ onError: (e) => onError.current?.(e) })
  const { session, image: pixels, tool, canBox } = state
  useEffect(() => {
    controller.setSegmenter(props.segmenter ?? { model: props.model })
    void controller.setImage(image)
    if (!propError && props.tool) controller.setTool(props.tool)
  })
  const setTool = (t: Tool) => {
    props.onToolChange?.(t)
    if (props.tool === undefined) controller.setTool(t)
  }
  const selection = useMaskProps(controller.store, state.selection, session, props)
  const error = propError ?? state.error
  const phase = error ? 'error' : state.phase === 'idle' ? 'loading' : state.phase

  useEffect(() => {
    if (error) onError.current?.(error)
  }, [error])
  // biome-ignore lint/correctness/useExhaustiveDependencies: onReady fires once per encoded image, not when the callback's identity changes
  useEffect(() => {
    if (session && state.segmenter) props.onReady?.({ segmenter: state.segmenter, width: session.width, height: session.height })
  }, [session])

  // --- viewport size and view (zoom and pan are the view's; they never re-encode) ---------------------
  const viewport = useRef<HTMLDivElement>(null)
  const imageCanvas = useRef<HTMLCanvasElement>(null)
  const [size, setSize] = useState({ width: 0, height: 0 })
  const [view, setView] = useState<View>({ scale: 1, x: 0, y: 0 })
  const userMoved = useRef(false)
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
  const zoom = (change: (v: View) => View) => ((userMoved.current = true), setView(change))

  // --- the image, drawn under the view ---------------------------------------------------------------
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

  // --- pointer input: pans and pinches stay here, the rest goes to the controller in image pixels ------
  const pointers = useRef(new Map<number, ScreenPoint>())
  const pinch = useRef<{ distance: number; view: View } | null>(null)
  const pan = useRef<{ start: ScreenPoint; view: View } | null>(null)
  const spaceHeld = useRef(false)
  const local = (e: { clientX: number; clientY: number }): ScreenPoint => {
    const r = viewport.current!.getBoundingClientRect()
    return { sx: e.clientX - r.left, sy: e.clientY - r.top }
  }
  const toImage = (e: PointerEvent<HTMLDivElement>) => ({
    ...toImagePoint(view, local(e)),
    button: e.button,
    altKey: e.altKey,
    shiftKey: e.shiftKey,
    scale: view.scale,
  })

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
      controller.pointerLeave()
      return
    }
    if (e.button === 1 || spaceHeld.current) {
      e.preventDefault()
      pan.current = { start: at, view }
      return
    }
    controller.pointerDown(toImage(e))
  }

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const at = local(e)
    if (pointers.current.has(e.pointerId)) pointers.current.set(e.pointerId, at)
    if (pinch.current && pointers.current.size === 2) {
      const [p, q] = [...pointers.current.values()]
      const start = pinch.current
      const factor = Math.hypot(p.sx - q.sx, p.sy - q.sy) / (start.distance || 1)
      zoom(() => zoomAt(start.view, factor, { sx: (p.sx + q.sx) / 2, sy: (p.sy + q.sy) / 2 }))
    } else if (pan.current) {
      const { start, view: from } = pan.current
      zoom(() => ({ ...from, x: from.x + at.sx - start.sx, y: from.y + at.sy - start.sy }))
    } else controller.pointerMove(toImage(e))
  }

  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    pointers.current.delete(e.pointerId)
    if (pinch.current) {
      if (pointers.current.size < 2) pinch.current = null
    } else if (pan.current) pan.current = null
    else controller.pointerUp(toImage(e))
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

  // --- keyboard: the view's keys here, the selection's in the controller's key map --------------------
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const centre = { sx: size.width / 2, sy: size.height / 2 }
    const viewKeys: Record<string, () => void> = {
      ' ': () => (spaceHeld.current = true),
      '+': () => zoom((v) => zoomAt(v, 1.25, centre)),
      '=': () => zoom((v) => zoomAt(v, 1.25, centre)),
      '-': () => zoom((v) => zoomAt(v, 0.8, centre)),
      '0': () => ((userMoved.current = false), fit()),
    }
    const viewKey = !e.ctrlKey && !e.metaKey && viewKeys[e.key]
    if (viewKey) viewKey()
    if (viewKey || controller.keyDown(e)) e.preventDefault()
  }
  const onKeyUp = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === ' ') spaceHeld.current = false
  }

  // --- ref handle ---------------------------------------------------------------------------------
  useImperativeHandle(
    ref,
    () => ({
      store: controller.store,
      controller,
      get image() {
        return controller.getSnapshot().image
      },
      exportMask: (objectId) => controller.exportMask(objectId),
      selectionMask: () => controller.selectionMask(),
      clear: () => controller.store.clear(),
      undo: () => controller.store.undo(),
      redo: () => controller.store.redo(),
    }),
    [controller],
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
  const cursorScreen = state.cursor && toScreenPoint(view, state.cursor.x + 0.5, state.cursor.y + 0.5)
  const rubber = state.dragBox && { a: toScreenPoint(view, state.dragBox.x0, state.dragBox.y0), b: toScreenPoint(view, state.dragBox.x1, state.dragBox.y1) }
  const objects = selection.objects

  return (
    <div
      className={['anymask-root', className].filter(Boolean).join(' ')}
      data-state={phase}
      data-tool={tool}
      data-busy={selection.busy || undefined}
      style={{ display: 'flex', flexDirection: 'column', fontFamily: 'var(--anymask-font, system-ui, sans-serif)', ...style }}
    >
      {Toolbar && <Toolbar state={selection} store={controller.store} tool={tool} onToolChange={setTool} onFit={() => ((userMoved.current = false), fit())} />}
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
        onPointerLeave={(e) => e.buttons === 0 && controller.pointerLeave()}
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
            activeId={selection.activeId}
            preview={selection.preview}
            view={view}
            width={size.width}
            height={size.height}
            imageWidth={pixels?.width ?? 0}
          />
        )}
        {PromptPointSlot &&
          objects
            .filter((o) => !o.hidden)
            .flatMap((o) =>
              o.points.map((p, i) => {
                const s = toScreenPoint(view, p.x + 0.5, p.y + 0.5)
                // biome-ignore lint/suspicious/noArrayIndexKey: a prompt point is its place in the object's list (points repeat)
                return <PromptPointSlot key={`${o.id}-${i}`} point={p} x={s.sx} y={s.sy} active={o.id === selection.activeId} />
              }),
            )}
        {rubber && (
          <div
            className="anymask-rubber"
            style={{
              position: 'absolute',
              left: rubber.a.sx,
              top: rubber.a.sy,
              width: rubber.b.sx - rubber.a.sx,
              height: rubber.b.sy - rubber.a.sy,
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
        {(phase === 'loading' || phase === 'encoding') && Loading && <Loading phase={phase} progress={state.progress} />}
        {phase === 'error' && ErrorFallback && <ErrorFallback error={error} />}
      </div>
      <div
        aria-live="polite"
        role="status"
        className="anymask-announcer"
        style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' }}
      >
        {state.announcement}
      </div>
    </div>
  )
})
