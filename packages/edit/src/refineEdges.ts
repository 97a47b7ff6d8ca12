import { checkOptions, createMask, dilate, erode, optionalNumber, type Mask, type RgbaImage } from '@anymask/core/mask'
import { boxFilter } from './boxFilter.js'
import { checkImageAndMask } from './planes.js'

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

/** The photo's colour planes (0..1) and the mask's alpha (0..1), averaged over s x s blocks (clipped at the borders). */
function blockAverages(image: RgbaImage, mask: Mask, s: number) {
  const { width, height } = image
  const gw = Math.ceil(width / s),
    gh = Math.ceil(height / s),
    m = gw * gh
  const planes = [new Float32Array(m), new Float32Array(m), new Float32Array(m), new Float32Array(m)]
  const count = new Float32Array(m)
  for (let y = 0; y < height; y++)
    for (let x = 0, j0 = Math.floor(y / s) * gw; x < width; x++) {
      const i = y * width + x,
        j = j0 + Math.floor(x / s)
      planes[0][j] += image.data[i * 4]
      planes[1][j] += image.data[i * 4 + 1]
      planes[2][j] += image.data[i * 4 + 2]
      planes[3][j] += mask.data[i]
      count[j]++
    }
  for (const plane of planes) for (let j = 0; j < m; j++) plane[j] /= 255 * count[j]
  return { colour: planes.slice(0, 3), alpha: planes[3], width: gw, height: gh }
}

/**
 * The guided filter's linear coefficients, already averaged over each pixel's windows: alpha ~ a . colour + b
 * (He, Sun & Tang, section 3.1; a 3 x 3 solve per pixel for the colour guide).
 */
function guidedCoefficients(I: Float32Array[], p: Float32Array, width: number, height: number, r: number, eps: number) {
  const n = width * height
  const mean = (plane: Float32Array) => boxFilter(plane, width, height, r)
  // Colour pairs of the symmetric covariance: rr rg rb gg gb bb.
  const pairs: [number, number][] = [
    [0, 0],
    [0, 1],
    [0, 2],
    [1, 1],
    [1, 2],
    [2, 2],
  ]
  // The products the window statistics need, in one pass: colour x alpha (3) and colour x colour (6).
  const Ip = I.map(() => new Float32Array(n))
  const II = pairs.map(() => new Float32Array(n))
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) Ip[c][i] = I[c][i] * p[i]
    for (let k = 0; k < 6; k++) II[k][i] = I[pairs[k][0]][i] * I[pairs[k][1]][i]
  }
  const mI = I.map(mean)
  const mp = mean(p)
  const mIp = Ip.map(mean)
  const mII = II.map(mean)
  const A = [new Float32Array(n), new Float32Array(n), new Float32Array(n)]
  const B = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const m0 = mI[0][i],
      m1 = mI[1][i],
      m2 = mI[2][i]
    // Solve (Sigma + eps U) a = cov by the adjugate (3 x 3, symmetric).
    const rr = mII[0][i] - m0 * m0 + eps,
      rg = mII[1][i] - m0 * m1,
      rb = mII[2][i] - m0 * m2
    const gg = mII[3][i] - m1 * m1 + eps,
      gb = mII[4][i] - m1 * m2,
      bb = mII[5][i] - m2 * m2 + eps
    const c00 = gg * bb - gb * gb,
      c01 = rb * gb - rg * bb,
      c02 = rg * gb - rb * gg
    const c11 = rr * bb - rb * rb,
      c12 = rb * rg - rr * gb,
      c22 = rr * gg - rg * rg
    const det = rr * c00 + rg * c01 + rb * c02
    const x = mIp[0][i] - m0 * mp[i],
      y = mIp[1][i] - m1 * mp[i],
      z = mIp[2][i] - m2 * mp[i]
    const a0 = (c00 * x + c01 * y + c02 * z) / det
    const a1 = (c01 * x + c11 * y + c12 * z) / det
    const a2 = (c02 * x + c12 * y + c22 * z) / det
    A[0][i] = a0
    A[1][i] = a1
    A[2][i] = a2
    B[i] = mp[i] - a0 * m0 - a1 * m1 - a2 * m2
  }
  return [...A.map(mean), mean(B)]
}

/**
 * Whether no 3 x 3 block of the pixel's own value contains it: part of a strand or gap under 3 px wide (a morphological
 * opening of the pixel's side). Beyond the border counts as the same value, so touching the edge is not thin.
 */
