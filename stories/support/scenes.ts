/** The synthetic scenes of the tests, as pixels for stories: objects whose exact masks are known. */
import type { RgbaImage } from '@anymask/core'
import { makeScene, type Scene } from '../../test/support/scenes.js'

const cache = new Map<string, Scene>()

/** The scene of a size, made once (the 12-megapixel one takes a moment). */
export function scene(width: number, height: number): Scene {
  const key = `${width}x${height}`
  let made = cache.get(key)
  if (!made) cache.set(key, (made = makeScene(width, height)))
  return made
}

/** A second picture for backgrounds: a sunset gradient with soft stripes. */
export function backdrop(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4
      const t = y / height
      const stripe = 0.5 + 0.5 * Math.sin((x + y) / 9)
      data[p] = 250 - 90 * t
      data[p + 1] = 120 + 60 * t + 20 * stripe
      data[p + 2] = 60 + 170 * t
      data[p + 3] = 255
    }
  return { data, width, height }
}
