import { decode } from 'fast-png'
import { describe, expect, it } from 'vitest'
import { createMask, dilate, erode, type Mask, type RgbaImage } from '@anymask/core'
import { boxFilter, cutout, encodePng, estimateForeground, inpaintMask, recolor, refineEdges, replaceBackground, srgbToOklab } from '@anymask/edit'
import { iou, makeScene } from '../../../test/support/scenes.js'

function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number?]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b, a = 255] = pixel(x, y)
      data.set([r, g, b, a], (y * width + x) * 4)
    }
  return { data, width, height }
}
const maskOf = (width: number, height: number, value: (x: number, y: number) => number): Mask =>
  createMask(
    width,
    height,
    Uint8Array.from({ length: width * height }, (_, i) => value(i % width, Math.floor(i / width))),
  )

describe('boxFilter', () => {
  it('matches a brute-force mean over clipped windows', () => {
    const w = 13,
      h = 9
    const src = Float32Array.from({ length: w * h }, (_, i) => (i * 37) % 11)
    for (const r of [0, 1, 3, 20]) {
      const out = boxFilter(src, w, h, r)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          let sum = 0,
            count = 0
          for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
            for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) (sum += src[yy * w + xx]), count++
          expect(out[y * w + x]).toBeCloseTo(sum / count, 4)
        }
    }
  })
})

describe('cutout', () => {
  const photo = image(6, 4, (x, y) => [10 * x, 20 * y, 99, 200])
  const mask = maskOf(6, 4, (x, y) => (x >= 2 && x < 4 && y >= 1 && y < 3 ? 255 : x === 4 && y === 1 ? 128 : 0))

  it('keeps colours inside, makes the outside transparent, alpha = mask x image alpha', () => {
    const out = cutout(photo, mask)
    expect([...out.data.subarray((1 * 6 + 2) * 4, (1 * 6 + 2) * 4 + 4)]).toEqual([20, 20, 99, 200])
    expect([...out.data.subarray((1 * 6 + 4) * 4, (1 * 6 + 4) * 4 + 4)]).toEqual([40, 20, 99, 100])
    expect([...out.data.subarray(0, 4)]).toEqual([0, 0, 0, 0])
  })

  it('trims to the mask bounds plus padding', () => {
    const out = cutout(photo, mask, { trim: true, padding: 1 })
    expect([out.width, out.height]).toEqual([5, 4]) // bbox x 2..5, y 1..3, padded and clamped
    expect([...out.data.subarray((1 * 5 + 2) * 4, (1 * 5 + 2) * 4 + 4)]).toEqual([30, 20, 99, 200])
  })

  it('refuses a mask of another size with INVALID_IMAGE', () => {
    expect(() => cutout(photo, createMask(3, 3))).toThrow(expect.objectContaining({ code: 'INVALID_IMAGE' }))
  })
})

