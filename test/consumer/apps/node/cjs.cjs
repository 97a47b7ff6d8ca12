// node cjs.cjs <rgba file> <width> <height> <x> <y>: segments the object at (x, y) and prints what it found as JSON.
const { readFileSync } = require('node:fs')
const { createSegmenter } = require('@anymask/core')
const { cutout } = require('@anymask/edit')

async function main() {
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

  const exportNames = { core: Object.keys(require('@anymask/core')), edit: Object.keys(require('@anymask/edit')) }
  console.log(JSON.stringify({ device, threads, area: mask.area, runs, cutout: [sticker.width, sticker.height], exportNames }))
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
