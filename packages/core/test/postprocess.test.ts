import { describe, expect, it } from 'vitest'
import { letterboxFrame, stretchFrame } from '../src/coordinates.js'
import { lowResFromMask, upscaleLowRes } from '../src/postprocess.js'
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

/** The exporters' post-processing written plainly (every pixel interpolated in float64), as a reference. */
function referenceUpscale(lowRes: Float32Array, cw: number, ch: number, width: number, height: number): Uint8Array {
  const sample = (src: ArrayLike<number>, sw: number, sh: number, sx: number, sy: number, x: number, y: number) => {
    const pos = (o: number, scale: number, n: number) => {
      const s = Math.max(0, (o + 0.5) * scale - 0.5)
      const a = Math.min(Math.floor(s), n - 1)
      return [a, Math.min(a + 1, n - 1), Math.min(s - a, 1)]
    }
    const [x0, x1, fx] = pos(x, sx, sw)
    const [y0, y1, fy] = pos(y, sy, sh)
    const top = src[y0 * sw + x0] * (1 - fx) + src[y0 * sw + x1] * fx
    const bottom = src[y1 * sw + x0] * (1 - fx) + src[y1 * sw + x1] * fx
    return top * (1 - fy) + bottom * fy
  }
  const cropped = new Float64Array(cw * ch)
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) cropped[y * cw + x] = sample(lowRes, 256, 256, 0.25, 0.25, x, y)
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = sample(cropped, cw, ch, cw / width, ch / height, x, y) > 0 ? 255 : 0
  return out
}

/** Smooth blobs (sums of Gaussians minus a level), seeded: several regions, holes and edges in every direction. */
function blobLogits(seed: number): Float32Array {
  let state = seed
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const blobs = Array.from({ length: 6 }, () => ({ x: random() * 256, y: random() * 256, r: 10 + random() * 40, w: random() * 2 - 0.6 }))
  const out = new Float32Array(256 * 256)
  for (let y = 0; y < 256; y++)
    for (let x = 0; x < 256; x++) out[y * 256 + x] = blobs.reduce((v, b) => v + b.w * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.r ** 2)), -0.1)
  return out
}

describe('upscaleLowRes against the plain post-processing', () => {
  it.each([
    [1024, 768, 1],
    [4000, 3000, 2],
    [333, 1200, 3],
    [2000, 900, 4],
    [120, 90, 5],
  ])('gives the same mask, bbox and area (%i x %i)', (width, height, seed) => {
    const lowRes = blobLogits(seed)
    const frame = letterboxFrame(width, height)
    const expected = referenceUpscale(lowRes, frame.resizedWidth, frame.resizedHeight, width, height)
    const mask = upscaleLowRes(lowRes, frame, 0.5)
    let differing = 0
    for (let i = 0; i < expected.length; i++) if (mask.data[i] !== expected[i]) differing++
    // float32 against float64 arithmetic: at most a pixel in 100,000 where a logit is within rounding of 0.
    expect(differing / expected.length).toBeLessThan(1e-5)
    expect(expected.some((v) => v === 255) && expected.some((v) => v === 0)).toBe(true)
    const { bbox, area } = createMask(width, height, mask.data)
    expect(mask.bbox).toEqual(bbox)
    expect(mask.area).toBe(area)
    expect(mask.score).toBe(0.5)
  })
})

