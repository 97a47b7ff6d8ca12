import { encode } from 'fast-png'
import { AnymaskError, checkNumber, optionalChoice, optionalNumber, validateImage, type RgbaImage } from '@anymask/core/mask'

/**
 * PNG bytes of RGBA pixels, in pure JavaScript (fast-png), so it works the same in Node, workers and browsers.
 *
 * @example
 * writeFileSync('cutout.png', encodePng(cutout(image, mask)))
 */
export function encodePng(image: RgbaImage): Uint8Array {
  validateImage(image, 'encodePng')
  return encode({
    width: image.width,
    height: image.height,
    data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length),
    channels: 4,
    depth: 8,
  })
}

/**
 * A Blob of RGBA pixels in the browser's own encoders (PNG, WebP, JPEG; `quality` 0..1 for the lossy ones).
 *
 * @example
 * const url = URL.createObjectURL(await toBlob(cutout(image, mask), 'image/webp', 0.9))
 */
export async function toBlob(image: RgbaImage, type: 'image/png' | 'image/webp' | 'image/jpeg' = 'image/png', quality?: number): Promise<Blob> {
  validateImage(image, 'toBlob')
  optionalChoice(type, 'image/png', ['image/png', 'image/webp', 'image/jpeg'], 'toBlob', 'type')
  optionalNumber(quality, 1, 'toBlob', 'quality', { min: 0, max: 1 })
  if (typeof OffscreenCanvas === 'undefined') {
    if (type === 'image/png') return new Blob([encodePng(image) as Uint8Array<ArrayBuffer>], { type })
    throw new AnymaskError('INVALID_IMAGE', `toBlob: ${type} needs a browser (OffscreenCanvas); in Node use encodePng.`)
  }
  const canvas = new OffscreenCanvas(image.width, image.height)
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0)
  return canvas.convertToBlob({ type, quality })
}

/** Draws RGBA pixels onto a canvas at (x, y), resizing the canvas to fit when it is smaller. */
export function drawToCanvas(image: RgbaImage, canvas: HTMLCanvasElement | OffscreenCanvas, x = 0, y = 0): void {
  validateImage(image, 'drawToCanvas')
  checkNumber(x, 'drawToCanvas', 'x', { min: 0, integer: true })
  checkNumber(y, 'drawToCanvas', 'y', { min: 0, integer: true })
  if (!canvas || typeof canvas.getContext !== 'function') {
    throw new AnymaskError('INVALID_OPTION', 'drawToCanvas: canvas must be an HTMLCanvasElement or an OffscreenCanvas.')
  }
  if (canvas.width < image.width + x) canvas.width = image.width + x
  if (canvas.height < image.height + y) canvas.height = image.height + y
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D
  ctx.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), x, y)
}
