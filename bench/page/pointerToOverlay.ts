/**
 * Pointer-to-overlay latency in <SegmentCanvas>: a pointer move on the viewport until the overlay canvas has drawn
 * the hover preview for that pixel (controller, preview decode at maxSide 1024, React render, outline tracing and
 * painting), one move at a time, against the same preview decode alone, interleaved.
 */
import { createElement, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { createSegmenter, type PromptPoint } from '@anymask/core'
import { DefaultMaskOverlay, type MaskOverlayProps, SegmentCanvas, type SegmentCanvasHandle } from '@anymask/react'
import { makeScene } from '../../test/support/scenes.js'
import { summary, type Timing } from '../measure.js'
import type { BenchModel } from './main.js'

export interface OverlayConfig {
  model: BenchModel
  threads: number
  width: number
  height: number
  runs: number
}

export interface OverlayResult {
  /** Pointer move to the preview painted on the overlay (ms). */
  pointerToOverlay: Timing
  /** The same preview decode alone, through the session (ms). */
  decode: Timing
  /** The same preview decode with its outline traced in the worker, as the overlay asks for it (ms). */
  decodeWithOutline: Timing
  /** Of pointerToOverlay: the pointer move until the preview is in the controller's state (decode, outline traced in the worker). */
  toState: Timing
}

const WARM_UP = 3
/** Pause before each measured move or decode: about a pointer move's interval when the pointer is slow. */
const PAUSE_MS = 50

/** Called with the preview's point each time the overlay has painted a preview. */
let painted: ((point: PromptPoint) => void) | null = null

/** The default overlay, reporting each painted preview (effects run children first: after DefaultMaskOverlay's). */
function TimedOverlay(props: MaskOverlayProps) {
  useEffect(() => {
    if (props.preview) painted?.(props.preview.point)
  }, [props.preview])
  return createElement(DefaultMaskOverlay, props)
}

export async function pointerToOverlay(config: OverlayConfig): Promise<OverlayResult> {
  const segmenter = await createSegmenter({ model: { id: 'mobile-sam-bench', contract: 'sam', ...config.model }, device: 'wasm', threads: config.threads })
  const scene = makeScene(config.width, config.height)
  const host = document.body.appendChild(document.createElement('div'))
  const root = createRoot(host)
  let handle: SegmentCanvasHandle | null = null
  root.render(
    createElement(SegmentCanvas, {
      image: scene,
      segmenter,
      components: { MaskOverlay: TimedOverlay },
      style: { width: 1000, '--anymask-height': '750px' },
      ref: (h: SegmentCanvasHandle | null) => void (handle = h),
    }),
  )
  while (document.querySelector('.anymask-root')?.getAttribute('data-state') !== 'ready') await new Promise((r) => setTimeout(r, 50))
  const viewport = document.querySelector<HTMLElement>('.anymask-viewport')!
  const bounds = viewport.getBoundingClientRect()
  const scale = Math.min(bounds.width / scene.width, bounds.height / scene.height)
  // Kept: the ref is set to null when the root unmounts, and the controller may still notify after.
  const controller = handle!.controller
  const session = controller.getSnapshot().session!
  const overlay: number[] = []
  const decode: number[] = []
  const decodeWithOutline: number[] = []
  const toState: number[] = []
  let stateAt = 0
  const unsubscribe = controller.subscribe(() => {
    if (controller.getSnapshot().selection.preview && !stateAt) stateAt = performance.now()
  })
  for (let i = 0; i < WARM_UP + config.runs; i++) {
    const angle = (2 * Math.PI * i) / (WARM_UP + config.runs)
    const x = Math.floor(scene.width * (0.5 + 0.3 * Math.cos(angle)))
    const y = Math.floor(scene.height * (0.5 + 0.3 * Math.sin(angle)))
    const left = bounds.left + (bounds.width - scene.width * scale) / 2
    const top = bounds.top + (bounds.height - scene.height * scale) / 2
    const move = async () => {
      const shown = new Promise<void>((resolve) => {
        painted = (point) => point.x === x && point.y === y && resolve()
      })
      const sent = performance.now()
      stateAt = 0
      viewport.dispatchEvent(
        new PointerEvent('pointermove', { bubbles: true, clientX: left + (x + 0.5) * scale, clientY: top + (y + 0.5) * scale, pointerId: 1 }),
      )
      await shown
      toState.push(stateAt - sent)
      return performance.now() - sent
    }
    const alone = async (outline = false) => {
      const started = performance.now()
      await session.preview({ points: [{ x: x + 1, y, label: 1 }] }, { maxSide: 1024, outline })
      return performance.now() - started
    }
    // Each starts after the same pause (onnxruntime's threads spin a while after a run, then sleep: a run right
    // after another is faster), alternating which goes first.
    const paused = async (measure: () => Promise<number>) => (await new Promise((r) => setTimeout(r, PAUSE_MS)), measure())
    const [moved, decoded] = i % 2 ? [await paused(move), await paused(alone)] : [await paused(alone), await paused(move)].reverse()
    const withOutline = await paused(() => alone(true))
    if (i >= WARM_UP) overlay.push(moved), decode.push(decoded), decodeWithOutline.push(withOutline)
    else toState.pop()
  }
  unsubscribe()
  root.unmount()
  await segmenter.dispose()
  return { pointerToOverlay: summary(overlay), decode: summary(decode), decodeWithOutline: summary(decodeWithOutline), toState: summary(toState) }
}
