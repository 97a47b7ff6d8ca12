import { AnymaskError } from '../AnymaskError.js'
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
    throw new AnymaskError('INVALID_IMAGE', `createMask: data has ${data.length} bytes, a ${width} x ${height} mask needs ${width * height}.`)
  }
  const stats = new MaskStats(width, height)
  for (let y = 0; y < height; y++) {
    const row = y * width
    let first = -1,
      last = -1,
      count = 0
    for (let x = 0; x < width; x++) {
      if (data[row + x] !== 0) {
        if (first < 0) first = x
        last = x
        count++
      }
    }
    stats.row(y, first, last, count)
  }
  return stats.mask(data, score)
}

/** Bounding box and area of a mask, gathered row by row (the post-processing fills it as it writes, in one pass). */
export class MaskStats {
  x0: number
  y0: number
  x1 = 0
  y1 = 0
  area = 0

  constructor(
    private readonly width: number,
    private readonly height: number,
  ) {
    this.x0 = width
    this.y0 = height
  }

  /** Row `y` has `count` pixels set, the first at `first` and the last at `last` (count 0: none). */
  row(y: number, first: number, last: number, count: number): void {
    if (count === 0) return
    this.area += count
    if (first < this.x0) this.x0 = first
    if (last + 1 > this.x1) this.x1 = last + 1
    if (y < this.y0) this.y0 = y
    this.y1 = y + 1
  }

  mask(data: Uint8Array, score?: number): Mask {
    const { width, height, area } = this
    const bbox = area === 0 ? { x0: 0, y0: 0, x1: 0, y1: 0 } : { x0: this.x0, y0: this.y0, x1: this.x1, y1: this.y1 }
    return score === undefined ? { width, height, data, bbox, area } : { width, height, data, bbox, area, score }
  }
}
