import { describe, expect, it } from 'vitest'
import { createMask, dilate, erode, feather, type Mask } from '@anymask/core'
import { randomMask } from './support.js'

/** Brute force: does any pixel where `pick` holds lie within `r` of (x, y)? */
function anyWithin(mask: Mask, x: number, y: number, r: number, pick: (v: number) => boolean): boolean {
  const R = Math.ceil(r)
  for (let dy = -R; dy <= R; dy++)
    for (let dx = -R; dx <= R; dx++) {
      const nx = x + dx
      const ny = y + dy
      if (nx < 0 || ny < 0 || nx >= mask.width || ny >= mask.height || dx * dx + dy * dy > r * r) continue
      if (pick(mask.data[ny * mask.width + nx])) return true
    }
  return false
}

describe('dilate and erode', () => {
  it.each([0, 1, 2.5, 7, 12])('dilate a single pixel by %s gives the disc of that radius', (r) => {
    const mask = createMask(41, 41)
    mask.data[20 * 41 + 20] = 255
    const out = dilate(createMask(41, 41, mask.data), r)
    let disc = 0
    for (let dy = -20; dy <= 20; dy++) for (let dx = -20; dx <= 20; dx++) if (dx * dx + dy * dy <= r * r) disc++
    expect(out.area).toBe(disc)
  })

  it.each([1, 3.2, 6])('match brute force on a random mask (radius %s)', (r) => {
    const mask = randomMask(40, 30, 7, 0.08)
    const grown = dilate(mask, r)
    const shrunk = erode(mask, r)
    for (let y = 0; y < 30; y++)
      for (let x = 0; x < 40; x++) {
        const i = y * 40 + x
        expect(grown.data[i] !== 0, `dilate ${x},${y}`).toBe(anyWithin(mask, x, y, r, (v) => v !== 0))
        expect(shrunk.data[i] !== 0, `erode ${x},${y}`).toBe(mask.data[i] !== 0 && !anyWithin(mask, x, y, r, (v) => v === 0))
      }
  })

  it('erode keeps a mask that touches the border touching it, and an empty or full mask as it is', () => {
    const full = createMask(5, 5, new Uint8Array(25).fill(255))
    expect(erode(full, 2).area).toBe(25)
    expect(dilate(createMask(5, 5), 3).area).toBe(0)
  })

  it('refuse a negative or non-finite radius', () => {
    expect(() => dilate(createMask(2, 2), -1)).toThrow(/radius/)
    expect(() => feather(createMask(2, 2), Number.NaN)).toThrow(/radius/)
  })
})

describe('feather', () => {
  // Left half inside (x < 20): the edge is the line x = 20; a pixel centre is at x + 0.5.
  const half = createMask(
    40,
    3,
    Uint8Array.from({ length: 120 }, (_, i) => (i % 40 < 20 ? 255 : 0)),
  )

  it.each([1, 4, 9])('ramps linearly over %s px each side of the edge', (r) => {
    const soft = feather(half, r)
    for (let x = 0; x < 40; x++) {
      const signed = 20 - (x + 0.5)
      const expected = Math.round(255 * Math.min(1, Math.max(0, 0.5 + signed / (2 * r))))
      expect(soft.data[40 + x], `x = ${x}`).toBe(expected)
    }
  })

  it('with radius 0 is a binary copy', () => {
    expect([...feather(half, 0).data]).toEqual([...half.data])
  })
})
