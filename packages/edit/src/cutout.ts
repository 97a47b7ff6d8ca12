import { checkOptions, feather as featherMask, optionalBoolean, optionalNumber, trimMask, type Mask, type RgbaImage } from '@anymask/core/mask'
import { checkImageAndMask } from './planes.js'

export interface CutoutOptions {
  /** Soft edge, in pixels each side of the mask's boundary. Default 0 (the mask as it is). */
  feather?: number
  /** Crop to the mask's bounds (plus `padding`). Default false. */
  trim?: boolean
  padding?: number
}

/**
 * The image with everything outside the mask transparent (straight alpha, as PNG wants): alpha = the mask's
 * value times the image's own alpha.
 *
 * @example
 * const sticker = cutout(image, result.masks[result.best], { feather: 2, trim: true, padding: 8 })
 * const png = encodePng(sticker)
 */
export function cutout(image: RgbaImage, mask: Mask, options: CutoutOptions = {}): RgbaImage {
  checkImageAndMask('cutout', image, mask)
  const given = checkOptions(options, 'cutout')
  const featherRadius = optionalNumber(given.feather, 0, 'cutout', 'options.feather', { min: 0 })
  const trim = optionalBoolean(given.trim, false, 'cutout', 'options.trim')
  const padding = optionalNumber(given.padding, 0, 'cutout', 'options.padding', { min: 0, integer: true })
  const soft = featherRadius ? featherMask(mask, featherRadius) : mask
  const box = trim ? trimMask(soft, padding).box : { x0: 0, y0: 0, x1: image.width, y1: image.height }
  const width = box.x1 - box.x0
  const height = box.y1 - box.y0
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (box.y0 + y) * image.width + box.x0 + x
      const o = (y * width + x) * 4
      const alpha = soft.data[i]
      if (alpha === 0) continue // fully transparent: leave RGB 0 so the file compresses
      data[o] = image.data[i * 4]
      data[o + 1] = image.data[i * 4 + 1]
      data[o + 2] = image.data[i * 4 + 2]
      data[o + 3] = Math.round((alpha * image.data[i * 4 + 3]) / 255)
    }
  }
  return { data, width, height }
}
