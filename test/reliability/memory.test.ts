/**
 * Class 6 of the reliability issue: memory stays flat. In a separate Node process (it needs --expose-gc): 500
 * decodes, then 100 encode / dispose cycles and 20 sessions dropped without dispose(); the JS heap's objects and
 * onnxruntime's WASM memory must end within 5 % of where they were after the warm-up. Compiled code is printed, not
 * judged: V8 optimises when it has time (in CI, on a loaded machine, the heap with its code grew 5.4 %).
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import type { MemoryReading } from '../support/memoryReading.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

it('keeps the JS heap and the WASM memory flat over 500 decodes and 120 encode cycles (within 5 %)', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/reliability/memoryProbe.ts'], {
    cwd: root,
    maxBuffer: 1 << 20,
  })
  const { warm, afterDecodes, afterCycles } = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, MemoryReading>
  const growth = (after: MemoryReading, key: keyof MemoryReading) => (after[key] - warm[key]) / warm[key]
  const mb = (key: keyof MemoryReading) => [warm, afterDecodes, afterCycles].map((r) => (r[key] / 2 ** 20).toFixed(2)).join(' -> ')
  console.log(`memory (MB): heap objects ${mb('jsHeap')}, compiled code ${mb('jsCode')}, ArrayBuffers ${mb('arrayBuffers')}, WASM ${mb('wasm')}`)
  for (const after of [afterDecodes, afterCycles]) {
    expect(growth(after, 'jsHeap')).toBeLessThanOrEqual(0.05)
    expect(growth(after, 'wasm')).toBeLessThanOrEqual(0.05)
  }
  // 20 sessions were dropped without dispose(): had they kept their embeddings (4 MB each here), this would be +80 MB.
  expect(afterCycles.arrayBuffers - warm.arrayBuffers).toBeLessThan(8 * 2 ** 20)
  // 140 encodes and 690 decodes on one core: 209 s in a full run, over 300 s on a busier machine. Memory is under
  // test here, not speed.
}, 600_000)
