import { checkColor, checkOptions, optionalNumber } from '../options.js'
import type { Mask } from '../types.js'
import { assertMask } from './assertMask.js'

export interface MaskToRgbaOptions {
  /** sRGB colour [r, g, b], 0..255. Default white. */
  color?: [number, number, number]
  /** The alpha of a full (255) mask pixel, 0..1. Default 1. */
  opacity?: number
  /**
   * The alpha of the mask's edge pixels (inside, at 128 or more, with a 4-neighbour or the image border outside), 0..1:
   * an outline one pixel wide drawn in the same pass, for overlays shown per pointer move. Default: no outline.
   */
  outlineOpacity?: number
}

/**
 * RGBA pixels (an ImageData's `data`) of a mask: a colour whose alpha is the mask times `opacity`. With the
 * default white and opacity 1 it is the mask as a PNG alpha channel; with a colour and 0.5, an overlay; with
 * `outlineOpacity`, an overlay with its outline.
 *
 * @example
 * ctx.putImageData(new ImageData(maskToRgba(mask, { color: [30, 144, 255], opacity: 0.5 }), mask.width, mask.height), 0, 0)
 */
export function maskToRgba(mask: Mask, options: MaskToRgbaOptions = {}): Uint8ClampedArray<ArrayBuffer> {
  assertMask(mask, 'maskToRgba')
  const given = checkOptions(options, 'maskToRgba', 'options', ['color', 'opacity', 'outlineOpacity'])
  const [r, g, b] = given.color === undefined ? [255, 255, 255] : checkColor(given.color, 'maskToRgba', 'options.color')
  const opacity = optionalNumber(given.opacity, 1, 'maskToRgba', 'options.opacity', { min: 0, max: 1 })
  const outline =
    given.outlineOpacity === undefined ? -1 : 255 * optionalNumber(given.outlineOpacity, 1, 'maskToRgba', 'options.outlineOpacity', { min: 0, max: 1 })
  const { width, height, data } = mask
  const out = new Uint8ClampedArray(data.length * 4)
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const p = i * 4
      const v = data[i]
      out[p] = r
      out[p + 1] = g
      out[p + 2] = b
      const edge =
        outline >= 0 &&
        v >= 128 &&
        (x === 0 || y === 0 || x === width - 1 || y === height - 1 || data[i - 1] < 128 || data[i + 1] < 128 || data[i - width] < 128 || data[i + width] < 128)
      out[p + 3] = edge ? outline : v * opacity
    }
  }
  return out
}
