/**
 * `npm run bench` (first part): @anymask/core in Node on onnxruntime-web's WASM backend (anymask-lite in the `sam`
 * contract), the mask operations and the @anymask/edit helpers. Medians of repeated runs, so the figures hold on a
 * noisy machine; ratios come from the same run.
 */
import os from 'node:os'
import { createSegmenter, dilate, erode, feather, type Mask } from '../packages/core/src/index.js'
import { normalizeToSquare, resizeToRgb } from '../packages/core/src/preprocess.js'
import { letterboxFrame } from '../packages/core/src/coordinates.js'
import { cutout, encodePng, inpaintMask, recolor, refineEdges, replaceBackground } from '../packages/edit/src/index.js'
import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-web'
import { benchModelPath } from '../models/src/paths.js'
import { liteSpec } from '../test/support/liteModels.js'
import { decoderPrompts, time, timeDecode } from './measure.js'
import { saveResults } from './results.js'
import { makeScene } from '../test/support/scenes.js'

const RUNS = 9

const median = async (fn: () => unknown | Promise<unknown>, runs = RUNS) => (await time(fn, runs)).median

const segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm', cacheSize: 0 })
const rows: [string, number][] = []
for (const [width, height] of [
  [1024, 768],
  [4000, 3000],
] as const) {
  const scene = makeScene(width, height)
  const frame = letterboxFrame(width, height)
  const label = `${width}x${height}`
  const preprocess = await median(() => normalizeToSquare(resizeToRgb(scene, frame.resizedWidth, frame.resizedHeight), [0, 0, 0], [1, 1, 1]))
  // cacheSize 0: a disposed session's embeddings are dropped, so every encode runs the encoder.
  const encode = await median(async () => (await segmenter.encode(scene)).dispose())
  const session = await segmenter.encode(scene)
  const click = { points: [{ ...scene.objects[0].inside, label: 1 as const }] }
  const decode = await median(() => session.decode(click))
  const preview = width > 1024 ? await median(() => session.decode(click, { maxSide: 1024 })) : undefined
  session.dispose()
  rows.push([`preprocess ${label} (ms)`, preprocess], [`encode ${label}, preprocessing included (ms)`, encode], [`decode click ${label} (ms)`, decode])
  if (preview !== undefined) rows.push([`decode click, maxSide 1024, ${label} (ms)`, preview])
  rows.push([`preprocess / encoder-only ${label}`, preprocess / (encode - preprocess)])
}
await segmenter.dispose()