describe('replaceBackground', () => {
  const photo = image(4, 1, () => [200, 100, 0])
  const mask = createMask(4, 1, Uint8Array.from([255, 128, 0, 0]))

  it('composites over a colour: alpha F + (1 - alpha) B', () => {
    const out = replaceBackground(photo, mask, { color: [0, 0, 255] })
    const a = 128 / 255
    expect([...out.data.subarray(0, 12)]).toEqual([200, 100, 0, 255, Math.round(200 * a), Math.round(100 * a), Math.round(255 * (1 - a)), 255, 0, 0, 255, 255])
  })

  it('scales another image to cover or to fit inside, centred', () => {
    const bg = image(2, 1, (x) => (x === 0 ? [255, 0, 0] : [0, 255, 0]))
    const none = createMask(4, 4)
    const cover = replaceBackground(
      image(4, 4, () => [0, 0, 0]),
      none,
      { image: bg, fit: 'cover' },
    )
    // Cover: scale 4, the 2x1 image becomes 8x4 shifted 2 px left; pixel x samples source (x + 2.5) / 4 - 0.5.
    expect([...cover.data.subarray(0, 4)]).toEqual([223, 32, 0, 255]) // source 0.125: 7/8 red
    expect([...cover.data.subarray(12, 16)]).toEqual([32, 223, 0, 255]) // source 0.875: 7/8 green
    const contain = replaceBackground(
      image(4, 4, () => [0, 0, 0]),
      none,
      { image: bg, fit: 'contain' },
    )
    // Contain: scale 2, 4x2 centred vertically: rows 0 and 3 are bars (black), rows 1-2 the image.
    expect([...contain.data.subarray(0, 4)]).toEqual([0, 0, 0, 255])
    expect([...contain.data.subarray(16, 20)]).toEqual([255, 0, 0, 255])
  })

  it('blurs the photo itself for a blur background (a flat photo stays flat)', () => {
    const flat = image(20, 10, () => [50, 60, 70])
    const out = replaceBackground(flat, createMask(20, 10), { blur: 5 })
    expect(new Set(out.data)).toEqual(new Set([50, 60, 70, 255]))
  })

  it('decontaminate removes the old background from soft edges (Blur-Fusion)', () => {
    // Red subject on green, with a true soft edge: I = alpha red + (1 - alpha) green over a 20 px ramp.
    const width = 120
    const alphaAt = (x: number) => Math.min(1, Math.max(0, (70 - x) / 20))
    const photo = image(width, 4, (x) => {
      const a = alphaAt(x)
      return [Math.round(220 * a), Math.round(200 * (1 - a)), 0]
    })
    const mask = maskOf(width, 4, (x) => Math.round(255 * alphaAt(x)))
    const fg = estimateForeground(photo, mask)
    const edge = Array.from({ length: 18 }, (_, k) => 4 * width + 52 + k) // inside the ramp, alpha 0.05..0.9
    const greenLeft = edge.reduce((s, i) => s + fg[1][i % (width * 4)], 0) / edge.length
    expect(greenLeft).toBeLessThan(0.1) // the photo's own colour there is up to 0.74 green
    const plain = replaceBackground(photo, mask, { color: [0, 0, 255] })
    const clean = replaceBackground(photo, mask, { color: [0, 0, 255] }, { decontaminate: true })
    const green = (im: RgbaImage) => edge.reduce((s, i) => s + im.data[(i % (width * 4)) * 4 + 1], 0)
    expect(green(clean)).toBeLessThan(green(plain) / 4)
  })
})

describe('recolor', () => {
  const scene = makeScene(120, 90)
  const mask = createMask(
    120,
    90,
    scene.objects[0].mask.map((v) => v * 255),
  )

  it('changes hue, keeps lightness, leaves the outside bit-identical', () => {
    const out = recolor(scene, mask, { color: [30, 90, 220] })
    let dL = 0,
      n = 0,
      hueOff = 0
    const targetHue = Math.atan2(srgbToOklab(30, 90, 220)[2], srgbToOklab(30, 90, 220)[1])
    for (let i = 0; i < mask.data.length; i++) {
      const p = i * 4
      if (!mask.data[i]) {
        expect(out.data[p] === scene.data[p] && out.data[p + 1] === scene.data[p + 1] && out.data[p + 2] === scene.data[p + 2]).toBe(true)
        continue
      }
      const before = srgbToOklab(scene.data[p], scene.data[p + 1], scene.data[p + 2])
      const after = srgbToOklab(out.data[p], out.data[p + 1], out.data[p + 2])
      dL += Math.abs(after[0] - before[0])
      hueOff += Math.abs(Math.atan2(after[2], after[1]) - targetHue)
      n++
    }
    expect(dL / n).toBeLessThanOrEqual(0.01)
    expect(hueOff / n).toBeLessThan(0.05)
  })

  it('fades with a soft mask and with strength; strength 0 changes nothing', () => {
    expect([...recolor(scene, mask, { color: [0, 255, 0], strength: 0 }).data]).toEqual([...scene.data])
    const half = createMask(
      120,
      90,
      mask.data.map((v) => v >> 1),
    )
    const full = recolor(scene, mask, { color: [0, 255, 0] })
    const partial = recolor(scene, half, { color: [0, 255, 0] })
    const i = (45 * 120 + 36) * 4 // inside the disc
    expect(partial.data[i + 1]).toBeGreaterThan(scene.data[i + 1])
    expect(partial.data[i + 1]).toBeLessThan(full.data[i + 1])
  })
})

