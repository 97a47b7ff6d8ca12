import { AnymaskError } from './AnymaskError.js'
import { LOW_RES } from './postprocess.js'
import type { Prompt, RgbaImage } from './types.js'

/**
 * Throws INVALID_IMAGE unless `image` is consistent RGBA pixels; `where` names the function for the message.
 *
 * @example
 * validateImage(background.image, 'replaceBackground: background.image')
 */
export function validateImage(image: RgbaImage, where?: string): void {
  const invalidImage = (what: string) =>
    new AnymaskError(
      'INVALID_IMAGE',
      `${where ? `${where}: ` : ''}${what}. Pass { data, width, height } with data holding width * height * 4 RGBA bytes ` +
        '(an ImageData works), or in a browser an image, canvas, ImageBitmap or Blob.',
    )
  if (image == null || typeof image !== 'object') throw invalidImage(`Expected an image, got ${String(image)}`)
  const { width, height, data } = image
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw invalidImage(`The image is ${String(width)} x ${String(height)} pixels: both sides must be whole numbers above 0`)
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw invalidImage(`image.data is ${data === undefined ? 'missing' : Object.prototype.toString.call(data)}, not a Uint8Array or Uint8ClampedArray`)
  }
  if (data.length !== width * height * 4) {
    throw invalidImage(
      `image.data has ${data.length} bytes but a ${width} x ${height} RGBA image needs ${width * height * 4}` +
        (data.length === width * height * 3 ? ' (it looks like RGB: add an alpha byte per pixel)' : ''),
    )
  }
}

/** More points than any person clicks; beyond it, a caller is almost certainly passing the wrong array. */
export const MAX_POINTS = 200

const invalidPrompt = (what: string) => new AnymaskError('INVALID_PROMPT', what)

function checkCoordinate(value: unknown, name: string, max: number, axis: 'width' | 'height'): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidPrompt(`${name} is ${String(value)}: coordinates must be finite numbers, in image pixels.`)
  }
  if (value < 0 || value > max) {
    throw invalidPrompt(
      `${name} = ${value} is outside the image (0..${max}, its ${axis}). Coordinates are image pixels, not screen or ` +
        'model pixels: convert from the display size first.',
    )
  }
}

/** Throws INVALID_PROMPT unless `prompt` is something the model can answer, inside a `width` x `height` image. */
export function validatePrompt(prompt: Prompt, width: number, height: number): void {
  if (prompt == null || typeof prompt !== 'object') throw invalidPrompt(`Expected a prompt object, got ${String(prompt)}.`)
  const points = prompt.points ?? []
  if (!Array.isArray(points)) throw invalidPrompt('prompt.points must be an array of { x, y, label }.')
  if (points.length > MAX_POINTS) {
    throw invalidPrompt(`The prompt has ${points.length} points; at most ${MAX_POINTS} are taken. For large regions pass a box or a previous mask.`)
  }
  points.forEach((p, i) => {
    checkCoordinate(p?.x, `points[${i}].x`, width, 'width')
    checkCoordinate(p?.y, `points[${i}].y`, height, 'height')
    if (p.label !== 0 && p.label !== 1) {
      throw invalidPrompt(`points[${i}].label is ${String(p.label)}: use 1 for the object, 0 for background.`)
    }
  })
  const { box, mask } = prompt
  if (box) {
    checkCoordinate(box.x0, 'box.x0', width, 'width')
    checkCoordinate(box.x1, 'box.x1', width, 'width')
    checkCoordinate(box.y0, 'box.y0', height, 'height')
    checkCoordinate(box.y1, 'box.y1', height, 'height')
    if (box.x1 <= box.x0 || box.y1 <= box.y0) {
      throw invalidPrompt(
        `The box (${box.x0}, ${box.y0}) - (${box.x1}, ${box.y1}) is inverted or empty: x0 < x1 and y0 < y1 are needed (x0, y0 is the top-left corner).`,
      )
    }
  }
  if (mask) {
    if (mask.width !== LOW_RES || mask.height !== LOW_RES || !(mask.data instanceof Float32Array) || mask.data.length !== LOW_RES * LOW_RES) {
      throw invalidPrompt(
        `prompt.mask must be a ${LOW_RES}x${LOW_RES} low-res mask with Float32Array logits, as in result.lowRes[i] ` +
          `(got ${String(mask.width)}x${String(mask.height)}).`,
      )
    }
  }
  const hasObjectPoint = points.some((p) => p.label === 1)
  if (!hasObjectPoint && !box && !mask) {
    throw invalidPrompt(
      points.length === 0
        ? 'The prompt is empty: give at least one object point ({ x, y, label: 1 }), a box, or a previous mask.'
        : 'The prompt has only background points: add an object point (label 1) or a box to say what to select.',
    )
  }
}
