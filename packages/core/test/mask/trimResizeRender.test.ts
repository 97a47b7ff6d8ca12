import { describe, expect, it } from 'vitest'
import { createMask, maskToRgba, resizeMask, trimMask } from '@anymask/core'
import { drawn, rows } from './support.js'

describe('trimMask', () => {
  it('crops to the bounding box plus padding, clamped to the image', () => {
    const m = drawn('......', '..#...', '...#..', '......')
    const { mask, box } = trimMask(m, 1)
    expect(box).toEqual({ x0: 1, y0: 0, x1: 5, y1: 4 })
    expect(rows(mask)).toEqual(['....', '.#..', '..#.', '....'])
    expect(trimMask(m).box).toEqual({ x0: 2, y0: 1, x1: 4, y1: 3 })
    expect(trimMask(createMask(3, 3)).mask).toMatchObject({ width: 0, height: 0, area: 0 })
  })
})

describe('resizeMask', () => {
  it('doubles a binary block exactly and keeps it binary', () => {
    const data = new Uint8Array(16 * 16)
    for (let y = 4; y < 8; y++) for (let x = 4; x < 8; x++) data[y * 16 + x] = 255
    const big = resizeMask(createMask(16, 16, data), 32, 32)
    expect(big.bbox).toEqual({ x0: 8, y0: 8, x1: 16, y1: 16 })
    expect(big.area).toBe(64)
    expect(big.data.every((v) => v === 0 || v === 255)).toBe(true)
  })

  it('keeps the shades of a soft mask', () => {
    const soft = resizeMask(createMask(2, 1, Uint8Array.from([0, 200])), 4, 1)
    expect([...soft.data]).toEqual([0, 50, 150, 200])
  })
})

describe('maskToRgba', () => {
  it('is a colour with the mask (times opacity) as alpha', () => {
    const rgba = maskToRgba(createMask(2, 1, Uint8Array.from([255, 100])), { color: [10, 20, 30], opacity: 0.5 })
    expect([...rgba]).toEqual([10, 20, 30, 128, 10, 20, 30, 50])
    expect([...maskToRgba(createMask(1, 1, Uint8Array.from([77])))]).toEqual([255, 255, 255, 77])
  })

  it('with outlineOpacity, the edge pixels (a 4-neighbour or the border outside) take it, the interior keeps the fill', () => {
    // A 5 x 5 square in a 7 x 7 mask: its 16 rim pixels are the edge, its 9 inner ones the fill.
    const data = new Uint8Array(49)
    for (let y = 1; y < 6; y++) for (let x = 1; x < 6; x++) data[y * 7 + x] = 255
    const alpha = [...maskToRgba(createMask(7, 7, data), { opacity: 0.2, outlineOpacity: 1 })].filter((_, i) => i % 4 === 3)
    const expected = data.map((v, i) => {
      const [x, y] = [i % 7, Math.floor(i / 7)]
      return v === 0 ? 0 : x === 1 || x === 5 || y === 1 || y === 5 ? 255 : 51
    })
    expect(alpha).toEqual([...expected])
    // At the image's border the mask ends too; a pixel below 128 is never edge.
    expect([...maskToRgba(createMask(3, 1, Uint8Array.from([255, 255, 100])), { opacity: 1, outlineOpacity: 0.5 })].filter((_, i) => i % 4 === 3)).toEqual([
      128, 128, 100,
    ])
  })

  it('refuses an option it does not know, naming the ones it does', () => {
    expect(() => maskToRgba(createMask(1, 1), { outline: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('outlineOpacity') }),
    )
  })
})
