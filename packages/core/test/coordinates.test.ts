import { describe, expect, it } from 'vitest'
import { letterboxFrame, modelPromptPoints, stretchFrame, toModelPoint } from '../src/coordinates.js'

describe('model frames', () => {
  it.each([
    [1000, 333, 1024, 341], // 333 * 1.024 = 340.99
    [333, 1000, 341, 1024],
    [64, 48, 1024, 768],
    [4000, 3000, 1024, 768],
    [1024, 1024, 1024, 1024],
  ])('letterbox %i x %i -> %i x %i', (w, h, rw, rh) => {
    expect(letterboxFrame(w, h)).toEqual({ width: w, height: h, resizedWidth: rw, resizedHeight: rh })
  })

  it('maps image pixels to model pixels', () => {
    expect(toModelPoint(letterboxFrame(2000, 1000), { x: 500, y: 250 })).toEqual([256, 128])
    expect(toModelPoint(stretchFrame(2000, 1000), { x: 500, y: 250 })).toEqual([256, 256])
  })

  it('encodes a box as two corner points labelled 2 and 3 after the points', () => {
    const { coords, labels } = modelPromptPoints(letterboxFrame(512, 256), [{ x: 10, y: 20, label: 0 }], {
      x0: 1,
      y0: 2,
      x1: 3,
      y1: 4,
    })
    expect(coords).toEqual([20, 40, 2, 4, 6, 8])
    expect(labels).toEqual([0, 2, 3])
  })
})
