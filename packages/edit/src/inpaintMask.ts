import {
  checkOptions,
  dilate,
  feather as featherMask,
  invert as invertMask,
  optionalBoolean,
  optionalChoice,
  optionalNumber,
  type Mask,
} from '@anymask/core/mask'

export interface InpaintMaskOptions {
  /** Grow past the object's edge by this many pixels, so the model also repaints the edge and its shadow. Default 8. */
  dilate?: number
  /** Soft edge width (pixels each side), for soft-mask inpainting models; ignored with format 'binary'. Default 0. */
  feather?: number
  /** Fill everything but the object (replace the background instead). Default false. */
  invert?: boolean
  /** 'binary' (0 / 255, LaMa and most pipelines) or 'soft' (Stable Diffusion inpainting takes both). Default 'binary'. */
  format?: 'binary' | 'soft'
}

/**
 * The mask an inpainting model takes: white (255) where it should paint, black where it should keep.
 *
 * @example
 * const fill = inpaintMask(objectMask, { dilate: 12 })   // remove the object: LaMa fills the white
 * const png = encodePng(maskToRgba(fill))
 */
export function inpaintMask(mask: Mask, options: InpaintMaskOptions = {}): Mask {
  const given = checkOptions(options, 'inpaintMask')
  const grow = optionalNumber(given.dilate, 8, 'inpaintMask', 'options.dilate', { min: 0 })
  const soft = optionalNumber(given.feather, 0, 'inpaintMask', 'options.feather', { min: 0 })
  const invert = optionalBoolean(given.invert, false, 'inpaintMask', 'options.invert')
  const format = optionalChoice(given.format, 'binary', ['binary', 'soft'], 'inpaintMask', 'options.format')
  const grown = dilate(invert ? invertMask(mask) : mask, grow)
  return format === 'soft' && soft ? featherMask(grown, soft) : grown
}
