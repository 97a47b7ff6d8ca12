import {
  AnymaskError,
  checkColor,
  checkNumber,
  checkOptions,
  feather as featherMask,
  optionalBoolean,
  optionalChoice,
  optionalNumber,
  validateImage,
  type Mask,
  type RgbaImage,
} from '@anymask/core/mask'
import { boxFilter } from './boxFilter.js'
import { estimateForeground } from './estimateForeground.js'
import { checkImageAndMask, toPlanes } from './planes.js'

/** A new background: a colour, another image (scaled to cover or fit inside), or a blur of the photo itself. */
export type Background = { color: [number, number, number] } | { image: RgbaImage; fit?: 'cover' | 'contain' } | { blur: number }

export interface ReplaceBackgroundOptions {
  /** Soft edge, in pixels each side of the mask's boundary. */
  feather?: number
  /** Re-estimate the foreground colour at soft edges (Blur-Fusion) so the old background leaves no halo. */
  decontaminate?: boolean
}

/** Three blurs of the same radius approximate a Gaussian of sigma ~ radius (central limit). */
function blurPlanes(planes: Float32Array[], width: number, height: number, radius: number): Float32Array[] {
  const r = Math.max(1, Math.round(radius / Math.sqrt(3)))
  return planes.map((p) => boxFilter(boxFilter(boxFilter(p, width, height, r), width, height, r), width, height, r))
}

/** Where output pixel `o` samples a source axis of `size` placed at `offset` and scaled by `scale`; none outside. */
function sampleAt(o: number, offset: number, scale: number, size: number) {
  const s = (o + 0.5 - offset) / scale - 0.5
  if (s < -0.5 || s > size - 0.5) return undefined
  const i0 = Math.max(0, Math.min(size - 1, Math.floor(s)))
  return { i0, i1: Math.min(size - 1, i0 + 1), t: Math.min(1, Math.max(0, s - i0)) }
}

/** The background's colour planes (0..1) at the photo's size. */
function backgroundPlanes(image: RgbaImage, background: Background): Float32Array[] {
  const { width, height } = image
  const n = width * height
  const kinds = background && typeof background === 'object' ? (['color', 'image', 'blur'] as const).filter((k) => k in background) : []
  if (kinds.length !== 1) {
    throw new AnymaskError('INVALID_OPTION', 'replaceBackground: background must be one of { color: [r, g, b] }, { image, fit? } or { blur: radius }.')
  }
  if ('color' in background) return checkColor(background.color, 'replaceBackground', 'background.color').map((v) => new Float32Array(n).fill(v / 255))
  if ('blur' in background)
    return blurPlanes(toPlanes(image), width, height, checkNumber(background.blur, 'replaceBackground', 'background.blur', { min: 0, above: true }))
  // Cover fills the frame (cropping), contain fits inside it (bars of black); bilinear sampling, centred.
  const src = background.image
  validateImage(src, 'replaceBackground: background.image')
  const fit = optionalChoice(background.fit, 'cover', ['cover', 'contain'], 'replaceBackground', 'background.fit')
  const scale = (fit === 'contain' ? Math.min : Math.max)(width / src.width, height / src.height)
  const ox = (width - src.width * scale) / 2
  const oy = (height - src.height * scale) / 2
  const planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)]
  const xs = Array.from({ length: width }, (_, x) => sampleAt(x, ox, scale, src.width))
  for (let y = 0; y < height; y++) {
    const sy = sampleAt(y, oy, scale, src.height)
    if (!sy) continue
    for (let x = 0; x < width; x++) {
      const sx = xs[x]
      if (!sx) continue
      for (let c = 0; c < 3; c++) {
        const at = (xx: number, yy: number) => src.data[(yy * src.width + xx) * 4 + c]
        const top = at(sx.i0, sy.i0) * (1 - sx.t) + at(sx.i1, sy.i0) * sx.t
        const bottom = at(sx.i0, sy.i1) * (1 - sx.t) + at(sx.i1, sy.i1) * sx.t
        planes[c][y * width + x] = (top * (1 - sy.t) + bottom * sy.t) / 255
      }
    }
  }
  return planes
}

/**
 * Puts the masked subject on a new background. Soft edges composite as straight-alpha "over"
 * (out = alpha F + (1 - alpha) B, the premultiplied foreground plus the uncovered background); with `decontaminate`,
 * F at the edge is re-estimated (Blur-Fusion, Forte & Pitie 2021) instead of taken from the photo, which still
 * holds the old background's colour.
 *
 * @example
 * const studio = replaceBackground(photo, mask, { color: [255, 255, 255] }, { feather: 2, decontaminate: true })
 * const portrait = replaceBackground(photo, mask, { blur: 12 })
 */
export function replaceBackground(image: RgbaImage, mask: Mask, background: Background, options: ReplaceBackgroundOptions = {}): RgbaImage {
  checkImageAndMask('replaceBackground', image, mask)
  const given = checkOptions(options, 'replaceBackground')
  const featherRadius = optionalNumber(given.feather, 0, 'replaceBackground', 'options.feather', { min: 0 })
  const decontaminate = optionalBoolean(given.decontaminate, false, 'replaceBackground', 'options.decontaminate')
  const soft = featherRadius ? featherMask(mask, featherRadius) : mask
  const bg = backgroundPlanes(image, background)
  const fg = decontaminate ? estimateForeground(image, soft) : undefined
  const data = new Uint8ClampedArray(image.data.length)
  for (let i = 0; i < soft.data.length; i++) {
    const a = soft.data[i] / 255
    for (let c = 0; c < 3; c++) {
      const f = fg ? fg[c][i] : image.data[i * 4 + c] / 255
      data[i * 4 + c] = Math.round(255 * (a * f + (1 - a) * bg[c][i]))
    }
    data[i * 4 + 3] = 255
  }
  return { data, width: image.width, height: image.height }
}
