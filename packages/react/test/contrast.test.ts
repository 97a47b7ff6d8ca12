import { describe, expect, it } from 'vitest'
import type { Mask } from '@anymask/core'
import { contrastingColor, meanColorUnder, type Rgb } from '../src/contrast.js'

/** A 40x20 picture: its left half (10, 20, 30), its right half (200, 100, 50). */
const image = { width: 40, height: 20, data: new Uint8ClampedArray(40 * 20 * 4) }
for (let i = 0; i < 40 * 20; i++) image.data.set(i % 40 < 20 ? [10, 20, 30, 255] : [200, 100, 50, 255], i * 4)

/** A mask at half the picture's size, set where `inside(x, y)`. */
function mask(inside: (x: number, y: number) => boolean): Mask {
  const data = Uint8Array.from({ length: 20 * 10 }, (_, i) => (inside(i % 20, Math.floor(i / 20)) ? 1 : 0))
  return { width: 20, height: 10, data, bbox: { x0: 0, y0: 0, x1: 20, y1: 10 }, area: data.reduce((n, v) => n + v, 0) }
}

const distance = (a: Rgb, b: Rgb) => Math.max(...a.map((v, k) => Math.abs(v - b[k])))

const rightHalf = mask((x) => x >= 10)
const everywhere = mask(() => true)
const nowhere = mask(() => false)
const blue: Rgb = [59, 130, 246] // the first layer's colour
const darkBlue: Rgb = [40, 70, 200]
const lightBlue: Rgb = [100, 160, 250]

describe('meanColorUnder', () => {
  it('reads the picture under the mask, scaled from the mask to the picture', () => {
    expect(meanColorUnder(image, rightHalf)).toEqual([200, 100, 50])
    expect(meanColorUnder(image, everywhere)).toEqual([105, 60, 40])
    expect(meanColorUnder(image, nowhere)).toBeNull()
  })
})

describe('contrastingColor', () => {
  it('keeps a colour that stands out from its object, the same array', () => {
    expect(contrastingColor(blue, [205, 45, 50], 35)).toBe(blue)
  })

  it('shades a colour like its object lighter on a dark object and darker on a light one, keeping its hue', () => {
    for (const object of [darkBlue, lightBlue]) {
      const shaded = contrastingColor(blue, object, 35)
      expect(distance(shaded, object)).toBeGreaterThan(distance(blue, object) + 30)
      expect(Math.max(...shaded)).toBe(shaded[2]) // still blue
    }
    const sum = (c: Rgb) => c[0] + c[1] + c[2]
    expect(sum(contrastingColor(blue, darkBlue, 35))).toBeGreaterThan(sum(blue))
    expect(sum(contrastingColor(blue, lightBlue, 35))).toBeLessThan(sum(blue))
  })

  it('turns a white preview dark on a white object, and a limit of 0 never shades', () => {
    const white: Rgb = [255, 255, 255]
    expect(Math.max(...contrastingColor(white, [240, 240, 240], 35))).toBeLessThan(100)
    expect(contrastingColor(white, [240, 240, 240], 0)).toBe(white)
  })
})
