/**
 * Run by memory.test.ts as `node --expose-gc --import tsx test/reliability/memoryProbe.ts`: the embedded default
 * model in Node, 500 decodes on one image, then 100 encode / dispose cycles of different images (and 20 sessions
 * dropped without dispose), with readings after a warm-up and after each phase. Prints one JSON line.
 */
import { memoryReading } from '../support/memoryReading.js'
import { createSegmenter } from '../../packages/core/src/index.js'
import { makeScene } from '../support/scenes.js'

const segmenter = await createSegmenter({ device: 'wasm' })
const scene = makeScene(640, 480)
const click = (i: number) => ({ points: [{ x: scene.objects[0].inside.x + (i % 9), y: scene.objects[0].inside.y, label: 1 as const }] })

async function cycle(i: number, dispose = true) {
  const session = await segmenter.encode(makeScene(400 + (i % 50) * 4, 300 + (i % 7) * 4))
  await session.decode(click(i))
  if (dispose) session.dispose()
}

// Warm-up: onnxruntime's arenas reach their working size, the embedding cache (4 by default) fills up, and every
// path measured below has run often enough for V8 to have compiled it (its bytecode and type feedback are objects on
// the heap: after 50 decodes they grew by 76 kB over the next 250, then by -3 to 45 kB for each 250 more).
const session = await segmenter.encode(scene)
for (let i = 0; i < 250; i++) await session.decode(click(i))
for (let i = 0; i < 20; i++) await cycle(1000 + i)
for (let i = 0; i < 5; i++) await cycle(3000 + i, false)
const warm = await memoryReading()

for (let i = 0; i < 500; i++) await session.decode(click(i))
const afterDecodes = await memoryReading()

for (let i = 0; i < 100; i++) await cycle(i)
// Sessions dropped without dispose(): their embeddings go back when they are collected.
for (let i = 0; i < 20; i++) await cycle(2000 + i, false)
const afterCycles = await memoryReading()

session.dispose()
await segmenter.dispose()
console.log(JSON.stringify({ warm, afterDecodes, afterCycles }))
