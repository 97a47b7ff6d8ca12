import { describe, expect, it } from 'vitest'
import { createMask, intersect, invert, subtract, union } from '@anymask/core'

const a = createMask(4, 1, Uint8Array.from([0, 255, 255, 100]))
const b = createMask(4, 1, Uint8Array.from([255, 0, 255, 200]))

describe('set operations', () => {
  it('work pixel by pixel, as fuzzy max / min on soft values', () => {
    expect([...union(a, b).data]).toEqual([255, 255, 255, 200])
    expect([...intersect(a, b).data]).toEqual([0, 0, 255, 100])
    expect([...subtract(a, b).data]).toEqual([0, 255, 0, 55])
    expect([...invert(a).data]).toEqual([255, 0, 0, 155])
    expect(union(a, b)).toMatchObject({ area: 4, bbox: { x0: 0, y0: 0, x1: 4, y1: 1 } })
  })

  it('refuse masks of different sizes with INVALID_IMAGE', () => {
    expect(() => union(a, createMask(2, 2))).toThrow(expect.objectContaining({ code: 'INVALID_IMAGE', message: expect.stringContaining('resizeMask') }))
  })
})
