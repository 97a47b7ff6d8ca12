import type { ModelFrame } from './coordinates.js'
import { MODEL_SIZE } from './preprocess.js'
import { MaskStats } from './mask/createMask.js'
import type { LowResMask, Mask } from './types.js'

/** Side of the decoders' low-res logits. */
export const LOW_RES = 256

/** One candidate as a decoder gives it: low-res logits over the padded model square, and a score. */
export interface Candidate {
  lowRes: Float32Array
  score: number
}

interface Axis {
  i0: Int32Array
  i1: Int32Array
  f: Float32Array
  /** For each source index i (and one past the last), the first output index whose i0 is at least i. */
  start: Int32Array
}

// Sample positions of a bilinear resize with align_corners=False (PyTorch's F.interpolate, ONNX half_pixel).
function computeAxis(outSize: number, scale: number, inSize: number): Axis {
  const i0 = new Int32Array(outSize)
  const i1 = new Int32Array(outSize)
  const f = new Float32Array(outSize)
  const start = new Int32Array(inSize + 1).fill(outSize)
  for (let o = outSize - 1; o >= 0; o--) {
    const s = Math.max(0, (o + 0.5) * scale - 0.5)
    const a = Math.min(Math.floor(s), inSize - 1)
    i0[o] = a
    i1[o] = Math.min(a + 1, inSize - 1)
    f[o] = Math.min(s - a, 1)
    start[a] = o
  }
  // Source indices no output starts at take the next one's start.
  for (let i = inSize - 1; i >= 0; i--) if (start[i] > start[i + 1]) start[i] = start[i + 1]
  return { i0, i1, f, start }
}

