import { describe, expect, it } from 'vitest'
import { MODEL_SIZE, normalizeToSquare, resizeToRgb } from '../src/preprocess.js'

function rgba(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]) {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y)
      data.set([r, g, b, 255], (y * width + x) * 4)
    }
  return { data, width, height }
}

describe('resizeToRgb', () => {
  it('keeps an image of the same size exactly (alpha dropped)', () => {
    const image = rgba(7, 5, (x, y) => [x * 30, y * 40, (x + y) * 10])
    const out = resizeToRgb(image, 7, 5)
    for (let i = 0; i < 35; i++) {
      expect([out.data[i * 3], out.data[i * 3 + 1], out.data[i * 3 + 2]]).toEqual([...image.data.subarray(i * 4, i * 4 + 3)])
    }
  })

  it('keeps a flat colour flat at any scale', () => {
    const image = rgba(333, 101, () => [12, 200, 77])
    for (const [w, h] of [
      [1024, 311],
      [100, 30],
      [5, 2],
    ]) {
      const out = resizeToRgb(image, w, h)
      expect(new Set(out.data.filter((_, i) => i % 3 === 0))).toEqual(new Set([12]))
      expect(new Set(out.data.filter((_, i) => i % 3 === 1))).toEqual(new Set([200]))
    }
  })

  it('halving a ramp averages with the triangle filter (PIL bilinear): sample i is 2i + 0.5', () => {
    // Red = 6 x. Output i is centred on source x = 2i + 0.5 and a linear ramp is reproduced exactly there.
    const image = rgba(40, 2, (x) => [6 * x, 0, 0])
    const out = resizeToRgb(image, 20, 1)
    for (let i = 2; i < 18; i++) expect(out.data[i * 3]).toBe(Math.round(6 * (2 * i + 0.5)))
  })

  it('antialiases when shrinking: a 1-pixel checkerboard becomes grey, not aliased stripes', () => {
    const image = rgba(400, 400, (x, y) => ((x + y) % 2 ? [255, 255, 255] : [0, 0, 0]))
    const out = resizeToRgb(image, 97, 97)
    for (let i = 0; i < out.data.length; i++) expect(Math.abs(out.data[i] - 127.5)).toBeLessThan(12)
  })
})

describe('normalizeToSquare', () => {
  it('normalises each channel and pads right and below with zeros', () => {
    const rgb = { data: Uint8Array.from([100, 150, 200, 0, 255, 50]), width: 2, height: 1 }
    const out = normalizeToSquare(rgb, [100, 100, 100], [2, 5, 10])
    const plane = MODEL_SIZE * MODEL_SIZE
    expect(out.length).toBe(3 * plane)
    expect([out[0], out[1]]).toEqual([0, -50])
    expect([out[plane], out[plane + 1]]).toEqual([10, 31])
    expect([out[2 * plane], out[2 * plane + 1]]).toEqual([10, -5])
    expect(out[2]).toBe(0)
    expect(out[MODEL_SIZE]).toBe(0)
  })
})
