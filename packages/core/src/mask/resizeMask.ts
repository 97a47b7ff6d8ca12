import { checkNumber } from '../options.js'
import type { Mask } from '../types.js'
import { assertMask } from './assertMask.js'
import { createMask } from './createMask.js'

/**
 * Resizes a mask with bilinear sampling (pixel centres aligned). A binary mask (only 0 and 255) stays binary,
 * thresholded at half; a soft mask keeps its shades.
 *
 * @example
 * const preview = resizeMask(mask, 256, 192)
 */
export function resizeMask(mask: Mask, width: number, height: number): Mask {
  assertMask(mask, 'resizeMask')
  checkNumber(width, 'resizeMask', 'width', { min: 1, integer: true })
  checkNumber(height, 'resizeMask', 'height', { min: 1, integer: true })
  const { data, width: sw, height: sh } = mask
  // A plain loop: TypedArray.every with a callback costs about 10 ns a pixel, 120 ms on a 12 MP mask.
  let binary = true
  for (let i = 0; i < data.length && binary; i++) binary = data[i] === 0 || data[i] === 255
  const out = new Uint8Array(width * height)
  const sx = sw / width
  const sy = sh / height
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1)
    const y0 = Math.floor(fy)
    const y1 = Math.min(y0 + 1, sh - 1)
    const ty = fy - y0
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1)
      const x0 = Math.floor(fx)
      const x1 = Math.min(x0 + 1, sw - 1)
      const tx = fx - x0
      const top = data[y0 * sw + x0] * (1 - tx) + data[y0 * sw + x1] * tx
      const bottom = data[y1 * sw + x0] * (1 - tx) + data[y1 * sw + x1] * tx
      const v = top * (1 - ty) + bottom * ty
      out[y * width + x] = binary ? (v >= 127.5 ? 255 : 0) : Math.round(v)
    }
  }
  return createMask(width, height, out)
}
