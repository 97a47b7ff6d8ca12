import type { Mask } from '../types.js'

/**
 * A Mask of `data` (one byte a pixel, 0..255), with its bounding box and area (non-zero pixels) filled in.
 *
 * @example
 * const empty = createMask(640, 480)
 * const mask = createMask(2, 2, Uint8Array.from([0, 255, 255, 0]))   // area 2, bbox { x0: 0, y0: 0, x1: 2, y1: 2 }
 */
export function createMask(width: number, height: number, data: Uint8Array = new Uint8Array(width * height), score?: number): Mask {
  if (data.length !== width * height) {
    throw new RangeError(`createMask: data has ${data.length} bytes, a ${width} x ${height} mask needs ${width * height}.`)
  }
  let x0 = width, y0 = height, x1 = 0, y1 = 0, area = 0
  for (let y = 0; y < height; y++) {
    const row = y * width
    let first = -1, last = -1
    for (let x = 0; x < width; x++) {
      if (data[row + x] !== 0) {
        if (first < 0) first = x
        last = x
        area++
      }
    }
    if (first >= 0) {
      if (first < x0) x0 = first
      if (last + 1 > x1) x1 = last + 1
      if (y < y0) y0 = y
      y1 = y + 1
    }
  }
  const bbox = area === 0 ? { x0: 0, y0: 0, x1: 0, y1: 0 } : { x0, y0, x1, y1 }
  return score === undefined ? { width, height, data, bbox, area } : { width, height, data, bbox, area, score }
}