describe('inpaintMask', () => {
  it('grows the object (or, inverted, the background) by the dilation radius', () => {
    const dot = createMask(21, 21)
    dot.data[10 * 21 + 10] = 255
    const grown = inpaintMask(createMask(21, 21, dot.data), { dilate: 3 })
    expect(grown.area).toBe(29) // lattice points with x^2 + y^2 <= 9
    expect(inpaintMask(createMask(21, 21, dot.data), { dilate: 0, invert: true }).area).toBe(21 * 21 - 1)
    const soft = inpaintMask(createMask(21, 21, dot.data), { dilate: 3, feather: 2, format: 'soft' })
    expect(soft.data.some((v) => v > 0 && v < 255)).toBe(true)
  })
})

/**
 * The colour guided filter straight from He, Sun & Tang (eqs. 14-16): every window's mean, covariance and linear
 * fit computed from its pixels (float64, windows clipped at the border), then each pixel's fits averaged.
 */
function guidedFilterReference(photo: RgbaImage, p: Float64Array, r: number, eps: number): Float64Array {
  const { width: w, height: h } = photo
  const colour = (i: number) => [0, 1, 2].map((c) => photo.data[i * 4 + c] / 255)
  const solve3 = (m: number[][], v: number[]) => {
    const det = (a: number[][]) =>
      a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
    const d = det(m)
    return [0, 1, 2].map((k) => det(m.map((row, i) => row.map((x, j) => (j === k ? v[i] : x)))) / d) // Cramer's rule
  }
  const window = (x: number, y: number) => {
    const out: number[] = []
    for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
      for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) out.push(yy * w + xx)
    return out
  }
  const fits = Array.from({ length: w * h }, (_, k) => {
    const pixels = window(k % w, Math.floor(k / w))
    const mu = [0, 1, 2].map((c) => pixels.reduce((t, i) => t + colour(i)[c], 0) / pixels.length)
    const pMean = pixels.reduce((t, i) => t + p[i], 0) / pixels.length
    const sigma = [0, 1, 2].map((a) =>
      [0, 1, 2].map((b) => pixels.reduce((t, i) => t + colour(i)[a] * colour(i)[b], 0) / pixels.length - mu[a] * mu[b] + (a === b ? eps : 0)),
    )
    const cov = [0, 1, 2].map((c) => pixels.reduce((t, i) => t + colour(i)[c] * p[i], 0) / pixels.length - mu[c] * pMean)
    const a = solve3(sigma, cov)
    return { a, b: pMean - a[0] * mu[0] - a[1] * mu[1] - a[2] * mu[2] }
  })
  return Float64Array.from({ length: w * h }, (_, i) => {
    const ks = window(i % w, Math.floor(i / w)),
      I = colour(i)
    return ks.reduce((t, k) => t + fits[k].a[0] * I[0] + fits[k].a[1] * I[1] + fits[k].a[2] * I[2] + fits[k].b, 0) / ks.length
  })
}

