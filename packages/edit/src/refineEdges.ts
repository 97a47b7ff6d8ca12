import { createMask, dilate, erode, type Mask, type RgbaImage } from '@anymask/core'
import { boxFilter } from './boxFilter.js'
import { checkImageAndMask, toAlpha, toPlanes } from './planes.js'

export interface RefineEdgesOptions {
  /**
   * Window radius in pixels: the scale of the image edges the alpha follows. Default: one cell of a SAM decoder's
   * 256 px mask on this photo (the long side / 256, at least 1), the scale of the coarse mask's own uncertainty.
   */
  radius?: number
  /**
   * Regularisation: larger is smoother, smaller follows fainter edges (and JPEG noise). Default 1e-3 (colours 0..1:
   * edges of about 8 grey levels and more).
   */
  epsilon?: number
  /**
   * Only pixels within this distance of the mask's edge may change (a trimap's unknown band); the rest keep the
   * mask's value, so textures far from the edge cannot punch holes. Default: half the radius, at least 1.
   */
  band?: number
}

/**
 * An edge-aware soft alpha from a coarse mask: the colour guided filter (He, Sun & Tang, "Guided Image
 * Filtering", TPAMI 2013) with the photo as guide. Inside each window the alpha is a linear function of the
 * colour, so a blocky mask edge snaps to the image's own edges and wisps of hair get partial alpha.
 * Costs O(pixels) whatever the radius (box filters by running sums).
 *
 * @example
 * const alpha = refineEdges(photo, samMask) // defaults scaled to the photo
 * const hair = refineEdges(photo, samMask, { radius: 16, epsilon: 1e-4, band: 8 }) // a wider, finer band
 */
export function refineEdges(image: RgbaImage, mask: Mask, options: RefineEdgesOptions = {}): Mask {
  checkImageAndMask('refineEdges', image, mask)
  const { width, height } = image
  const r = options.radius ?? Math.max(1, Math.round(Math.max(width, height) / 256))
  const eps = options.epsilon ?? 1e-3
  const mean = (p: Float32Array) => boxFilter(p, width, height, r)
  const product = (a: Float32Array, b: Float32Array) => a.map((v, i) => v * b[i])
  const I = toPlanes(image)
  const p = toAlpha(mask)
  const mI = I.map(mean)
  const mp = mean(p)
  const cov = I.map((c, k) => mean(product(c, p)).map((v, i) => v - mI[k][i] * mp[i]))
  // Colour covariance, symmetric: rr rg rb gg gb bb.
  const pairs: [number, number][] = [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]]
  const sigma = pairs.map(([j, k]) => mean(product(I[j], I[k])).map((v, i) => v - mI[j][i] * mI[k][i]))
  const n = width * height
  const A = [new Float32Array(n), new Float32Array(n), new Float32Array(n)]
  const B = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    // Solve (Sigma + eps U) a = cov by the adjugate (3 x 3, symmetric).
    const rr = sigma[0][i] + eps, rg = sigma[1][i], rb = sigma[2][i]
    const gg = sigma[3][i] + eps, gb = sigma[4][i], bb = sigma[5][i] + eps
    const c00 = gg * bb - gb * gb, c01 = rb * gb - rg * bb, c02 = rg * gb - rb * gg
    const c11 = rr * bb - rb * rb, c12 = rb * rg - rr * gb, c22 = rr * gg - rg * rg
    const det = rr * c00 + rg * c01 + rb * c02
    const x = cov[0][i], y = cov[1][i], z = cov[2][i]
    const a0 = (c00 * x + c01 * y + c02 * z) / det
    const a1 = (c01 * x + c11 * y + c12 * z) / det
    const a2 = (c02 * x + c12 * y + c22 * z) / det
    A[0][i] = a0
    A[1][i] = a1
    A[2][i] = a2
    B[i] = mp[i] - a0 * mI[0][i] - a1 * mI[1][i] - a2 * mI[2][i]
  }
  const mA = A.map(mean)
  const mB = mean(B)
  const band = options.band ?? Math.max(1, Math.floor(r / 2))
  // The edge of a soft mask is where it crosses one half.
  const binary = createMask(width, height, mask.data.map((v) => (v >= 128 ? 255 : 0)))
  const outer = dilate(binary, band).data
  const inner = erode(binary, band).data
  // Strands and gaps under 3 px wide that the mask already resolves keep its value: the windows are wider than
  // they are, so one colour model per window would average them away.
  const withoutStrands = dilate(erode(binary, 1.5), 1.5).data
  const withoutGaps = erode(dilate(binary, 1.5), 1.5).data
  const thin = (i: number) => (binary.data[i] ? !withoutStrands[i] : withoutGaps[i] !== 0)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    if (!outer[i] || inner[i] || thin(i)) {
      out[i] = mask.data[i]
      continue
    }
    const q = mA[0][i] * I[0][i] + mA[1][i] * I[1][i] + mA[2][i] * I[2][i] + mB[i]
    out[i] = Math.round(255 * Math.min(1, Math.max(0, q)))
  }
  return createMask(width, height, out)
}
