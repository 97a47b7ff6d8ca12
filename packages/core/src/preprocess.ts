import type { RgbaImage } from './types.js'

/** Side of the square that every SAM-family encoder takes. */
export const MODEL_SIZE = 1024

/** An 8-bit RGB image, 3 bytes a pixel, row-major. */
export interface RgbImage {
  data: Uint8Array
  width: number
  height: number
}

interface ResampleTable {
  taps: number
  /** First source index of each output sample. */
  start: Int32Array
  /** `taps` weights per output sample (zeros past the edge). */
  weights: Float32Array
}

// Triangle (bilinear) filter widened by the scale factor when shrinking, as PIL does: a 12-megapixel photo
// shrunk to 1024 px is antialiased, not sampled.
function resampleTable(inSize: number, outSize: number): ResampleTable {
  const scale = inSize / outSize
  const support = Math.max(scale, 1)
  const taps = Math.ceil(support * 2) + 1
  const start = new Int32Array(outSize)
  const weights = new Float32Array(outSize * taps)
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale
    const lo = Math.max(0, Math.floor(centre - support))
    const hi = Math.min(inSize, Math.ceil(centre + support))
    start[i] = lo
    let total = 0
    for (let j = lo; j < hi && j - lo < taps; j++) {
      const w = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support))
      weights[i * taps + j - lo] = w
      total += w
    }
    for (let k = 0; k < taps; k++) weights[i * taps + k] /= total || 1
  }
  return { taps, start, weights }
}

/** Smallest scale left for the filter after a box reduction (PIL's `reducing_gap`). */
const REDUCING_GAP = 1.5

/**
 * Averages `k` x `k` blocks of RGBA into float RGB (edge blocks average what they have): one cheap pass that takes
 * a 12-megapixel photo most of the way down, so the filter that follows has few taps.
 */
function boxReduce(image: RgbaImage, k: number): { data: Float32Array; width: number; height: number } {
  const { data: src, width: inW, height: inH } = image
  const width = Math.ceil(inW / k)
  const height = Math.ceil(inH / k)
  const out = new Float32Array(width * height * 3)
  // Whole pixels as 32-bit words (little-endian RGBA) where the buffer allows: a third of the loads.
  const words = src.byteOffset % 4 === 0 ? new Uint32Array(src.buffer, src.byteOffset, inW * inH) : undefined
  for (let by = 0; by < height; by++) {
    const y0 = by * k
    const y1 = Math.min(y0 + k, inH)
    for (let bx = 0; bx < width; bx++) {
      const x0 = bx * k
      const x1 = Math.min(x0 + k, inW)
      let r = 0,
        g = 0,
        b = 0
      for (let y = y0; y < y1; y++) {
        const rowStart = y * inW
        if (words) {
          for (let i = rowStart + x0, end = rowStart + x1; i < end; i++) {
            const v = words[i]
            r += v & 0xff
            g += (v >>> 8) & 0xff
            b += (v >>> 16) & 0xff
          }
        } else {
          for (let p = (rowStart + x0) * 4, end = (rowStart + x1) * 4; p < end; p += 4) {
            r += src[p]
            g += src[p + 1]
            b += src[p + 2]
          }
        }
      }
      const inv = 1 / ((x1 - x0) * (y1 - y0))
      const d = (by * width + bx) * 3
      out[d] = r * inv
      out[d + 1] = g * inv
      out[d + 2] = b * inv
    }
  }
  return { data: out, width, height }
}

/**
 * Resizes RGBA to 8-bit RGB of `width` x `height` (separable triangle filter, antialiased when shrinking, after
 * a box reduction by a whole factor when shrinking a lot, as PIL does). Alpha is dropped: SAM sees colour only.
 *
 * @example
 * const rgb = resizeToRgb({ data, width: 4000, height: 3000 }, 1024, 768)
 */
export function resizeToRgb(image: RgbaImage, width: number, height: number): RgbImage {
  const factor = Math.max(1, Math.floor(Math.min(image.width / width, image.height / height) / REDUCING_GAP))
  // Without a reduction the source is read as RGBA (stride 4), after one as float RGB (stride 3).
  const reduced = factor > 1 ? boxReduce(image, factor) : undefined
  const src: ArrayLike<number> = reduced ? reduced.data : image.data
  const stride = reduced ? 3 : 4
  const inW = reduced ? reduced.width : image.width
  const inH = reduced ? reduced.height : image.height
  const h = resampleTable(inW, width)
  const v = resampleTable(inH, height)
  // Horizontal pass: every source row to `width` samples.
  const rows = new Float32Array(inH * width * 3)
  for (let y = 0; y < inH; y++) {
    const srcRow = y * inW * stride
    const dstRow = y * width * 3
    for (let x = 0; x < width; x++) {
      const s0 = h.start[x]
      const wBase = x * h.taps
      let r = 0,
        g = 0,
        b = 0
      for (let k = 0; k < h.taps; k++) {
        const w = h.weights[wBase + k]
        if (w === 0) continue
        const p = srcRow + (s0 + k) * stride
        r += src[p] * w
        g += src[p + 1] * w
        b += src[p + 2] * w
      }
      const d = dstRow + x * 3
      rows[d] = r
      rows[d + 1] = g
      rows[d + 2] = b
    }
  }
  // Vertical pass, rounding to 8 bits as an image library would.
  const out = new Uint8Array(width * height * 3)
  const rowLen = width * 3
  const acc = new Float32Array(rowLen)
  for (let y = 0; y < height; y++) {
    acc.fill(0)
    const s0 = v.start[y]
    for (let k = 0; k < v.taps; k++) {
      const w = v.weights[y * v.taps + k]
      if (w === 0) continue
      const row = (s0 + k) * rowLen
      for (let i = 0; i < rowLen; i++) acc[i] += rows[row + i] * w
    }
    const o = y * rowLen
    for (let i = 0; i < rowLen; i++) out[o + i] = Math.min(255, Math.max(0, Math.round(acc[i])))
  }
  return { data: out, width, height }
}

/**
 * Planar float CHW of a MODEL_SIZE square: `(rgb - mean) / std` per channel (0..255 scale), the image at the
 * top-left and zeros in the padding to the right and below.
 */
export function normalizeToSquare(rgb: RgbImage, mean: readonly number[], std: readonly number[]): Float32Array {
  const plane = MODEL_SIZE * MODEL_SIZE
  const out = new Float32Array(3 * plane)
  const { data, width, height } = rgb
  for (let c = 0; c < 3; c++) {
    const m = mean[c]
    const inv = 1 / std[c]
    const base = c * plane
    for (let y = 0; y < height; y++) {
      const o = base + y * MODEL_SIZE
      const s = y * width * 3 + c
      for (let x = 0; x < width; x++) out[o + x] = (data[s + x * 3] - m) * inv
    }
  }
  return out
}
