import { describe, expect, it } from 'vitest'
import { createMask, fromCocoRle, toCocoRle } from '@anymask/core'
import { drawn, randomMask } from './support.js'

// Vectors worked out by hand from the COCO RLE definition (pycocotools maskApi.c rleToString): counts in
// column-major order starting with zeros; from the fourth count on, the difference to the count two before;
// each value in 5-bit groups, low first, 0x20 = more groups follow, plus 48.
describe('COCO RLE', () => {
  it('encodes known vectors', () => {
    expect(toCocoRle(drawn('.#', '##'))).toEqual({ size: [2, 2], counts: '13' }) // counts [1, 3]
    const tall = createMask(1, 38)
    tall.data[37] = 255
    expect(toCocoRle(tall).counts).toBe('U11') // [37, 1]: 37 = 5 + 1 * 32 -> 'U' (5 | 0x20), '1'
    const mixed = createMask(
      1,
      16,
      Uint8Array.from({ length: 16 }, (_, i) => ((i >= 10 && i < 12) || i === 15 ? 255 : 0)),
    )
    expect(toCocoRle(mixed, { compressed: false }).counts).toEqual([10, 2, 3, 1])
    // 10 -> ':', 2 -> '2', 3 -> '3', then 1 - 2 = -1 -> low group 31, sign carried, no more groups -> 31 + 48 = 'O'
    expect(toCocoRle(mixed).counts).toBe(':23O')
  })

  it('counts in column-major order', () => {
    expect(toCocoRle(drawn('#.', '#.'), { compressed: false }).counts).toEqual([0, 2, 2])
    expect(toCocoRle(drawn('##', '..'), { compressed: false }).counts).toEqual([0, 1, 1, 1, 1])
  })

  it('round-trips random masks, compressed and not', () => {
    for (const [w, h, seed] of [
      [17, 9, 1],
      [64, 48, 2],
      [1, 1, 3],
      [200, 3, 4],
    ]) {
      const mask = randomMask(w, h, seed, 0.3)
      expect([...fromCocoRle(toCocoRle(mask)).data]).toEqual([...mask.data])
      expect([...fromCocoRle(toCocoRle(mask, { compressed: false })).data]).toEqual([...mask.data])
    }
  })

  it('refuses counts that do not cover the size', () => {
    expect(() => fromCocoRle({ size: [2, 2], counts: [1, 2] })).toThrow(expect.objectContaining({ code: 'INVALID_IMAGE' }))
  })
})
