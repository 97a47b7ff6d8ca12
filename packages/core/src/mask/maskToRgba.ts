import { checkColor, checkOptions, optionalNumber } from '../options.js'
import type { Mask } from '../types.js'
import { assertMask } from './assertMask.js'

/**
 * RGBA pixels (an ImageData's `data`) of a mask: a colour whose alpha is the mask times `opacity`. With the
 * default white and opacity 1 it is the mask as a PNG alpha channel; with a colour and 0.5, an overlay.
 *
 * @example
 * ctx.putImageData(new ImageData(maskToRgba(mask, { color: [30, 144, 255], opacity: 0.5 }), mask.width, mask.height), 0, 0)
 */
export function maskToRgba(mask: Mask, options: { color?: [number, number, number]; opacity?: number } = {}): Uint8ClampedArray<ArrayBuffer> {
  assertMask(mask, 'maskToRgba')
  const { color, opacity: opacityOption } = checkOptions(options, 'maskToRgba')
  const [r, g, b] = color === undefined ? [255, 255, 255] : checkColor(color, 'maskToRgba', 'options.color')
  const opacity = optionalNumber(opacityOption, 1, 'maskToRgba', 'options.opacity', { min: 0, max: 1 })
  const out = new Uint8ClampedArray(mask.data.length * 4)
  for (let i = 0; i < mask.data.length; i++) {
    const p = i * 4
    out[p] = r
    out[p + 1] = g
    out[p + 2] = b
    out[p + 3] = mask.data[i] * opacity
  }
  return out
}