function isThin(binary: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  const v = binary[y * width + x]
  const same = (xx: number, yy: number) => xx < 0 || yy < 0 || xx >= width || yy >= height || binary[yy * width + xx] === v
  for (let cy = y - 1; cy <= y + 1; cy++)
    for (let cx = x - 1; cx <= x + 1; cx++) {
      let block = true
      for (let dy = -1; dy <= 1 && block; dy++) for (let dx = -1; dx <= 1 && block; dx++) block = same(cx + dx, cy + dy)
      if (block) return false
    }
  return true
}

/**
 * An edge-aware soft alpha from a coarse mask: the colour guided filter (He, Sun & Tang, "Guided Image
 * Filtering", TPAMI 2013) with the photo as guide. Inside each window the alpha is a linear function of the
 * colour, so a blocky mask edge snaps to the image's own edges and wisps of hair get partial alpha. Large radii use
 * the fast guided filter (He & Sun, "Fast Guided Filter", 2015): the coefficients vary slowly, so they are fitted on
 * a grid radius / 4 times coarser and interpolated back. Only a band around the mask's edge changes, and strands
 * and gaps under 3 px wide that the mask already has keep its value: the windows are wider than they are, so one
 * colour model per window would average them away. Cost: O(pixels) whatever the radius.
 *
 * @example
 * const alpha = refineEdges(photo, samMask) // defaults scaled to the photo
 * const hair = refineEdges(photo, samMask, { radius: 16, epsilon: 1e-4, band: 8 }) // a wider, finer band
 */
export function refineEdges(image: RgbaImage, mask: Mask, options: RefineEdgesOptions = {}): Mask {
  checkImageAndMask('refineEdges', image, mask)
  const { width, height } = image
  const given = checkOptions(options, 'refineEdges')
  const r = optionalNumber(given.radius, Math.max(1, Math.round(Math.max(width, height) / 256)), 'refineEdges', 'options.radius', { min: 1 })
  const eps = optionalNumber(given.epsilon, 1e-3, 'refineEdges', 'options.epsilon', { min: 0, above: true })
  const band = optionalNumber(given.band, Math.max(1, Math.floor(r / 2)), 'refineEdges', 'options.band', { min: 0 })
  const s = Math.max(1, Math.floor(r / 4))
  const grid = blockAverages(image, mask, s)
  const [a0, a1, a2, b] = guidedCoefficients(grid.colour, grid.alpha, grid.width, grid.height, Math.max(1, Math.round(r / s)), eps)
  // The edge of a soft mask is where it crosses one half.
  const binary = createMask(
    width,
    height,
    mask.data.map((v) => (v >= 128 ? 255 : 0)),
  )
  const outer = dilate(binary, band).data
  const inner = erode(binary, band).data
  const out = Uint8Array.from(mask.data)
  for (let y = 0; y < height; y++) {
    // Grid coordinates of this pixel's centre (block centres sit at (j + 0.5) s - 0.5), clamped, for bilinear reads.
    const gy = Math.min(Math.max((y + 0.5) / s - 0.5, 0), grid.height - 1),
      y0 = Math.floor(gy),
      y1 = Math.min(y0 + 1, grid.height - 1),
      ty = gy - y0
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      if (!outer[i] || inner[i] || isThin(binary.data, width, height, x, y)) continue
      const gx = Math.min(Math.max((x + 0.5) / s - 0.5, 0), grid.width - 1),
        x0 = Math.floor(gx),
        x1 = Math.min(x0 + 1, grid.width - 1),
        tx = gx - x0
      const w00 = (1 - tx) * (1 - ty),
        w01 = tx * (1 - ty),
        w10 = (1 - tx) * ty,
        w11 = tx * ty
      const j00 = y0 * grid.width + x0,
        j01 = y0 * grid.width + x1,
        j10 = y1 * grid.width + x0,
        j11 = y1 * grid.width + x1
      const at = (plane: Float32Array) => plane[j00] * w00 + plane[j01] * w01 + plane[j10] * w10 + plane[j11] * w11
      const q = (at(a0) * image.data[i * 4] + at(a1) * image.data[i * 4 + 1] + at(a2) * image.data[i * 4 + 2]) / 255 + at(b)
      out[i] = Math.round(255 * Math.min(1, Math.max(0, q)))
    }
  }
  return createMask(width, height, out)
}