describe('upscaleLowRes at the extremes', () => {
  it.each([
    [4000, 3000],
    [1024, 768],
  ])('fills everything for all-positive logits and nothing for all-negative ones (%i x %i)', (width, height) => {
    const frame = letterboxFrame(width, height)
    const full = upscaleLowRes(new Float32Array(256 * 256).fill(3), frame)
    expect(full.area).toBe(width * height)
    expect(full.data.every((v) => v === 255)).toBe(true)
    expect(full.bbox).toEqual({ x0: 0, y0: 0, x1: width, y1: height })
    const empty = upscaleLowRes(new Float32Array(256 * 256).fill(-3), frame)
    expect(empty.area).toBe(0)
    expect(empty.data.every((v) => v === 0)).toBe(true)
  })

  it('keeps a single positive low-res cell as a small blob at its place', () => {
    const lowRes = new Float32Array(256 * 256).fill(-1)
    lowRes[100 * 256 + 50] = 1 // model pixels 200..204 x 400..404 of a 1024-wide image
    const mask = upscaleLowRes(lowRes, letterboxFrame(1024, 1024))
    const expected = referenceUpscale(lowRes, 1024, 1024, 1024, 1024)
    expect(mask.data).toEqual(expected)
    expect(mask.area).toBeGreaterThan(0)
    expect(mask.bbox.x0).toBeGreaterThanOrEqual(198)
    expect(mask.bbox.x1).toBeLessThanOrEqual(206)
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
})

describe('lowResFromMask (a mask as a prompt.mask)', () => {
  const logit = (p: number) => Math.log(p / (1 - p))
  const clipped = (p: number) => logit(Math.min(1 - 1e-3, Math.max(1e-3, p)))
  /** A w x h mask holding `value` inside [x0, x1) x [y0, y1). */
  const rectangle = (w: number, h: number, [x0, y0, x1, y1]: number[], value = 255) =>
    createMask(
      w,
      h,
      Uint8Array.from({ length: w * h }, (_, i) => (i % w >= x0 && i % w < x1 && Math.floor(i / w) >= y0 && Math.floor(i / w) < y1 ? value : 0)),
    )

  it('gives each cell its share of the mask as a logit; the padding is background (letterbox, 1 px = 1 model px)', () => {
    // 1024 x 768 fills the model square's top 768 rows: a cell is 4 x 4 pixels, rows 192.. are padding.
    const out = lowResFromMask(rectangle(1024, 768, [10, 6, 101, 41]), letterboxFrame(1024, 768))
    const at = (row: number, col: number) => out[row * 256 + col]
    expect(at(3, 5)).toBeCloseTo(clipped(1), 5) // wholly inside
    expect(at(0, 5)).toBeCloseTo(clipped(0), 5) // rows 0-3, above y0 = 6
    expect(at(1, 5)).toBeCloseTo(clipped(0.5), 5) // rows 4-7: 6 and 7 inside
    expect(at(3, 2)).toBeCloseTo(clipped(0.5), 5) // columns 8-11: 10 and 11 inside
    expect(at(1, 2)).toBeCloseTo(clipped(0.25), 5) // both halves
    expect(at(3, 25)).toBeCloseTo(clipped(0.25), 5) // columns 100-103: 100 inside
    expect(at(10, 5)).toBeCloseTo(clipped(0.25), 5) // rows 40-43: 40 inside
    expect(at(200, 5)).toBeCloseTo(clipped(0), 5) // padding
  })

  it('counts soft values as fractions and maps stretched frames (sam2)', () => {
    // 512 x 512 stretched to the 1024 square: a cell is 2 x 2 pixels.
    const out = lowResFromMask(rectangle(512, 512, [0, 0, 3, 512], 102), stretchFrame(512, 512))
    expect(out[7 * 256]).toBeCloseTo(clipped(0.4), 5)
    expect(out[7 * 256 + 1]).toBeCloseTo(clipped(0.2), 5) // columns 2-3: one inside
    expect(out[7 * 256 + 2]).toBeCloseTo(clipped(0), 5)
  })

  it('takes the pixel under the cell centre where cells are smaller than pixels, and round-trips through upscaleLowRes', () => {
    const frame = letterboxFrame(100, 60) // scaled up 10.24x: ~2.56 cells a pixel
    const mask = rectangle(100, 60, [20, 10, 70, 45])
    const out = lowResFromMask(mask, frame)
    expect(Array.from(out).every(Number.isFinite)).toBe(true)
    const back = upscaleLowRes(out, frame)
    expect(Array.from(back.data)).toEqual(Array.from(mask.data))
  })
})
