/**
 * Helpers for play functions: drive a <SegmentCanvas> with pointer and keyboard events at image pixels, and
 * read back what it drew (the overlay canvas), as a user would see it.
 */
import { expect, fireEvent, waitFor } from 'storybook/test'
import { fitView } from '@anymask/core'

export interface Canvas {
  root: HTMLElement
  viewport: HTMLElement
  overlay: HTMLCanvasElement
  width: number
  height: number
}

const frames = (n = 2) =>
  new Promise<void>((resolve) => {
    const step = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)))
    step(n)
  })

/**
 * How long a play function waits for a model to be ready (the story tests allow 180 s): in the full suite a story's
 * model start and encode took 30-80 s, and one passed 60 s.
 */
export const READY_TIMEOUT = 150_000

/** Waits until the canvas is ready; the image has `width` x `height` pixels. */
export async function readyCanvas(element: HTMLElement, width: number, height: number, timeout = READY_TIMEOUT): Promise<Canvas> {
  const root = await waitFor(
    () => {
      const found = element.querySelector<HTMLElement>('.anymask-root')
      expect(found?.dataset.state).toBe('ready')
      return found!
    },
    { timeout },
  )
  await frames()
  return { root, viewport: root.querySelector('.anymask-viewport')!, overlay: root.querySelector('.anymask-overlay')!, width, height }
}

/** Screen (client) coordinates of an image pixel's centre, with the canvas's initial fitted view. */
export function clientAt(c: Canvas, x: number, y: number) {
  const r = c.viewport.getBoundingClientRect()
  const view = fitView(c.width, c.height, c.viewport.clientWidth, c.viewport.clientHeight)
  return { clientX: r.left + (x + 0.5) * view.scale + view.x, clientY: r.top + (y + 0.5) * view.scale + view.y }
}

/** Resolves when no decode runs and the overlay has been drawn. */
export async function settled(c: Canvas): Promise<void> {
  await frames()
  await waitFor(() => expect(c.root.hasAttribute('data-busy')).toBe(false), { timeout: 30_000 })
  await frames()
}

export async function click(c: Canvas, x: number, y: number, init: PointerEventInit = {}) {
  const at = { ...clientAt(c, x, y), button: 0, pointerId: 1, isPrimary: true, ...init }
  fireEvent.pointerDown(c.viewport, at)
  fireEvent.pointerUp(c.viewport, at)
  await settled(c)
}

export async function drag(c: Canvas, from: { x: number; y: number }, to: { x: number; y: number }, init: PointerEventInit = {}) {
  const a = { ...clientAt(c, from.x, from.y), button: 0, buttons: 1, pointerId: 1, isPrimary: true, ...init }
  const b = { ...clientAt(c, to.x, to.y), button: 0, buttons: 1, pointerId: 1, isPrimary: true, ...init }
  fireEvent.pointerDown(c.viewport, a)
  fireEvent.pointerMove(c.viewport, { ...a, clientX: (a.clientX + b.clientX) / 2, clientY: (a.clientY + b.clientY) / 2 })
  fireEvent.pointerMove(c.viewport, b)
  fireEvent.pointerUp(c.viewport, b)
  await settled(c)
}

export async function hover(c: Canvas, x: number, y: number) {
  fireEvent.pointerMove(c.viewport, { ...clientAt(c, x, y), pointerId: 1, isPrimary: true })
  await settled(c)
}

export async function key(c: Canvas, k: string, init: KeyboardEventInit = {}, times = 1) {
  for (let i = 0; i < times; i++) fireEvent.keyDown(c.viewport, { key: k, ...init })
  await settled(c)
}

/** The overlay's RGBA at every image pixel (sampled at pixel centres). */
export function overlayPixels(c: Canvas): Uint8ClampedArray {
  const ctx = c.overlay.getContext('2d')!
  const all = ctx.getImageData(0, 0, c.overlay.width, c.overlay.height).data
  const dpr = c.overlay.width / c.viewport.clientWidth
  const view = fitView(c.width, c.height, c.viewport.clientWidth, c.viewport.clientHeight)
  const out = new Uint8ClampedArray(c.width * c.height * 4)
  for (let y = 0; y < c.height; y++)
    for (let x = 0; x < c.width; x++) {
      const sx = Math.floor(((x + 0.5) * view.scale + view.x) * dpr)
      const sy = Math.floor(((y + 0.5) * view.scale + view.y) * dpr)
      const from = (sy * c.overlay.width + sx) * 4
      out.set(all.subarray(from, from + 4), (y * c.width + x) * 4)
    }
  return out
}

/** 1 where the overlay covers an image pixel. */
export function overlayMask(c: Canvas): Uint8Array {
  const rgba = overlayPixels(c)
  return Uint8Array.from({ length: c.width * c.height }, (_, i) => (rgba[i * 4 + 3] > 0 ? 1 : 0))
}

export { iou } from '../../test/support/scenes.js'
