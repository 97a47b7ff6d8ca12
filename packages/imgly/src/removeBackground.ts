import { toRgbaImage, type ImageInput, type RgbaImage } from '@anymask/core'
import { cutout, type CutoutOptions } from '@anymask/edit'
import { runSubject, toConfig, type SubjectOptions } from './selectSubject.js'

/**
 * The image with its background transparent: selectSubject, then cutout with the soft mask as alpha.
 *
 * @example
 * const png = encodePng(await removeBackground(photo, { publicPath: '/imgly-data/', trim: true }))
 */
export async function removeBackground(image: ImageInput, options: SubjectOptions & CutoutOptions = {}): Promise<RgbaImage> {
  const config = toConfig(options, 'removeBackground', ['feather', 'trim', 'padding'])
  const rgba = await toRgbaImage(image)
  return cutout(rgba, await runSubject(rgba, options, config), options)
}
