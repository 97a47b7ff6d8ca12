import type { CSSProperties, ForwardedRef, PointerEvent, Ref } from 'react'
import { forwardRef, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import {
  AnymaskError,
  type AutoSelect,
  type Box,
  checkOptions,
  invalidOption,
  optionalChoice,
  toScreenPoint,
  ViewController,
  type ImageSource,
  type Mask,
  type ModelSpec,
  type RgbaImage,
  type ScreenPoint,
  type Segmenter,
  type SelectionController,
  type SelectionControllerOptions,
  type SelectionObject,
  type SelectionStore,
  type Tool,
} from '@anymask/core'
import { DefaultErrorFallback, DefaultLoading, DefaultMaskOverlay, DefaultPromptPoint, DefaultToolbar, type SegmentCanvasComponents } from './defaults.js'
import type { ThemeStyle } from './theme.js'
import { STYLES } from './styles.js'
import { useMaskProps } from './useSegmentation.js'
import { useSelectionController } from './useSelectionController.js'

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
  /** A URL, File / Blob, `<img>`, ImageBitmap, ImageData or RGBA pixels. */
  image: ImageSource
  /** A created segmenter, shared between canvases; else one is created for `model`. */
  segmenter?: Segmenter
  /** Registry id or ModelSpec. Default: `anymask-lite` (embedded, works offline). */
  model?: string | ModelSpec
  masks?: readonly SelectionObject[]
  defaultMasks?: readonly SelectionObject[]
  onMasksChange?: (masks: readonly SelectionObject[]) => void
  /**
   * 'point': click adds points, hover previews; 'box': clicks do nothing, no preview; 'everything': every region of
   * the image found and drawn, hover lights one up, click makes it an object. Dragging draws a box in all three.
   */
  tool?: Tool
  onToolChange?: (tool: Tool) => void
  /** Options of the everything tool (points a side, thresholds: see `session.everything`), read when it mounts. */
  everything?: SelectionControllerOptions['everything']
  /**
   * A detector for one-click selection (the toolbar's "Select subject"): the image's pixels in, a mask of what to
   * select out, refined by the model as a new object. Injected, so the component depends on no detector: wire
   * @anymask/imgly's `selectSubject` in, say.
   *
   * @example
   * <SegmentCanvas image={photo} autoSelect={(image, signal) => selectSubject(image, { publicPath, signal })} />
   */
  autoSelect?: AutoSelect
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

/** An event's position in the viewport's CSS pixels (the target is the viewport: handlers sit on it). */
function local(e: { clientX: number; clientY: number; currentTarget: EventTarget | null }): ScreenPoint {
  const r = (e.currentTarget as HTMLElement).getBoundingClientRect()
  return { sx: e.clientX - r.left, sy: e.clientY - r.top }
}

/** The first prop that cannot be used, as an AnymaskError, or null. */
function checkProps(tool: unknown, components: Partial<SegmentCanvasComponents> | undefined): AnymaskError | null {
  try {
    optionalChoice(tool, 'point', ['point', 'box', 'everything'], 'SegmentCanvas', 'tool')
    for (const [name, slot] of Object.entries(checkOptions(components, 'SegmentCanvas', 'components', SLOTS))) {
      if (slot !== null && typeof slot !== 'function' && typeof slot !== 'object')
        throw invalidOption('SegmentCanvas', `components.${name}`, slot, 'a component, or null to hide it')
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

  const detector = useRef(props.autoSelect)
  detector.current = props.autoSelect
  const { controller, state } = useSelectionController({
    onError: (e) => onError.current?.(e),
    everything: props.everything,
    // The latest prop, whenever it runs (the controller reads its options once).
    autoSelect: (pixels, signal) =>
      detector.current?.(pixels, signal) ?? Promise.reject(new AnymaskError('INVALID_OPTION', 'SegmentCanvas: the autoSelect prop is gone.')),
  })
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

  // --- the view: zoom, pan and pinch in core's ViewController (they never re-encode) -----------------
  const viewport = useRef<HTMLDivElement>(null)
  const imageCanvas = useRef<HTMLCanvasElement>(null)
  const [viewer] = useState(() => new ViewController(controller))
  const { view, ...size } = useSyncExternalStore(viewer.subscribe, viewer.getSnapshot, viewer.getSnapshot)
  useLayoutEffect(() => {
    const element = viewport.current!
    const resize = () => viewer.setSize(element.clientWidth, element.clientHeight)
    const observer = new ResizeObserver(resize)
    observer.observe(element)
    resize()
    return () => observer.disconnect()
  }, [viewer])
  useEffect(() => viewer.setImage(pixels), [viewer, pixels])

  // --- the image: its pixels once in a canvas of its own size, placed by the view (zoom and pan only move it) ---
  useEffect(() => {
    const canvas = imageCanvas.current!
    Object.assign(canvas, { width: pixels?.width ?? 0, height: pixels?.height ?? 0 })
    if (!pixels) return
    const rgba = new Uint8ClampedArray(pixels.data.buffer as ArrayBuffer, pixels.data.byteOffset, pixels.data.length) // a view, not a copy
    canvas.getContext('2d')!.putImageData(new ImageData(rgba, pixels.width, pixels.height), 0, 0)
  }, [pixels])

  // --- input: DOM events in the viewport's CSS pixels, to the view controller --------------------------
  const pointer = (e: PointerEvent<HTMLDivElement>) => ({ ...local(e), id: e.pointerId, button: e.button, altKey: e.altKey, shiftKey: e.shiftKey })
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    viewport.current!.focus({ preventScroll: true })
    try {
      e.currentTarget.setPointerCapture(e.pointerId) // keep getting moves while dragging outside
    } catch {
      // Synthetic events (tests, automation) have no capturable pointer; nothing to keep then.
    }
    if (viewer.pointerDown(pointer(e))) e.preventDefault() // a pan or pinch: no middle-button autoscroll
  }
  useEffect(() => {
    const element = viewport.current!
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      viewer.wheel({ ...local(e), deltaY: e.deltaY, ctrlKey: e.ctrlKey })
    }
    element.addEventListener('wheel', onWheel, { passive: false }) // passive listeners cannot stop the page scrolling
    return () => element.removeEventListener('wheel', onWheel)
  }, [viewer])

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
  const objects = selection.objects
  const active = objects.find((o) => o.id === selection.activeId && !o.hidden)
  const boxElement = (box: Box | null | undefined, className: string) => {
    if (!box) return null
    const a = toScreenPoint(view, box.x0, box.y0)
    const b = toScreenPoint(view, box.x1, box.y1)
    return <div className={className} aria-hidden style={{ left: a.sx, top: a.sy, width: b.sx - a.sx, height: b.sy - a.sy }} />
  }

  return (
    <div
      className={['anymask-root', className].filter(Boolean).join(' ')}
      data-state={phase}
      data-tool={tool}
      data-busy={selection.busy || undefined}
      style={style}
    >
      <style>{STYLES}</style>
      {Toolbar && (
        <Toolbar
          state={selection}
          store={controller.store}
          tool={tool}
          onToolChange={setTool}
          onFit={() => viewer.fit()}
          onAutoSelect={props.autoSelect ? () => void controller.autoSelect() : undefined}
        />
      )}
      <div
        ref={viewport}
        className="anymask-viewport"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the image is operated from the keyboard (arrows, Enter, Esc, C)
        tabIndex={0}
        role="application"
        aria-label={props['aria-label'] ?? `Image: click to select an object, Alt-click to exclude${canBox ? ', drag for a box' : ''}`}
        onPointerDown={onPointerDown}
        onPointerMove={(e) => viewer.pointerMove(pointer(e))}
        onPointerUp={(e) => viewer.pointerUp(pointer(e))}
        onPointerCancel={(e) => viewer.pointerCancel(pointer(e))}
        onPointerLeave={() => viewer.pointerLeave()}
        onContextMenu={(e) => e.preventDefault()}
        onKeyDown={(e) => viewer.keyDown(e) && e.preventDefault()}
        onKeyUp={(e) => viewer.keyUp(e)}
      >
        <canvas
          ref={imageCanvas}
          className="anymask-image"
          aria-hidden
          // Past 2x, the pixels as they are.
          style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`, imageRendering: view.scale < 2 ? 'auto' : 'pixelated' }}
        />
        {MaskOverlay && (
          <MaskOverlay
            objects={objects}
            activeId={selection.activeId}
            preview={selection.preview}
            view={view}
            width={size.width}
            height={size.height}
            imageWidth={pixels?.width ?? 0}
            everything={tool === 'everything' ? state.everything : null}
            image={pixels}
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
        {boxElement(active?.box, 'anymask-box')}
        {boxElement(state.dragBox, 'anymask-rubber')}
        {cursorScreen && <div className="anymask-cursor" aria-hidden style={{ left: cursorScreen.sx, top: cursorScreen.sy }} />}
        {(phase === 'loading' || phase === 'encoding') && Loading && <Loading phase={phase} progress={state.progress} />}
        {tool === 'everything' && state.everything?.running && (
          <progress className="anymask-progress" aria-label="Finding every object" max={state.everything.total || 1} value={state.everything.done} />
        )}
        {phase === 'error' && ErrorFallback && <ErrorFallback error={error} />}
      </div>
      <div aria-live="polite" role="status" className="anymask-announcer">
        {state.announcement}
      </div>
    </div>
  )
})
