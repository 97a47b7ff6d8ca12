import { describe, expect, it } from 'vitest'
import { letterboxFrame, stretchFrame } from '../src/coordinates.js'
import { maskFromLogits, upscaleLowRes } from '../src/postprocess.js'
import { createMask } from '../src/mask/createMask.js'

/** Low-res logits that are a linear function of the model x coordinate: value(u) = u + 0.5 - edge. */
function rampLogits(edge: number): Float32Array {
  const out = new Float32Array(256 * 256)
  for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) out[y * 256 + x] = x * 4 + 2 - edge
  return out
}

describe('upscaleLowRes', () => {
  // Bilinear resizes reproduce a linear function exactly away from the borders, so the mask edge is where the
  // ramp crosses 0, mapped through the frame: model u = (x + 0.5) * resizedWidth / width - 0.5.
  it.each([
    [2000, 900],
    [640, 480],
    [300, 1000],
  ])('puts the edge where the logits cross zero (%i x %i, letterbox)', (width, height) => {
    const edge = 300
    const frame = letterboxFrame(width, height)
    const mask = upscaleLowRes(rampLogits(edge), frame)
    const s = frame.resizedWidth / width
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5) * s - 0.5
      if (Math.abs(u + 0.5 - edge) < 1e-3 || u > frame.resizedWidth - 3) continue
      expect(mask.data[x], `x = ${x}`).toBe(u + 0.5 - edge > 0 ? 255 : 0)
    }
    expect(mask.width).toBe(width)
    expect(mask.height).toBe(height)
  })

  it('stretches for sam2 frames', () => {
    const frame = stretchFrame(100, 400)
    const mask = upscaleLowRes(rampLogits(512), frame)
    for (let x = 0; x < 100; x++) expect(mask.data[x]).toBe((x + 0.5) * 10.24 > 512 ? 255 : 0)
  })
})

describe('mask bounds', () => {
  it('bbox (exclusive end) and area of a known mask; empty mask', () => {
    const data = new Uint8Array(6 * 4)
    data[1 * 6 + 2] = 255
    data[2 * 6 + 4] = 255
    data[2 * 6 + 3] = 255
    expect(createMask(6, 4, data)).toMatchObject({ bbox: { x0: 2, y0: 1, x1: 5, y1: 3 }, area: 3 })
    expect(createMask(2, 2, new Uint8Array(4))).toMatchObject({ bbox: { x0: 0, y0: 0, x1: 0, y1: 0 }, area: 0 })
  })

  it('thresholds full-size logits at 0', () => {
    const mask = maskFromLogits(Float32Array.from([-1, 0, 0.5, 3]), 2, 2, 0.9)
    expect([...mask.data]).toEqual([0, 0, 255, 255])
    expect(mask.score).toBe(0.9)
  })
})
