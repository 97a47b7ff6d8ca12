/**
 * The GrabCut photographs of ../shared/data/grabcut (test data: read in place, never copied), decoded with
 * jpeg-js and fast-png. Ground truth: 255 object, 0 background, 128 undecided (left out of every score).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { decode as decodePng } from 'fast-png'
import jpeg from 'jpeg-js'
import type { RgbaImage } from '@anymask/core'
import type { PhotoMessage } from './subjectEval.js'

export const GRABCUT_DIR = fileURLToPath(new URL('../../../shared/data/grabcut', import.meta.url))
export const hasGrabcut = () => existsSync(join(GRABCUT_DIR, 'images'))

export interface GrabcutSample {
  name: string
  image: RgbaImage
  /** 0, 128 or 255 per pixel. */
  truth: Uint8Array
}

/** The photographs' names (without extension), sorted. */
export const grabcutNames = () =>
  readdirSync(join(GRABCUT_DIR, 'images'))
    .sort()
    .map((file) => file.replace(/\.jpg$/, ''))

/** One photograph and its truth. */
export function grabcutSample(name: string): GrabcutSample {
  const decoded = jpeg.decode(readFileSync(join(GRABCUT_DIR, 'images', `${name}.jpg`)), { useTArray: true, formatAsRGBA: true })
  const png = decodePng(readFileSync(join(GRABCUT_DIR, 'masks', `${name}.png`)))
  const truth = new Uint8Array(decoded.width * decoded.height)
  for (let i = 0; i < truth.length; i++) truth[i] = png.data[i * png.channels] as number
  return { name, image: { data: decoded.data, width: decoded.width, height: decoded.height }, truth }
}

export function* grabcutSamples(): Generator<GrabcutSample> {
  for (const name of grabcutNames()) yield grabcutSample(name)
}

/** GrabCut photograph `index` for a page (vitest command or playwright binding), base64 encoded; null past the end. */
export function photoMessage(index: number): PhotoMessage | null {
  const names = grabcutNames()
  if (index >= names.length) return null
  const { name, image, truth } = grabcutSample(names[index])
  const base64 = (bytes: Uint8Array | Uint8ClampedArray) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
  return { count: names.length, name, width: image.width, height: image.height, rgba: base64(image.data), truth: base64(truth) }
}
