import type { ModelFrame } from './coordinates.js'
import { MODEL_SIZE } from './preprocess.js'
import { createMask } from './mask/createMask.js'
import type { LowResMask, Mask } from './types.js'

/** Side of the decoders' low-res logits. */
export const LOW_RES = 256

/** One candidate as a decoder gives it: low-res logits, a score, and (sam contract) logits at the image size. */
export interface Candidate {
  lowRes: Float32Array
  score: number
  full?: Float32Array
}

/** A binary Mask (0/255) of logits already at the image size: inside where the logit is above 0. */
export function maskFromLogits(logits: Float32Array, width: number, height: number, score?: number): Mask {
  const data = new Uint8Array(width * height)
  for (let i = 0; i < data.length; i++) data[i] = logits[i] > 0 ? 255 : 0
  return createMask(width, height, data, score)
}

interface Axis {
  i0: Int32Array
  i1: Int32Array
  f: Float32Array
}

// Sample positions of a bilinear resize with align_corners=False (PyTorch's F.interpolate, ONNX half_pixel).
function axis(outSize: number, scale: number, inSize: number): Axis {
  const i0 = new Int32Array(outSize)
  const i1 = new Int32Array(outSize)
  const f = new Float32Array(outSize)
  for (let o = 0; o < outSize; o++) {
    const s = Math.max(0, (o + 0.5) * scale - 0.5)
    const a = Math.min(Math.floor(s), inSize - 1)
    i0[o] = a
    i1[o] = Math.min(a + 1, inSize - 1)
    f[o] = Math.min(s - a, 1)
  }
  return { i0, i1, f }
}

/**
 * Bilinear resize of the top-left `outW` x `outH` window of `src` scaled by 1/scaleX, 1/scaleY (half-pixel
 * centres); `visit(y, row)` receives each output row, so callers can threshold without storing the float image.
 */
function resizeRows(
  src: Float32Array,
  srcW: number,
  srcH: number,
  scaleX: number,
  scaleY: number,
  outW: number,
  outH: number,
  visit: (y: number, row: Float32Array) => void,
): void {
  const ax = axis(outW, scaleX, srcW)
  const ay = axis(outH, scaleY, srcH)
  const blend = new Float32Array(srcW)
  const row = new Float32Array(outW)
  for (let y = 0; y < outH; y++) {
    const r0 = ay.i0[y] * srcW
    const r1 = ay.i1[y] * srcW
    const fy = ay.f[y]
    for (let i = 0; i < srcW; i++) blend[i] = src[r0 + i] + (src[r1 + i] - src[r0 + i]) * fy
    for (let x = 0; x < outW; x++) {
      const a = blend[ax.i0[x]]
      row[x] = a + (blend[ax.i1[x]] - a) * ax.f[x]
    }
    visit(y, row)
  }
}

/**
 * Low-res logits to a binary mask at the image size, as the exporters' post-processing does: bilinear to the
 * 1024 square, crop to the image's content, bilinear to the image size, threshold at 0.
 */
export function upscaleLowRes(lowRes: Float32Array, frame: ModelFrame, score?: number): Mask {
  const { resizedWidth: cw, resizedHeight: ch, width, height } = frame
  const cropped = new Float32Array(cw * ch)
  const step = LOW_RES / MODEL_SIZE
  resizeRows(lowRes, LOW_RES, LOW_RES, step, step, cw, ch, (y, row) => cropped.set(row, y * cw))
  const data = new Uint8Array(width * height)
  resizeRows(cropped, cw, ch, cw / width, ch / height, width, height, (y, row) => {
    const o = y * width
    for (let x = 0; x < width; x++) data[o + x] = row[x] > 0 ? 255 : 0
  })
  return createMask(width, height, data, score)
}

/** Wraps a candidate's logits for `prompt.mask`. */
export const toLowResMask = (data: Float32Array): LowResMask => ({ width: LOW_RES, height: LOW_RES, data })
