// node esm.mjs <rgba file> <width> <height> <x> <y>: segments the object at (x, y) and prints what it found as JSON.
import { readFileSync } from 'node:fs'
import { createSegmenter } from '@anymask/core'
import { cutout } from '@anymask/edit'

const [file, width, height, x, y] = process.argv.slice(2)
const image = { data: new Uint8ClampedArray(readFileSync(file)), width: Number(width), height: Number(height) }

const segmenter = await createSegmenter() // the embedded default model, on onnxruntime-web's WASM in this process
const { device, threads } = segmenter
const session = await segmenter.encode(image)
const result = await session.decode({ points: [{ x: Number(x), y: Number(y), label: 1 }] })
const mask = result.masks[result.best]
const sticker = cutout(image, mask, { trim: true })
segmenter.dispose()

// The mask as alternating run lengths, row by row, the first of background.
const runs = []
let inside = false
let length = 0
for (const value of mask.data) {
  if (value > 127 !== inside) {
    runs.push(length)
    inside = !inside
    length = 0
  }
  length++
}
runs.push(length)

const exportNames = { core: Object.keys(await import('@anymask/core')), edit: Object.keys(await import('@anymask/edit')) }
console.log(JSON.stringify({ device, threads, area: mask.area, runs, cutout: [sticker.width, sticker.height], exportNames }))
