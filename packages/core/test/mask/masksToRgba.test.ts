import { describe, expect, it } from 'vitest'
import { createMask, masksToRgba } from '@anymask/core'

/** A 4 x 1 mask with the given pixels set. */
const row = (...on: number[]) =>
  createMask(
    4,
    1,
    Uint8Array.from([0, 1, 2, 3], (x) => (on.includes(x) ? 255 : 0)),
  )

describe('masksToRgba', () => {
  it('paints each mask in its colour, the larger under the smaller, colours in turn', () => {
    const rgba = masksToRgba([row(1), row(0, 1, 2), row(3)], {
      colors: [
        [255, 0, 0],
        [0, 255, 0],
      ],
      opacity: 1,
    })
    // Pixel 0: only the large (green) one; 1: the small red one over it; 2: green; 3: the third mask, red again.
    expect([...rgba]).toEqual([0, 255, 0, 255, 255, 0, 0, 255, 0, 255, 0, 255, 255, 0, 0, 255])
    expect([...masksToRgba([row(2)], { colors: [[1, 2, 3]] })].slice(8, 12)).toEqual([1, 2, 3, 128]) // default opacity 0.5
  })

  it('refuses masks of different sizes, no colours and bad colours', () => {
    expect(() => masksToRgba([row(1), createMask(2, 2)], { colors: [[0, 0, 0]] })).toThrow(/masks of one size/)
    expect(() => masksToRgba([row(1)], { colors: [] })).toThrow(/options\.colors/)
    expect(() => masksToRgba([row(1)], { colors: [[0, 0, 300]] })).toThrow(/options\.colors\[0\]/)
  })
})
