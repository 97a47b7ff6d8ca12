import { AnymaskError, checkNumber, type Mask, type RgbaImage } from '@anymask/core/mask'
import { boxFilter } from './boxFilter.js'
import { checkImageAndMask, toAlpha, toPlanes } from './planes.js'

/**
 * Foreground colours at a soft edge, without the old background mixed in: Blur-Fusion (Forte & Pitie, "Approximate
 * Fast Foreground Colour Estimation", ICIP 2021), run twice (a large then a small blur, as the paper recommends).
 * Each pass: F and B are local alpha-weighted means, then F is corrected so that alpha F + (1 - alpha) B matches
 * the image. Returns the foreground as float planes 0..1.
 */
export function estimateForeground(image: RgbaImage, mask: Mask, radii: [number, number] = [90, 6]): [Float32Array, Float32Array, Float32Array] {
  checkImageAndMask('estimateForeground', image, mask)
  if (!Array.isArray(radii) || (radii as number[]).length === 0)
    throw new AnymaskError('INVALID_OPTION', 'estimateForeground: radii must be an array of blur radii in pixels, such as [90, 6].')
  for (const [i, r] of radii.entries()) checkNumber(r, 'estimateForeground', `radii[${i}]`, { min: 1, integer: true })
  const { width, height } = image
  const n = width * height
  const alpha = toAlpha(mask)
  const inverse = alpha.map((a) => 1 - a)
  const colour = toPlanes(image)
  const fg = colour.map((p) => p.slice()) as [Float32Array, Float32Array, Float32Array]
  const bg = colour.map((p) => p.slice())
  const weightedF = new Float32Array(n),
    weightedB = new Float32Array(n)
  for (const r of radii) {
    const blurA = boxFilter(alpha, width, height, r)
    const blurB = boxFilter(inverse, width, height, r)
    for (let c = 0; c < 3; c++) {
      const F = fg[c],
        B = bg[c],
        I = colour[c]
      for (let i = 0; i < n; i++) {
        weightedF[i] = F[i] * alpha[i]
        weightedB[i] = B[i] * inverse[i]
      }
      const fMean = boxFilter(weightedF, width, height, r)
      const bMean = boxFilter(weightedB, width, height, r)
      for (let i = 0; i < n; i++) {
        const f = blurA[i] > 1e-5 ? fMean[i] / blurA[i] : I[i]
        const b = blurB[i] > 1e-5 ? bMean[i] / blurB[i] : I[i]
        const a = alpha[i]
        F[i] = Math.min(1, Math.max(0, f + a * (I[i] - a * f - (1 - a) * b)))
        B[i] = b
      }
    }
  }
  return fg
}
