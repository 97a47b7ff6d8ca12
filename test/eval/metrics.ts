/** Segmentation and compositing scores, each leaving out the ground truth's undecided pixels (128). */
import { createMask, dilate, type RgbaImage } from '@anymask/core'

const decided = (truth: Uint8Array, i: number) => truth[i] !== 128

/** IoU of a binary prediction (non-zero = object) against the truth's decided pixels. */
export function scoredIou(prediction: ArrayLike<number>, truth: Uint8Array): number {
  let inter = 0,
    union = 0
  for (let i = 0; i < truth.length; i++) {
    if (!decided(truth, i)) continue
    const p = prediction[i] !== 0
    const t = truth[i] === 255
    if (p && t) inter++
    if (p || t) union++
  }
  return union === 0 ? 1 : inter / union
}

/** Pixels inside `inside` with a 4-neighbour outside it. */
function boundary(width: number, height: number, inside: (i: number) => boolean): Uint8Array {
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      if (!inside(i)) continue
      const edge = (x > 0 && !inside(i - 1)) || (x < width - 1 && !inside(i + 1)) || (y > 0 && !inside(i - width)) || (y < height - 1 && !inside(i + width))
      if (edge) out[i] = 255
    }
  return out
}

/**
 * Boundary F-measure with a tolerance (Martin et al. / DAVIS style): precision = predicted boundary pixels within
 * `tolerance` px of a true boundary pixel, recall the other way. The truth's undecided band is where the true
 * boundary may lie anywhere, so the band takes the prediction's value before both boundaries are traced: a
 * prediction whose edge runs inside the band matches exactly, one that leaves it is scored where it leaves.
 */
export function boundaryF(prediction: ArrayLike<number>, truth: Uint8Array, width: number, height: number, tolerance = 2): number {
  const isObject = (i: number) => prediction[i] !== 0
  const predicted = boundary(width, height, isObject)
  const actual = boundary(width, height, (i) => (decided(truth, i) ? truth[i] === 255 : isObject(i)))
  const nearActual = dilate(createMask(width, height, actual), tolerance).data
  const nearPredicted = dilate(createMask(width, height, predicted), tolerance).data
  let pHit = 0,
    pAll = 0,
    rHit = 0,
    rAll = 0
  for (let i = 0; i < truth.length; i++) {
    if (predicted[i]) pAll++, nearActual[i] && pHit++
    if (actual[i]) rAll++, nearPredicted[i] && rHit++
  }
  const precision = pAll === 0 ? 1 : pHit / pAll
  const recall = rAll === 0 ? 1 : rHit / rAll
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
}

/** Mean of G - max(R, B) (clamped at 0), 0..255, over the pixels where `band` holds: green spill on a green screen. */
export function greenExcess(image: RgbaImage, band: (i: number) => boolean): number {
  let sum = 0,
    n = 0
  for (let i = 0; i < image.width * image.height; i++) {
    if (!band(i)) continue
    const p = i * 4
    sum += Math.max(0, image.data[p + 1] - Math.max(image.data[p], image.data[p + 2]))
    n++
  }
  return n === 0 ? 0 : sum / n
}
