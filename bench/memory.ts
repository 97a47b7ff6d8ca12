/**
 * `npm run bench` (memory): MobileSAM's architecture through @anymask/core in Node, 50 encodes of different images
 * and 200 decodes (four prompts each), default settings (embedding cache included). Compares the JS heap, the
 * ArrayBuffers outside it, onnxruntime's WASM memory and the process's resident memory after a warm-up and after
 * the run, each after a full garbage collection. Run with --expose-gc (the bench script does).
 */
import { readFileSync } from 'node:fs'
import { createSegmenter } from '../packages/core/src/index.js'
import { benchModelPath } from '../models/src/paths.js'
import { makeScene } from '../test/support/scenes.js'
import { decoderPrompts } from './measure.js'
import { saveResults } from './results.js'
import { memoryReading as reading } from '../test/support/memoryReading.js'

const ENCODES = 50
const model = {
  id: 'mobile-sam-bench',
  contract: 'sam' as const,
  encoder: readFileSync(benchModelPath('sam', 'encoder')),
  decoder: readFileSync(benchModelPath('sam', 'decoder')),
}
const segmenter = await createSegmenter({ model, device: 'wasm' })

/** Encodes image `i` (each a different size, so a different picture) and decodes its four prompts. */
async function encodeAndDecode(i: number): Promise<number> {
  const scene = makeScene(800 + 16 * i, 600 + 12 * i)
  const session = await segmenter.encode(scene)
  const prompts = decoderPrompts(scene, await session.decode({ points: [{ ...scene.objects[0].inside, label: 1 }] }))
  for (const prompt of Object.values(prompts).slice(1)) await session.decode(prompt)
  session.dispose()
  return 1 + Object.values(prompts).length - 1
}

// Warm-up: the runtime's arenas reach their working size and the embedding cache (4 by default) fills up.
for (let i = 0; i < 6; i++) await encodeAndDecode(-i - 1)
const before = await reading()
let decodes = 0
const start = performance.now()
for (let i = 0; i < ENCODES; i++) decodes += await encodeAndDecode(i)
const seconds = (performance.now() - start) / 1000
const after = await reading()
await segmenter.dispose()

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`
const growth = Object.fromEntries(
  Object.keys(before).map((k) => [k, (after[k as keyof typeof after] - before[k as keyof typeof before]) / before[k as keyof typeof before]]),
)
console.log(
  `\nanymask memory bench: ${ENCODES} encodes + ${decodes} decodes of different images in ${seconds.toFixed(0)} s (MobileSAM architecture, Node WASM)`,
)
for (const key of Object.keys(before) as (keyof typeof before)[]) {
  console.log(`${key.padEnd(14)} ${mb(before[key]).padStart(10)} -> ${mb(after[key]).padStart(10)}  growth ${(100 * growth[key]).toFixed(2)} %`)
}
saveResults('memory', { date: new Date().toISOString(), encodes: ENCODES, decodes, before, after, growth })
