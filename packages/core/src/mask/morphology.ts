import { checkNumber } from '../options.js'
import type { Mask } from '../types.js'
import { assertMask } from './assertMask.js'
import { createMask } from './createMask.js'
import { squaredDistanceTransform } from './distanceTransform.js'

const checkRadius = (radius: number, what: string) => checkNumber(radius, what, 'radius', { min: 0 })

/**
 * Grows a mask by `radius` pixels with a round brush: a pixel joins when its centre is within `radius` of a mask
 * pixel's centre. Exact Euclidean distance, same cost for any radius.
 *
 * @example
 * const grown = dilate(mask, 8)
 */
export function dilate(mask: Mask, radius: number): Mask {
  assertMask(mask, 'dilate')
  checkRadius(radius, 'dilate')
  const { width, height, data } = mask
  const d = squaredDistanceTransform(width, height, (i) => data[i] !== 0)
  const r2 = radius * radius
  const out = new Uint8Array(data.length)
  for (let i = 0; i < out.length; i++) out[i] = d[i] <= r2 ? 255 : 0
  return createMask(width, height, out)
}

/**
 * Shrinks a mask by `radius` pixels with a round brush: a pixel stays when no outside pixel is within `radius`.
 * The image border is not "outside": a mask touching the edge stays touching it.
 */
export function erode(mask: Mask, radius: number): Mask {
  assertMask(mask, 'erode')
  checkRadius(radius, 'erode')
  const { width, height, data } = mask
  const d = squaredDistanceTransform(width, height, (i) => data[i] === 0)
  const r2 = radius * radius
  const out = new Uint8Array(data.length)
  for (let i = 0; i < out.length; i++) out[i] = d[i] > r2 ? 255 : 0
  return createMask(width, height, out)
}

/**
 * A soft edge `radius` pixels wide on each side of the mask's boundary: alpha ramps linearly with the signed
 * distance to the edge (half-way at the edge). Same cost for any radius; radius 0 returns a binary copy.
 *
 * @example
 * const soft = feather(mask, 6)   // data now holds 0..255
 */
export function feather(mask: Mask, radius: number): Mask {
  assertMask(mask, 'feather')
  checkRadius(radius, 'feather')
  const { width, height, data } = mask
  const toInside = squaredDistanceTransform(width, height, (i) => data[i] !== 0)
  const toOutside = squaredDistanceTransform(width, height, (i) => data[i] === 0)
  const out = new Uint8Array(data.length)
  for (let i = 0; i < out.length; i++) {
    // Distance from the pixel centre to the boundary, half a pixel short of the nearest pixel on the other side.
    const signed = data[i] !== 0 ? Math.sqrt(toOutside[i]) - 0.5 : 0.5 - Math.sqrt(toInside[i])
    const alpha = radius === 0 ? (signed > 0 ? 1 : 0) : 0.5 + signed / (2 * radius)
    out[i] = Math.round(255 * Math.min(1, Math.max(0, alpha)))
  }
  return createMask(width, height, out)
}
