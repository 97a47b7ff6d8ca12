import { checkColor, checkOptions, invalidOption, optionalNumber } from '../options.js'
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

/**
 * RGBA pixels of several masks of one size, each in its colour (`colors` in turn), the larger ones under the smaller
 * ones so every region shows: everything mode's map of the image. Alpha is `opacity` where a mask is (default 0.5).
 *
 * @example
 * const rgba = masksToRgba(result.masks.map((m) => m.mask), { colors: [[59, 130, 246], [245, 158, 11]] })
 */
export function masksToRgba(
  masks: readonly Mask[],
  options: { colors: readonly [number, number, number][]; opacity?: number },
): Uint8ClampedArray<ArrayBuffer> {
  const given = checkOptions(options, 'masksToRgba', 'options', ['colors', 'opacity'])
  if (!Array.isArray(given.colors) || given.colors.length === 0)
    throw invalidOption('masksToRgba', 'options.colors', given.colors, 'a non-empty array of [r, g, b]')
  const colors = given.colors.map((c, i) => checkColor(c, 'masksToRgba', `options.colors[${i}]`))
  const alpha = 255 * optionalNumber(given.opacity, 0.5, 'masksToRgba', 'options.opacity', { min: 0, max: 1 })
  for (const [i, m] of masks.entries()) assertMask(m, `masksToRgba (masks[${i}])`)
  const [first] = masks
  if (!first) return new Uint8ClampedArray(0)
  if (masks.some((m) => m.width !== first.width || m.height !== first.height))
    throw invalidOption('masksToRgba', 'masks', `${masks.map((m) => `${m.width}x${m.height}`).join(', ')}`, 'masks of one size')
  const out = new Uint8ClampedArray(first.width * first.height * 4)
  const order = masks.map((_, i) => i).sort((a, b) => masks[b].area - masks[a].area)
  for (const k of order) {
    const [r, g, b] = colors[k % colors.length]
    const { data } = masks[k]
    for (let i = 0; i < data.length; i++) {
      if (data[i] < 128) continue
      const p = i * 4
      out[p] = r
      out[p + 1] = g
      out[p + 2] = b
      out[p + 3] = alpha
    }
  }
  return out
}
