import { AnymaskError } from './AnymaskError.js'
import type { ImageInput, RgbaImage } from './types.js'
import { validateImage } from './validate.js'

type Drawable = CanvasImageSource & { width: number; height: number }

const isInstance = (input: unknown, type: string): boolean =>
  typeof (globalThis as Record<string, unknown>)[type] === 'function' &&
  input instanceof ((globalThis as Record<string, unknown>)[type] as abstract new () => unknown)

function drawToRgba(source: Drawable, width: number, height: number): RgbaImage {
  if (!(width > 0 && height > 0)) {
    throw new AnymaskError('INVALID_IMAGE', `The image is ${width} x ${height} pixels: is it loaded? Wait for it to load, or check its source.`)
  }
  const canvas =
    typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height })
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null
  if (!ctx) throw new AnymaskError('INVALID_IMAGE', 'Could not get a 2D canvas context to read the image pixels.')
  try {
    ctx.drawImage(source, 0, 0, width, height)
    return { data: ctx.getImageData(0, 0, width, height).data, width, height }
  } catch (cause) {
    const tainted = (cause as { name?: string }).name === 'SecurityError'
    throw new AnymaskError(
      'INVALID_IMAGE',
      tainted
        ? 'The image comes from another origin without CORS, so its pixels cannot be read: serve it with ' +
            "Access-Control-Allow-Origin and set img.crossOrigin = 'anonymous' before its src, or pass a Blob."
        : `The ${width} x ${height} image could not be drawn to read its pixels (${String(cause)}): is it too large for a canvas here?`,
      { cause },
    )
  }
}

/**
 * RGBA pixels of any accepted input: RGBA data as it is; in the browser, images, canvases, bitmaps and Blobs
 * are drawn once to read their pixels.
 *
 * @example
 * const rgba = await toRgbaImage(document.querySelector('img')!)
 */
export async function toRgbaImage(input: ImageInput): Promise<RgbaImage> {
  if (isInstance(input, 'Blob')) {
    input = input as Blob
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
  if (isInstance(input, 'HTMLImageElement')) {
    input = input as HTMLImageElement
    try {
      await input.decode()
    } catch (cause) {
      throw new AnymaskError('INVALID_IMAGE', `The <img> (${input.src.slice(0, 100)}) could not be decoded: check its src.`, { cause })
    }
    return drawToRgba(input, input.naturalWidth, input.naturalHeight)
  }
  if (['ImageBitmap', 'HTMLCanvasElement', 'OffscreenCanvas'].some((type) => isInstance(input, type))) {
    const drawable = input as Drawable
    return drawToRgba(drawable, drawable.width, drawable.height)
  }
  // ImageData and plain { data, width, height } objects: checked, not copied.
  if (typeof input === 'object' && input !== null && 'width' in input && 'height' in input) {
    validateImage(input as RgbaImage)
    return input as RgbaImage
  }
  throw new AnymaskError(
    'INVALID_IMAGE',
    `Cannot read pixels from ${Object.prototype.toString.call(input)}. Pass { data, width, height } RGBA (an ImageData ` +
      'works), or in a browser an HTMLImageElement, canvas, ImageBitmap, OffscreenCanvas or Blob.',
  )
}
