/**
 * The @anymask/edit evaluations on the GrabCut photographs: edge refinement, halo, recolour. One function returns
 * the figures (the tests assert their directions); `npm run eval:edit` prints them as a table.
 */
import { createMask, feather, resizeMask, type Mask } from '@anymask/core'
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
 * A coarse mask as a SAM decoder makes it: the truth down to 256 px on the long side, bilinear back up. Soft, like
 * upscaled logits; thresholded at one half it is the decoder's binary answer.
 */
export function coarseMaskOf(truth: Uint8Array, width: number, height: number): Mask {
  const scale = 256 / Math.max(width, height)
  const soft = createMask(width, height, Uint8Array.from(truth, (v) => (v === 255 ? 255 : v === 128 ? 127 : 0)))
  const small = resizeMask(soft, Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)))
  return resizeMask(small, width, height)
}

const binary = (mask: Mask) => mask.data.map((v) => (v >= 128 ? 255 : 0))

export function evaluateEdit(options: { radius?: number; epsilon?: number; band?: number } = {}): ImageFigures[] {
  const rows: ImageFigures[] = []
  for (const { name, image, truth } of grabcutSamples()) {
    const { width, height } = image
    const coarse = coarseMaskOf(truth, width, height)
    const refined = refineEdges(image, coarse, { radius: options.radius ?? 2, epsilon: options.epsilon ?? 1e-4, band: options.band ?? 2 })
    const refinedBinary = binary(refined)

    const object = createMask(width, height, truth.map((v) => (v === 255 ? 255 : 0)))
    const soft = feather(object, 3)
    const band = (i: number) => soft.data[i] > 0 && soft.data[i] < 255
    const green = { color: [0, 255, 0] as [number, number, number] }
    const plain = replaceBackground(image, soft, green)
    const clean = replaceBackground(image, soft, green, { decontaminate: true })

    const recoloured = recolor(image, object, { color: [40, 90, 220] })
    let dL = 0, inside = 0, outsideChanged = 0
    for (let i = 0; i < truth.length; i++) {
      const p = i * 4
      if (object.data[i]) {
        dL += Math.abs(srgbToOklab(recoloured.data[p], recoloured.data[p + 1], recoloured.data[p + 2])[0] - srgbToOklab(image.data[p], image.data[p + 1], image.data[p + 2])[0])
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