// The same few frames come back decode after decode: keep their axes rather than remake them every time.
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
 * Bilinear resize of the top-left `width` x `height` window of `src` scaled by 1/scaleX, 1/scaleY, thresholded
 * at 0, into a new mask. A bilinear sample is a convex mix of its sources, so it can only be positive next to a
 * positive source: rows and columns away from the source's positive extent are left at 0 untouched, and within it,
 * where a pixel's sources share a sign it has that sign, so runs of such pixels are filled at once and only pixels
 * across a sign change (the mask's edge) are interpolated. Same bytes as thresholding the full resize; the cost
 * follows the mask's bounding box and edge, not the image.
 */
function resizeThreshold(src: Float32Array, srcW: number, srcH: number, scaleX: number, scaleY: number, width: number, height: number, score?: number): Mask {
  const ax = axis(width, scaleX, srcW)
  const ay = axis(height, scaleY, srcH)
  const { i1, f, start } = ax
  // Each source row's first and last positive column (-1: none).
  const first = extentScratch(0, srcH)
  const last = extentScratch(1, srcH)
  for (let r = 0; r < srcH; r++) {
    const o = r * srcW
    let a = -1,
      b = -1
    for (let i = 0; i < srcW; i++) {
      if (src[o + i] > 0) {
        if (a < 0) a = i
        b = i
      }
    }
    first[r] = a
    last[r] = b
  }
  const blend = rowScratch(srcW)
  const data = new Uint8Array(width * height)
  const stats = new MaskStats(width, height)
  for (let y = 0; y < height; y++) {
    const s0 = ay.i0[y]
    const s1 = ay.i1[y]
    if (first[s0] < 0 && first[s1] < 0) continue // no positive source: the row stays 0
    const lo = first[s0] < 0 ? first[s1] : first[s1] < 0 ? first[s0] : Math.min(first[s0], first[s1])
    const hi = Math.max(last[s0], last[s1])
    const iLo = Math.max(0, lo - 1)
    const iHi = Math.min(srcW - 1, hi + 1)
    const r0 = s0 * srcW
    const r1 = s1 * srcW
    const fy = ay.f[y]
    for (let i = iLo; i <= iHi; i++) blend[i] = src[r0 + i] + (src[r1 + i] - src[r0 + i]) * fy
    const o = y * width
    let firstX = -1,
      lastX = -1,
      count = 0
    let run = -1 // start of a run of positive pixels not yet written
    const fill = (end: number) => {
      data.fill(255, o + run, o + end)
      if (firstX < 0) firstX = run
      lastX = end - 1
      count += end - run
      run = -1
    }
    // Walk the source cells: the output pixels of cell i lie between its neighbours i and i + 1.
    for (let i = iLo; i <= hi; i++) {
      const xa = start[i]
      const xb = start[i + 1]
      if (xa === xb) continue
      const a = blend[i]
      const b = blend[i1[xa]]
      if (a > 0 && b > 0) {
        if (run < 0) run = xa
        continue
      }
      if (run >= 0) fill(xa)
      if (a <= 0 && b <= 0) continue
      // Across a sign change: interpolate these pixels.
      for (let x = xa; x < xb; x++) {
        if (a + (b - a) * f[x] > 0) {
          data[o + x] = 255
          if (firstX < 0) firstX = x
          lastX = x
          count++
        }
      }
    }
    if (run >= 0) fill(start[hi + 1])
    stats.row(y, firstX, lastX, count)
  }
  return stats.mask(data, score)
}

// Scratch buffers reused between decodes (post-processing is synchronous, so one of each is enough).
let cropScratch = new Float32Array(0)
let blendScratch = new Float32Array(0)
const rowScratch = (n: number) => (blendScratch.length >= n ? blendScratch : (blendScratch = new Float32Array(n)))
const extents = [new Int32Array(0), new Int32Array(0)]
const extentScratch = (k: 0 | 1, n: number) => (extents[k].length >= n ? extents[k] : (extents[k] = new Int32Array(n)))

/**
 * Low-res logits to a binary mask at the image size, as the exporters' post-processing does: bilinear to the
 * 1024 square, crop to the image's content, bilinear to the image size, threshold at 0. `direct` resizes the
 * 256 grid straight to the image size instead (samexporter's SAM 2 reference; the frame then has no padding).
 */
export function upscaleLowRes(lowRes: Float32Array, frame: ModelFrame, score?: number, direct = false): Mask {
  const { resizedWidth: cw, resizedHeight: ch, width, height } = frame
  if (direct) return resizeThreshold(lowRes, LOW_RES, LOW_RES, LOW_RES / width, LOW_RES / height, width, height, score)
  const step = LOW_RES / MODEL_SIZE
  // At the content's own size (a 1024-px image, or a preview of a larger one) the second resize is the identity.
  if (width === cw && height === ch) return resizeThreshold(lowRes, LOW_RES, LOW_RES, step, step, width, height, score)
  if (cropScratch.length < cw * ch) cropScratch = new Float32Array(cw * ch)
  resizeInto(lowRes, LOW_RES, LOW_RES, step, step, cw, ch, cropScratch)
  return resizeThreshold(cropScratch, cw, ch, cw / width, ch / height, width, height, score)
}

/** Wraps a candidate's logits for `prompt.mask`, with the model and image they belong to. */
export const toLowResMask = (data: Float32Array, source?: LowResMask['source']): LowResMask => ({
  width: LOW_RES,
  height: LOW_RES,
  data,
  ...(source ? { source } : {}),
})

/**
 * Pixel ranges [start, end) of the image that fall in each low-res cell along one axis (by pixel centre), for the
 * `content` model pixels the image fills; cells past the content get an empty range. A cell smaller than a pixel
 * (an image below the model's size) takes the pixel under its centre.
 */
function cellRanges(imageSize: number, content: number): [Int32Array, Int32Array] {
  const start = new Int32Array(LOW_RES)
  const end = new Int32Array(LOW_RES)
  const step = MODEL_SIZE / LOW_RES
  const toImage = imageSize / content
  for (let c = 0; c < LOW_RES && c * step < content; c++) {
    start[c] = Math.min(imageSize, Math.max(0, Math.ceil(c * step * toImage - 0.5)))
    end[c] = Math.min(imageSize, Math.max(0, Math.ceil(Math.min((c + 1) * step, content) * toImage - 0.5)))
    if (end[c] <= start[c]) {
      start[c] = Math.min(imageSize - 1, Math.floor((c + 0.5) * step * toImage))
      end[c] = start[c] + 1
    }
  }
  return [start, end]
}

/**
 * A mask at the image's size as low-res logits in `frame`: the inverse of upscaleLowRes, so that any mask can be a
 * `prompt.mask`. Each cell's mean of the mask (a soft mask's values count as their fraction) is a probability,
 * clipped to [eps, 1 - eps] and turned into a logit (+-6.9 for a binary mask); the padding is background. As
 * micro-sam prompts SAM with a mask (`_compute_logits_from_mask` in micro_sam/prompt_based_segmentation.py).
 */
export function lowResFromMask(mask: Mask, frame: ModelFrame, eps = 1e-3): Float32Array {
  const { width, height, data } = mask
  const [x0, x1] = cellRanges(width, frame.resizedWidth)
  const [y0, y1] = cellRanges(height, frame.resizedHeight)
  // Sums over each row's cells first, then over each cell's rows: one pass over the pixels.
  const rowSums = new Float64Array(height * LOW_RES)
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let c = 0; c < LOW_RES && x1[c] > 0; c++) {
      let s = 0
      for (let x = x0[c]; x < x1[c]; x++) s += data[row + x]
      rowSums[y * LOW_RES + c] = s
    }
  }
  const logit = (p: number) => Math.log(p / (1 - p))
  const out = new Float32Array(LOW_RES * LOW_RES).fill(logit(eps))
  for (let r = 0; r < LOW_RES && y1[r] > 0; r++) {
    for (let c = 0; c < LOW_RES && x1[c] > 0; c++) {
      let s = 0
      for (let y = y0[r]; y < y1[r]; y++) s += rowSums[y * LOW_RES + c]
      const share = s / (255 * (y1[r] - y0[r]) * (x1[c] - x0[c]))
      out[r * LOW_RES + c] = logit(Math.min(1 - eps, Math.max(eps, share)))
    }
  }
  return out
}