describe('refineEdges', () => {
  it('is the guided filter (He, Sun & Tang) inside the band, and the mask elsewhere', () => {
    const scene = makeScene(64, 48)
    const mask = createMask(
      64,
      48,
      scene.objects[0].mask.map((v) => v * 255),
    )
    const reference = guidedFilterReference(
      scene,
      Float64Array.from(mask.data, (v) => v / 255),
      2,
      1e-3,
    )
    const refined = refineEdges(scene, mask, { radius: 2, epsilon: 1e-3, band: 1 })
    // The band: pixels within 1 px of the other side, none of them part of a strand under 3 px here.
    const outer = dilate(mask, 1).data,
      inner = erode(mask, 1).data
    let banded = 0
    for (let i = 0; i < 64 * 48; i++) {
      if (!outer[i] || inner[i]) expect(refined.data[i]).toBe(mask.data[i])
      else banded++, expect(Math.abs(refined.data[i] - 255 * Math.min(1, Math.max(0, reference[i])))).toBeLessThanOrEqual(1)
    }
    expect(banded).toBeGreaterThan(40)
  })

  it('with a large radius (coefficients on a coarser grid) stays close to the exact filter', () => {
    const scene = makeScene(96, 72)
    const mask = createMask(
      96,
      72,
      scene.objects[0].mask.map((v) => v * 255),
    )
    const reference = guidedFilterReference(
      scene,
      Float64Array.from(mask.data, (v) => v / 255),
      8,
      1e-3,
    )
    const refined = refineEdges(scene, mask, { radius: 8, epsilon: 1e-3, band: 4 })
    const outer = dilate(mask, 4).data,
      inner = erode(mask, 4).data
    let sum = 0,
      count = 0
    for (let i = 0; i < 96 * 72; i++) {
      if (!outer[i] || inner[i]) continue
      sum += Math.abs(refined.data[i] / 255 - Math.min(1, Math.max(0, reference[i])))
      count++
    }
    expect(count).toBeGreaterThan(200)
    // About one grey level (0.0044 here); reading the grid one cell off doubles it.
    expect(sum / count).toBeLessThan(0.006)
  })

  it('snaps a blocky coarse mask to the image edge', () => {
    const scene = makeScene(240, 180)
    const truth = scene.objects[0].mask
    // Coarse: the truth on a 12 px grid (what a low-resolution decoder gives).
    const coarse = createMask(
      240,
      180,
      Uint8Array.from(truth, (_, i) => {
        const x = i % 240,
          y = Math.floor(i / 240)
        return truth[(Math.floor(y / 12) * 12 + 6) * 240 + Math.floor(x / 12) * 12 + 6] ? 255 : 0
      }),
    )
    const refined = refineEdges(scene, coarse, { radius: 8, epsilon: 1e-3 })
    const binary = refined.data.map((v) => (v >= 128 ? 1 : 0))
    expect(iou(binary, truth)).toBeGreaterThan(iou(coarse.data, truth) + 0.02)
    expect(iou(binary, truth)).toBeGreaterThan(0.97)
  })

  it('says which option is wrong instead of filtering with it', () => {
    const photo = image(4, 4, () => [0, 0, 0])
    const mask = createMask(4, 4)
    expect(() => refineEdges(photo, mask, { radius: 0 })).toThrow('refineEdges: options.radius is 0; expected a finite number >= 1.')
    expect(() => refineEdges(photo, mask, { radius: Number.NaN })).toThrow(/options\.radius is NaN/)
    expect(() => refineEdges(photo, mask, { epsilon: 0 })).toThrow('refineEdges: options.epsilon is 0; expected a finite number > 0.')
    expect(() => refineEdges(photo, mask, { band: -1 })).toThrow('refineEdges: options.band is -1; expected a finite number >= 0.')
  })

  it('keeps a 1 px strand and a 1 px gap that the mask has, though the colours do not show them', () => {
    // Black left, white right; the mask is the white half plus a strand out into the black and a slit in the white.
    const photo = image(40, 20, (x) => (x >= 20 ? [255, 255, 255] : [0, 0, 0]))
    const mask = maskOf(40, 20, (x, y) => ((x >= 20 && !(x === 30 && y >= 5 && y <= 15)) || (y === 10 && x >= 12) ? 255 : 0))
    const refined = refineEdges(photo, mask, { radius: 2, band: 1 })
    expect([...refined.data].map((v) => (v >= 128 ? 255 : 0))).toEqual([...mask.data])
  })
})

describe('encodePng', () => {
  it('round-trips RGBA through a PNG decoder', () => {
    const photo = image(7, 5, (x, y) => [x * 30, y * 50, 77, 128 + x])
    const decoded = decode(encodePng(photo))
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([7, 5, 4])
    expect([...decoded.data]).toEqual([...photo.data])
  })
})
