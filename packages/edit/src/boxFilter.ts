import { AnymaskError, checkNumber } from '@anymask/core/mask'

/**
 * Mean over a (2r+1) x (2r+1) window of a float plane, with windows clipped at the borders (each output divides
 * by the pixels its window really covers). Running sums: the cost does not depend on r.
 */
export function boxFilter(src: Float32Array, width: number, height: number, r: number): Float32Array {
  if (!(src instanceof Float32Array)) throw new AnymaskError('INVALID_OPTION', 'boxFilter: src must be a Float32Array plane.')
  checkNumber(width, 'boxFilter', 'width', { min: 1, integer: true })
  checkNumber(height, 'boxFilter', 'height', { min: 1, integer: true })
  checkNumber(r, 'boxFilter', 'r', { min: 0 })
  if (src.length !== width * height)
    throw new AnymaskError('INVALID_OPTION', `boxFilter: src has ${src.length} values, a ${width} x ${height} plane needs ${width * height}.`)
  const tmp = new Float32Array(src.length)
  const out = new Float32Array(src.length)
  const radius = Math.max(0, Math.floor(r))
  // Horizontal sums.
  for (let y = 0; y < height; y++) {
    const row = y * width
    let sum = 0
    for (let x = 0; x < Math.min(radius, width); x++) sum += src[row + x]
    for (let x = 0; x < width; x++) {
      if (x + radius < width) sum += src[row + x + radius]
      if (x - radius - 1 >= 0) sum -= src[row + x - radius - 1]
      tmp[row + x] = sum
    }
  }
  // Vertical sums, then divide by the window's real area.
  const colSum = new Float64Array(width)
  for (let y = 0; y < Math.min(radius, height); y++) for (let x = 0; x < width; x++) colSum[x] += tmp[y * width + x]
  for (let y = 0; y < height; y++) {
    if (y + radius < height) for (let x = 0, o = (y + radius) * width; x < width; x++) colSum[x] += tmp[o + x]
    if (y - radius - 1 >= 0) for (let x = 0, o = (y - radius - 1) * width; x < width; x++) colSum[x] -= tmp[o + x]
    const rows = Math.min(height - 1, y + radius) - Math.max(0, y - radius) + 1
    for (let x = 0; x < width; x++) {
      const cols = Math.min(width - 1, x + radius) - Math.max(0, x - radius) + 1
      out[y * width + x] = colSum[x] / (rows * cols)
    }
  }
  return out
}
