import type { Mask } from '../types.js'
import { maskToSvgPath } from './contours.js'
import { resizeMask } from './resizeMask.js'

/** Halvings of a mask shown at `screenScale` screen pixels per mask pixel that keep a pixel per screen pixel. */
const levelOf = (screenScale: number) => Math.max(0, Math.floor(Math.log2(1 / screenScale)))

/**
 * What to trace for a mask shown at `screenScale` screen pixels per mask pixel: the mask itself when it is shown at
 * half size or more, else a copy scaled down by a power of two to about one pixel per screen pixel, and the factor
 * that takes the copy's coordinates back to the mask's. A 12 MP selection shown in a 1000-pixel viewport is traced
 * at 1000 x 750, not at 4000 x 3000 (tracing the full mask costs several decodes and a 92 MB buffer).
 */
export function outlineLevel(mask: Mask, screenScale: number): { traced: Mask; factor: number } {
  const level = levelOf(screenScale)
  if (level === 0) return { traced: mask, factor: 1 }
  const width = Math.max(1, Math.round(mask.width / 2 ** level))
  const height = Math.max(1, Math.round(mask.height / 2 ** level))
  return { traced: resizeMask(mask, width, height), factor: mask.width / width }
}

/** A mask's outline for display: an SVG path and the factor from its coordinates to the mask's pixels. */
export interface DisplayOutline {
  path: string
  factor: number
}

const outlines = new WeakMap<Mask, Map<number, DisplayOutline>>()

/**
 * A mask's outline traced at about the resolution it is shown at (`screenScale` device pixels per mask pixel), cached
 * per mask and level: zooming in retraces finer, redrawing at the same zoom costs nothing. The same mask and level
 * give the same object, so a renderer may cache what it builds from it.
 *
 * @example
 * const { path, factor } = displayOutline(mask, view.scale * devicePixelRatio)
 * ctx.scale(factor, factor); ctx.stroke(new Path2D(path))
 */
export function displayOutline(mask: Mask, screenScale: number): DisplayOutline {
  const level = levelOf(screenScale)
  let levels = outlines.get(mask)
  if (!levels) outlines.set(mask, (levels = new Map()))
  let outline = levels.get(level)
  if (!outline) {
    const { traced, factor } = outlineLevel(mask, screenScale)
    levels.set(level, (outline = { path: maskToSvgPath(traced), factor }))
  }
  return outline
}
