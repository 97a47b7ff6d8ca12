import { AnymaskError } from './AnymaskError.js'
import type { ImageInput, RgbaImage } from './types.js'
import { validateImage } from './validate.js'

type Drawable = CanvasImageSource & { width: number; height: number }

function isRgba(input: unknown): input is RgbaImage {
  return typeof input === 'object' && input !== null && 'data' in input && 'width' in input && 'height' in input
}

function drawToRgba(source: Drawable, width: number, height: number): RgbaImage {
  if (!(width > 0 && height > 0)) {
    throw new AnymaskError('INVALID_IMAGE', `The image is ${width} x ${height} pixels: is it loaded? Wait for it to load, or check its source.`)
  }
  const canvas =
    typeof OffscreenCanvas !== 'undefined'
      ? new OffscreenCanvas(width, height)
      : Object.assign(document.createElement('canvas'), { width, height })
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null
  if (!ctx) throw new AnymaskError('INVALID_IMAGE', 'Could not get a 2D canvas context to read the image pixels.')
  ctx.drawImage(source, 0, 0, width, height)
  const { data } = ctx.getImageData(0, 0, width, height)
  return { data, width, height }
}

/**
 * RGBA pixels of any accepted input: RGBA data as it is; in the browser, images, canvases, bitmaps and Blobs
 * are drawn once to read their pixels.
 *
 * @example
 * const rgba = await toRgbaImage(document.querySelector('img')!)
 */
export async function toRgbaImage(input: ImageInput): Promise<RgbaImage> {
  if (isRgba(input)) {
    validateImage(input)
    return input
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    let bitmap: ImageBitmap
    try {
      bitmap = await createImageBitmap(input)
    } catch (cause) {
      throw new AnymaskError('INVALID_IMAGE', `The Blob (${input.type || 'no type'}, ${input.size} bytes) could not be decoded as an image.`, { cause })
    }
    try {
      return drawToRgba(bitmap, bitmap.width, bitmap.height)
    } finally {
      bitmap.close()
    }
  }
  if (typeof HTMLImageElement !== 'undefined' && input instanceof HTMLImageElement) {
    try {
      await input.decode()
    } catch (cause) {
      throw new AnymaskError('INVALID_IMAGE', `The <img> (${input.src.slice(0, 100)}) could not be decoded: check its src.`, { cause })
    }
    return drawToRgba(input, input.naturalWidth, input.naturalHeight)
  }
  const drawable =
    (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap) ||
    (typeof HTMLCanvasElement !== 'undefined' && input instanceof HTMLCanvasElement) ||
    (typeof OffscreenCanvas !== 'undefined' && input instanceof OffscreenCanvas)
  if (drawable) return drawToRgba(input as Drawable, input.width, input.height)
  throw new AnymaskError(
    'INVALID_IMAGE',
    `Cannot read pixels from ${Object.prototype.toString.call(input)}. Pass { data, width, height } RGBA (an ImageData ` +
      'works), or in a browser an HTMLImageElement, canvas, ImageBitmap, OffscreenCanvas or Blob.',
  )
}
