/**
 * The @anymask/edit evaluations on the GrabCut photographs: edge refinement, halo, recolour. One function returns
 * the figures (the tests assert their directions); `npm run eval:edit` prints them as a table.
 */
import { createMask, feather, type Mask } from '@anymask/core'
import { recolor, refineEdges, replaceBackground, srgbToOklab } from '@anymask/edit'
import { grabcutSamples } from './grabcut.js'
import { boundaryF, greenExcess, scoredIou } from './metrics.js'

export interface ImageFigures {
  name: string
  coarseIou: number
  refinedIou: number
  coarseF: number
  refinedF: number
  haloPlain: number
  haloClean: number
  recolorLightness: number
  recolorOutsideChanged: number
}

/**
 * A coarse mask as a SAM decoder makes it: the truth's coverage averaged down to 256 px on the long side (the
 * decoder's low-resolution probabilities; undecided pixels count as half covered), then bilinear back up to the
 * photo's size. Soft, like upscaled logits; thresholded at one half it is the decoder's binary answer.
 */
export function coarseMaskOf(truth: Uint8Array, width: number, height: number): Mask {
  const scale = 256 / Math.max(width, height)
  const sw = Math.max(1, Math.round(width * scale)),
    sh = Math.max(1, Math.round(height * scale))
  // Area average: each small pixel covers a (width / sw) x (height / sh) block of the truth.
  const sum = new Float64Array(sw * sh),
    count = new Float64Array(sw * sh)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const j = Math.min(sh - 1, Math.floor((y * sh) / height)) * sw + Math.min(sw - 1, Math.floor((x * sw) / width))
      sum[j] += truth[y * width + x] === 255 ? 1 : truth[y * width + x] === 128 ? 0.5 : 0
      count[j]++
    }
  const small = sum.map((s, j) => s / count[j])
  // Bilinear up, pixel centres aligned.
  const out = new Uint8Array(width * height)
  const at = (x: number, y: number) => small[y * sw + x]
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max(((y + 0.5) * sh) / height - 0.5, 0), sh - 1),
      y0 = Math.floor(fy),
      y1 = Math.min(y0 + 1, sh - 1),
      ty = fy - y0
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max(((x + 0.5) * sw) / width - 0.5, 0), sw - 1),
        x0 = Math.floor(fx),
        x1 = Math.min(x0 + 1, sw - 1),
        tx = fx - x0
      const v = (at(x0, y0) * (1 - tx) + at(x1, y0) * tx) * (1 - ty) + (at(x0, y1) * (1 - tx) + at(x1, y1) * tx) * ty
      out[y * width + x] = Math.round(255 * v)
    }
  }
  return createMask(width, height, out)
}

const binary = (mask: Mask) => mask.data.map((v) => (v >= 128 ? 255 : 0))

/** Every figure for every photo; the edges are refined with refineEdges' defaults, as a user would call it. */
export function evaluateEdit(): ImageFigures[] {
  const rows: ImageFigures[] = []
  for (const { name, image, truth } of grabcutSamples()) {
    const { width, height } = image
    const coarse = coarseMaskOf(truth, width, height)
    const refined = refineEdges(image, coarse)
    const refinedBinary = binary(refined)

    const object = createMask(
      width,
      height,
      truth.map((v) => (v === 255 ? 255 : 0)),
    )
    const soft = feather(object, 3)
    const band = (i: number) => soft.data[i] > 0 && soft.data[i] < 255
    const green = { color: [0, 255, 0] as [number, number, number] }
    const plain = replaceBackground(image, soft, green)
    const clean = replaceBackground(image, soft, green, { decontaminate: true })

    const recoloured = recolor(image, object, { color: [40, 90, 220] })
    let dL = 0,
      inside = 0,
      outsideChanged = 0
    for (let i = 0; i < truth.length; i++) {
      const p = i * 4
      if (object.data[i]) {
        dL += Math.abs(
          srgbToOklab(recoloured.data[p], recoloured.data[p + 1], recoloured.data[p + 2])[0] -
            srgbToOklab(image.data[p], image.data[p + 1], image.data[p + 2])[0],
        )
        inside++
      } else {
        for (let c = 0; c < 4; c++) if (recoloured.data[p + c] !== image.data[p + c]) outsideChanged++
      }
    }
    rows.push({
      name,
      coarseIou: scoredIou(binary(coarse), truth),
      refinedIou: scoredIou(refinedBinary, truth),
      coarseF: boundaryF(binary(coarse), truth, width, height),
      refinedF: boundaryF(refinedBinary, truth, width, height),
      haloPlain: greenExcess(plain, band),
      haloClean: greenExcess(clean, band),
      recolorLightness: dL / inside,
      recolorOutsideChanged: outsideChanged,
    })
  }
  return rows
}

export const mean = (rows: ImageFigures[], key: keyof Omit<ImageFigures, 'name'>) => rows.reduce((s, r) => s + r[key], 0) / rows.length
