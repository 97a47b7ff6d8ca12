import type { ModelFrame } from './coordinates.js'
import { MODEL_SIZE } from './preprocess.js'
import type { LowResMask, Mask } from './types.js'

/** Side of the decoders' low-res logits. */
export const LOW_RES = 256

/** One candidate as a decoder gives it: low-res logits over the padded model square, and a score. */
export interface Candidate {
  lowRes: Float32Array
  score: number
}

/** Bounding box and area of a mask, gathered row by row while it is written (one pass instead of two). */
class MaskStats {
  x0: number
  y0: number
  x1 = 0
  y1 = 0
  area = 0

  constructor(
    private readonly width: number,
    private readonly height: number,
  ) {
    this.x0 = width
    this.y0 = height
  }

  /** Row `y` has `count` pixels set, the first at `first` and the last at `last` (count 0: none). */
  row(y: number, first: number, last: number, count: number): void {
    if (count === 0) return
    this.area += count
    if (first < this.x0) this.x0 = first
    if (last + 1 > this.x1) this.x1 = last + 1
    if (y < this.y0) this.y0 = y
    this.y1 = y + 1
  }

  mask(data: Uint8Array, score?: number): Mask {
    const { width, height, area } = this
    const bbox = area === 0 ? { x0: 0, y0: 0, x1: 0, y1: 0 } : { x0: this.x0, y0: this.y0, x1: this.x1, y1: this.y1 }
    return score === undefined ? { width, height, data, bbox, area } : { width, height, data, bbox, area, score }
  }
}

interface Axis {
  i0: Int32Array
  i1: Int32Array
  f: Float32Array
  /** For each source index i, one past the last output index whose i0 is i. */
  runEnd: Int32Array
}

// Sample positions of a bilinear resize with align_corners=False (PyTorch's F.interpolate, ONNX half_pixel).
function computeAxis(outSize: number, scale: number, inSize: number): Axis {
  const i0 = new Int32Array(outSize)
  const i1 = new Int32Array(outSize)
  const f = new Float32Array(outSize)
  const runEnd = new Int32Array(inSize)
  for (let o = 0; o < outSize; o++) {
    const s = Math.max(0, (o + 0.5) * scale - 0.5)
    const a = Math.min(Math.floor(s), inSize - 1)
    i0[o] = a
    i1[o] = Math.min(a + 1, inSize - 1)
    f[o] = Math.min(s - a, 1)
    runEnd[a] = o + 1
  }
  return { i0, i1, f, runEnd }
}

// The same few frames come back decode after decode: keep their axes (small, but made per row of output otherwise).
const axes = new Map<string, Axis>()
function axis(outSize: number, scale: number, inSize: number): Axis {
  const key = `${outSize} ${scale} ${inSize}`
  let found = axes.get(key)
  if (!found) {
    if (axes.size >= 16) axes.clear()
    found = computeAxis(outSize, scale, inSize)
    axes.set(key, found)
  }
  return found
}

/**
 * Bilinear resize of the top-left `outW` x `outH` window of `src` scaled by 1/scaleX, 1/scaleY (half-pixel
 * centres) into `out`.
 */
function resizeInto(src: Float32Array, srcW: number, srcH: number, scaleX: number, scaleY: number, outW: number, outH: number, out: Float32Array): void {
  const ax = axis(outW, scaleX, srcW)
  const ay = axis(outH, scaleY, srcH)
  const blend = rowScratch(srcW)
  for (let y = 0; y < outH; y++) {
    const r0 = ay.i0[y] * srcW
    const r1 = ay.i1[y] * srcW
    const fy = ay.f[y]
    for (let i = 0; i < srcW; i++) blend[i] = src[r0 + i] + (src[r1 + i] - src[r0 + i]) * fy
    const o = y * outW
    for (let x = 0; x < outW; x++) {
      const a = blend[ax.i0[x]]
      out[o + x] = a + (blend[ax.i1[x]] - a) * ax.f[x]
    }
  }
}

/**
 * Bilinear resize of `src` (srcW x srcH) to `width` x `height`, thresholded at 0, into a new mask. A bilinear
 * sample is a convex mix of its sources, so where its sources share a sign it has that sign: runs of such pixels
 * are filled at once, and only pixels across a sign change (the mask's edge) are interpolated. Same bytes as
 * thresholding the full resize, in a fraction of the time on large images.
 */
function resizeThreshold(src: Float32Array, srcW: number, srcH: number, width: number, height: number, score?: number): Mask {
  const ax = axis(width, srcW / width, srcW)
  const ay = axis(height, srcH / height, srcH)
  const { i0, i1, f, runEnd } = ax
  const blend = rowScratch(srcW)
  const data = new Uint8Array(width * height)
  const stats = new MaskStats(width, height)
  for (let y = 0; y < height; y++) {
    const r0 = ay.i0[y] * srcW
    const r1 = ay.i1[y] * srcW
    const fy = ay.f[y]
    for (let i = 0; i < srcW; i++) blend[i] = src[r0 + i] + (src[r1 + i] - src[r0 + i]) * fy
    const o = y * width
    let first = -1, last = -1, count = 0
    let x = 0
    while (x < width) {
      const a = blend[i0[x]]
      const b = blend[i1[x]]
      const positive = a > 0
      if (positive !== b > 0) {
        // Across a sign change: interpolate this pixel.
        if (a + (b - a) * f[x] > 0) {
          data[o + x] = 255
          if (first < 0) first = x
          last = x
          count++
        }
        x++
        continue
      }
      // Extend the run over the following source pairs of the same sign.
      let end = runEnd[i0[x]]
      while (end < width && blend[i0[end]] > 0 === positive && blend[i1[end]] > 0 === positive) end = runEnd[i0[end]]
      if (positive) {
        data.fill(255, o + x, o + end)
        if (first < 0) first = x
        last = end - 1
        count += end - x
      }
      x = end
    }
    stats.row(y, first, last, count)
  }
  return stats.mask(data, score)
}

// Scratch buffers reused between decodes (post-processing is synchronous, so one of each is enough).
let cropScratch = new Float32Array(0)
let blendScratch = new Float32Array(0)
const rowScratch = (n: number) => (blendScratch.length >= n ? blendScratch : (blendScratch = new Float32Array(n)))

/**
 * Low-res logits to a binary mask at the image size, as the exporters' post-processing does: bilinear to the
 * 1024 square, crop to the image's content, bilinear to the image size, threshold at 0.
 */
export function upscaleLowRes(lowRes: Float32Array, frame: ModelFrame, score?: number): Mask {
  const { resizedWidth: cw, resizedHeight: ch, width, height } = frame
  if (cropScratch.length < cw * ch) cropScratch = new Float32Array(cw * ch)
  const step = LOW_RES / MODEL_SIZE
  resizeInto(lowRes, LOW_RES, LOW_RES, step, step, cw, ch, cropScratch)
  return resizeThreshold(cropScratch, cw, ch, width, height, score)
}

/** Wraps a candidate's logits for `prompt.mask`. */
export const toLowResMask = (data: Float32Array): LowResMask => ({ width: LOW_RES, height: LOW_RES, data })
