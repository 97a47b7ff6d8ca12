import { checkColor, checkOptions, optionalChoice, optionalNumber, type Mask, type RgbaImage } from '@anymask/core/mask'
import { oklabToSrgb, srgbToOklab } from './oklab.js'
import { checkImageAndMask } from './planes.js'

export interface RecolorOptions {
  /** The new colour (sRGB); only its hue and chroma are used, the photo keeps its lightness. */
  color: [number, number, number]
  /** 0..1: how far to go towards the new colour. Default 1. */
  strength?: number
  /**
   * 'color' (default) takes the new colour's hue and chroma; 'hue' takes only its hue and keeps each pixel's
   * chroma, so grey stays grey.
   */
  mode?: 'color' | 'hue'
}

const fits = (rgb: number[]) => rgb.every((v) => v > -0.5 && v < 255.5)

/** The colour, with its chroma reduced just enough to fit sRGB: clipping channels instead would shift lightness. */
function inGamut(L: number, a: number, b: number): [number, number, number] {
  const rgb = oklabToSrgb(L, a, b)
  if (fits(rgb)) return rgb
  let lo = 0
  let hi = 1
  for (let step = 0; step < 12; step++) {
    const mid = (lo + hi) / 2
    if (fits(oklabToSrgb(L, a * mid, b * mid))) lo = mid
    else hi = mid
  }
  return oklabToSrgb(L, a * lo, b * lo)
}

/**
 * Recolours the masked region in OKLCH: hue (and chroma) change, lightness and so texture and shading stay.
 * Pixels outside the mask are left bit-identical; a soft mask fades the change with its alpha.
 *
 * @example
 * const red = recolor(photo, shirtMask, { color: [200, 30, 40] })
 */
export function recolor(image: RgbaImage, mask: Mask, options: RecolorOptions): RgbaImage {
  checkImageAndMask('recolor', image, mask)
  const given = checkOptions(options, 'recolor')
  if (options === undefined) checkColor(undefined, 'recolor', 'options.color') // the colour is required
  const [, ta, tb] = srgbToOklab(...checkColor(given.color, 'recolor', 'options.color'))
  const targetChroma = Math.hypot(ta, tb)
  const targetHue = Math.atan2(tb, ta)
  const strength = optionalNumber(given.strength, 1, 'recolor', 'options.strength', { min: 0, max: 1 })
  const mode = optionalChoice(given.mode, 'color', ['color', 'hue'], 'recolor', 'options.mode')
  const data = new Uint8ClampedArray(image.data)
  for (let i = 0; i < mask.data.length; i++) {
    const weight = (mask.data[i] / 255) * strength
    if (weight === 0) continue
    const p = i * 4
    const [L, a, b] = srgbToOklab(image.data[p], image.data[p + 1], image.data[p + 2])
    const chroma = mode === 'hue' ? Math.hypot(a, b) : targetChroma
    const na = a + (chroma * Math.cos(targetHue) - a) * weight
    const nb = b + (chroma * Math.sin(targetHue) - b) * weight
    const [r, g, bl] = inGamut(L, na, nb)
    data[p] = Math.round(r)
    data[p + 1] = Math.round(g)
    data[p + 2] = Math.round(bl)
  }
  return { data, width: image.width, height: image.height }
}