// MobileSAM as published (TinyViT encoder + SAM decoder, random weights) in the sam contract: what a real model
// costs per image and per prompt, and what our pipeline adds to the time inside the decoder session (which each
// decode reports); for comparison, the bare graph asked to upscale its masks to the image size itself.
const mobileSam = { encoder: readFileSync(benchModelPath('sam', 'encoder')), decoder: readFileSync(benchModelPath('sam', 'decoder')) }
const architecture = await createSegmenter({ model: { id: 'mobile-sam-bench', contract: 'sam', ...mobileSam }, device: 'wasm', cacheSize: 0 })
const raw = await ort.InferenceSession.create(mobileSam.decoder)
const rawFeeds = (origSize: [number, number]) => ({
  image_embeddings: new ort.Tensor('float32', new Float32Array(256 * 64 * 64), [1, 256, 64, 64]),
  point_coords: new ort.Tensor('float32', new Float32Array([300, 300, 0, 0]), [1, 2, 2]),
  point_labels: new ort.Tensor('float32', new Float32Array([1, -1]), [1, 2]),
  mask_input: new ort.Tensor('float32', new Float32Array(256 * 256), [1, 1, 256, 256]),
  has_mask_input: new ort.Tensor('float32', new Float32Array([0]), [1]),
  orig_im_size: new ort.Tensor('float32', new Float32Array(origSize), [2]),
})
for (const [width, height] of [
  [1024, 768],
  [4000, 3000],
] as const) {
  const scene = makeScene(width, height)
  const label = `${width}x${height}`
  rows.push([`MobileSAM encode ${label}, preprocessing included (ms)`, await median(async () => (await architecture.encode(scene)).dispose(), 5)])
  const session = await architecture.encode(scene)
  const prompts = decoderPrompts(scene, await session.decode({ points: [{ ...scene.objects[0].inside, label: 1 }] }))
  for (const [name, prompt] of Object.entries(prompts)) {
    const { wall, session: inside } = await timeDecode(() => session.decode(prompt), RUNS)
    rows.push([`MobileSAM decode ${name} ${label} (ms)`, wall.median])
    if (name === 'one point')
      rows.push(
        [`  one point ${label}: inside the decoder session (ms)`, inside.median],
        [`  one point ${label}: overhead (wall - session) / session`, (wall.median - inside.median) / inside.median],
      )
  }
  // Hover previews at display resolution: the post-processing works on 1024 px, not the photo's size.
  if (width > 1024) rows.push([`MobileSAM preview, maxSide 1024, ${label} (ms)`, await median(() => session.preview(prompts['one point'], { maxSide: 1024 }))])
  // For comparison: the bare graph asked for masks at the image size (its own upscaling, 4 masks).
  rows.push([`decoder session alone, masks at ${label} (ms)`, await median(() => raw.run(rawFeeds([height, width])))])
  session.dispose()
}
await raw.release()
await architecture.dispose()

// Mask operations on a 12-megapixel mask: their cost must not grow with the radius.
const big = makeScene(4000, 3000)
const disc: Mask = { width: 4000, height: 3000, data: big.objects[0].mask.map((v) => v * 255), bbox: big.objects[0].box, area: 0 }
for (const [name, op] of [
  ['dilate', dilate],
  ['erode', erode],
  ['feather', feather],
] as const) {
  const small = await median(() => op(disc, 4))
  const large = await median(() => op(disc, 64))
  rows.push([`${name} 4000x3000 r=4 (ms)`, small], [`${name} 4000x3000 r=64 (ms)`, large], [`${name} r=64 / r=4`, large / small])
}

// @anymask/edit helpers on the same 12-megapixel scene (median of 3: the heavy ones take seconds).
const softDisc = feather(disc, 3)
const edits: [string, () => unknown][] = [
  ['cutout', () => cutout(big, disc)],
  ['cutout feather 3 + trim', () => cutout(big, disc, { feather: 3, trim: true, padding: 8 })],
  ['replaceBackground colour', () => replaceBackground(big, softDisc, { color: [255, 255, 255] })],
  ['replaceBackground blur 12', () => replaceBackground(big, softDisc, { blur: 12 })],
  ['replaceBackground decontaminate', () => replaceBackground(big, softDisc, { color: [0, 255, 0] }, { decontaminate: true })],
  ['recolor', () => recolor(big, disc, { color: [40, 90, 220] })],
  ['inpaintMask dilate 12', () => inpaintMask(disc, { dilate: 12 })],
  ['refineEdges r=4 band 2', () => refineEdges(big, disc, { radius: 4, band: 2 })],
  ['refineEdges defaults (r=16 band 8)', () => refineEdges(big, disc)],
  ['encodePng', () => encodePng(cutout(big, disc, { trim: true }))],
]
for (const [name, run] of edits) rows.push([`${name} 4000x3000 (ms)`, await median(run, 3)])

console.log(`anymask core bench: ${os.cpus().length} x ${os.cpus()[0]?.model}, Node ${process.version}, ${new Date().toISOString()}, median of ${RUNS}`)
for (const [name, value] of rows) console.log(`${name.padEnd(52)} ${value.toFixed(name.includes('/') ? 2 : 1)}`)
saveResults('node', { date: new Date().toISOString(), runs: RUNS, medians: Object.fromEntries(rows) })
