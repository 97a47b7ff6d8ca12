import { checkOptions, optionalBoolean } from '../options.js'
import { AnymaskError } from '../AnymaskError.js'
import type { Mask } from '../types.js'
import { assertMask } from './assertMask.js'
import { createMask } from './createMask.js'

/** COCO's run-length encoding: `size` is [height, width]; `counts` a compressed string (or, uncompressed, numbers). */
export interface CocoRle {
  size: [number, number]
  counts: string | number[]
}

/** Run lengths in column-major (Fortran) order, starting with a run of zeros, as COCO counts them. */
function runLengths(mask: Mask): number[] {
  const { width, height, data } = mask
  const counts: number[] = []
  let value = false
  let run = 0
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const inside = data[y * width + x] !== 0
      if (inside !== value) {
        counts.push(run)
        run = 0
        value = inside
      }
      run++
    }
  }
  counts.push(run)
  return counts
}

/** pycocotools' rleToString: each count (from the third on, less the count two before) in 5-bit groups + 48. */
function compress(counts: number[]): string {
  let s = ''
  counts.forEach((count, i) => {
    let x = i > 2 ? count - counts[i - 2] : count
    let more = true
    while (more) {
      let c = x & 0x1f
      x >>= 5
      more = c & 0x10 ? x !== -1 : x !== 0
      if (more) c |= 0x20
      s += String.fromCharCode(c + 48)
    }
  })
  return s
}

function decompress(s: string): number[] {
  const counts: number[] = []
  let p = 0
  while (p < s.length) {
    let x = 0
    let k = 0
    let more = true
    while (more) {
      if (p >= s.length) throw new AnymaskError('INVALID_IMAGE', 'fromCocoRle: the counts string ends in the middle of a number.')
      const c = s.charCodeAt(p) - 48
      x |= (c & 0x1f) << (5 * k)
      more = (c & 0x20) !== 0
      p++
      k++
      if (!more && c & 0x10) x |= -1 << (5 * k)
    }
    if (counts.length > 2) x += counts[counts.length - 2]
    counts.push(x)
  }
  return counts
}

/**
 * The mask as COCO RLE, byte-compatible with pycocotools' `mask.encode` (compressed counts string).
 *
 * @example
 * const rle = toCocoRle(mask)   // { size: [h, w], counts: '...' }, as in COCO annotation JSON
 */
export function toCocoRle(mask: Mask, options: { compressed?: boolean } = {}): CocoRle {
  assertMask(mask, 'toCocoRle')
  const compressed = optionalBoolean(checkOptions(options, 'toCocoRle').compressed, true, 'toCocoRle', 'options.compressed')
  const counts = runLengths(mask)
  return { size: [mask.height, mask.width], counts: compressed ? compress(counts) : counts }
}

/** A binary Mask from COCO RLE (compressed or uncompressed counts). */
export function fromCocoRle(rle: CocoRle): Mask {
  const [height, width] = rle?.size ?? []
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 0 || width < 0) {
    throw new AnymaskError('INVALID_IMAGE', `fromCocoRle: size must be [height, width], got ${JSON.stringify(rle?.size)}.`)
  }
  const counts = typeof rle.counts === 'string' ? decompress(rle.counts) : rle.counts
  const total = counts.reduce((a, b) => a + b, 0)
  if (total !== width * height || counts.some((c) => c < 0)) {
    throw new AnymaskError('INVALID_IMAGE', `fromCocoRle: the counts cover ${total} pixels, the size ${height} x ${width} has ${width * height}.`)
  }
  const data = new Uint8Array(width * height)
  let i = 0
  counts.forEach((count, k) => {
    if (k % 2 === 1) {
      for (let j = i; j < i + count; j++) {
        const x = Math.floor(j / height)
        data[(j - x * height) * width + x] = 255
      }
    }
    i += count
  })
  return createMask(width, height, data)
}
