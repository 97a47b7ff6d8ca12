import type { Mask, RgbaImage } from '@anymask/core'

export type Rgb = [number, number, number]
type Lab = [number, number, number]

/** At most this many pixels are read for an object's colour: its cost does not grow with the image. */
const SAMPLES = 4096

/** The mean colour of `image` under `mask` (sampled on a grid; the mask may be smaller than the image), or null if empty. */
export function meanColorUnder(image: RgbaImage, mask: Mask): Rgb | null {
  const { bbox } = mask
  const step = Math.max(1, Math.round(Math.sqrt(((bbox.x1 - bbox.x0) * (bbox.y1 - bbox.y0)) / SAMPLES)))
  const sx = image.width / mask.width
  const sy = image.height / mask.height
  const sum: Rgb = [0, 0, 0]
  let n = 0
  for (let y = Math.floor(bbox.y0); y < Math.min(mask.height, Math.ceil(bbox.y1)); y += step) {
    for (let x = Math.floor(bbox.x0); x < Math.min(mask.width, Math.ceil(bbox.x1)); x += step) {
      if (!mask.data[y * mask.width + x]) continue
      const i = (Math.floor((y + 0.5) * sy) * image.width + Math.floor((x + 0.5) * sx)) * 4
      sum[0] += image.data[i]
      sum[1] += image.data[i + 1]
      sum[2] += image.data[i + 2]
      n++
    }
  }
  return n ? [sum[0] / n, sum[1] / n, sum[2] / n] : null
}

/**
 * `color`, or where it is within `minDistance` of `under` (CIE76 colour difference: about 2.3 is just noticeable;
 * a 45% fill shows about half of it) the same hue made light on a dark object or dark on a light one, so that a blue
 * selection on a blue object stays visible and still reads as its layer's colour.
 */
export function contrastingColor(color: Rgb, under: Rgb, minDistance: number): Rgb {
  const c = toLab(color)
  const u = toLab(under)
  if (Math.hypot(c[0] - u[0], c[1] - u[1], c[2] - u[2]) >= minDistance) return color
  return fromLab([u[0] < 55 ? 85 : 20, c[1], c[2]])
}

// sRGB (D65) to CIE L*a*b* and back, as the CSS Color 4 specification defines them.
const linear = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
const gamma = (v: number) => 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055)
const WHITE = [0.95047, 1, 1.08883]
const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116)
const fInverse = (t: number) => (t ** 3 > 216 / 24389 ? t ** 3 : (116 * t - 16) / (24389 / 27))

function toLab([r, g, b]: Rgb): Lab {
  const [lr, lg, lb] = [linear(r), linear(g), linear(b)]
  const x = f((0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / WHITE[0])
  const y = f(0.2126 * lr + 0.7152 * lg + 0.0722 * lb)
  const z = f((0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / WHITE[2])
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)]
}

function fromLab([l, a, b]: Lab): Rgb {
  const y = (l + 16) / 116
  const [x, z] = [WHITE[0] * fInverse(y + a / 500), WHITE[2] * fInverse(y - b / 200)]
  const yy = fInverse(y)
  const rgb = [3.2406 * x - 1.5372 * yy - 0.4986 * z, -0.9689 * x + 1.8758 * yy + 0.0415 * z, 0.0557 * x - 0.204 * yy + 1.057 * z]
  return rgb.map((v) => Math.round(Math.min(255, Math.max(0, gamma(Math.min(1, Math.max(0, v))))))) as Rgb
}
