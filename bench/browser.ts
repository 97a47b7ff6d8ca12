/**
 * `npm run bench` (second part): the same decoder in headless Chromium, on WASM with 1 and 2 threads (the page
 * cross-origin isolated), each in a fresh page; `tsx bench/browser.ts webgpu` runs WebGPU (the software adapter
 * here). Prints a table and writes bench/results.json (machine, date, medians, min / max, ratios).
 */
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import { chromium } from 'playwright-core'
import { createServer } from 'vite'
import { chromiumLaunch } from '../test/support/chromium.js'
import type { Timing } from './measure.js'
import type { PageConfig } from './page/main.js'

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
const root = new URL('..', import.meta.url).pathname
const server = await createServer({
  root,
  logLevel: 'error',
  server: { port: 0, headers: isolation },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
})
await server.listen()
const address = server.httpServer!.address()
const origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`

const both: [number, number][] = [[1024, 768], [4000, 3000]]
// WebGPU runs only when asked (`tsx bench/browser.ts webgpu`): on a software adapter one SAM decode takes ~20 s.
const only = process.argv[2]
const configs = ([
  { name: 'wasm-1-thread', config: { device: 'wasm', threads: 1, runs: 5, sizes: both, encoder: '', decoder: '' } },
  { name: 'wasm-2-threads', config: { device: 'wasm', threads: 2, runs: 5, sizes: both, encoder: '', decoder: '' } },
  // 1024x768 only, 2 runs.
  { name: 'webgpu', config: { device: 'webgpu', runs: 2, sizes: [[1024, 768]], encoder: '', decoder: '' } },
] satisfies { name: string; config: PageConfig }[]).filter((c) => (only ? c.name === only : c.name !== 'webgpu'))
const browser = await chromium.launch(chromiumLaunch)
const browserVersion = browser.version()
const results: Record<string, { device: string; isolated: boolean; rows: Record<string, Timing> }> = {}
try {
  for (const { name, config } of configs) {
    const page = await browser.newPage()
    page.on('pageerror', (e) => console.error(`${name}: ${e.message}`))
    page.on('crash', () => console.error(`${name}: the page crashed`))
    await page.goto(`${origin}/bench/page/index.html`)
    await page.waitForFunction(() => 'anymaskBench' in window)
    const full = { ...config, encoder: `${origin}/models/dist/anymask-lite/sam/encoder.onnx`, decoder: `${origin}/models/dist/bench/sam-decoder/sam/decoder.onnx` }
    console.log(`bench: ${name}...`)
    results[name] = await page.evaluate((c) => (window as unknown as { anymaskBench: (c: PageConfig) => Promise<(typeof results)[string]> }).anymaskBench(c), full)
    await page.close()
  }
} finally {
  await browser.close()
  await server.close()
}

const names = Object.keys(results)
const rowNames = Object.keys(results[names[0]].rows)
const ratio = (row: string) => (results['wasm-1-thread']?.rows[row]?.median ?? NaN) / (results['wasm-2-threads']?.rows[row]?.median ?? NaN)
console.log(`\nanymask browser bench: Chromium ${browserVersion}, ${os.cpus().length} x ${os.cpus()[0]?.model}, ${new Date().toISOString()}; medians in ms (min-max)`)
console.log(['row'.padEnd(44), ...names.map((n) => `${n} (${results[n].device}${results[n].isolated ? ', isolated' : ''})`.padEnd(30)), '1 / 2 threads'].join(' '))
for (const row of rowNames) {
  const cells = names.map((n) => {
    const t = results[n].rows[row]
    return (t ? `${t.median.toFixed(1)} (${t.min.toFixed(0)}-${t.max.toFixed(0)})` : '-').padEnd(30)
  })
  console.log([row.padEnd(44), ...cells, ratio(row).toFixed(2)].join(' '))
}
writeFileSync(
  new URL('results.json', import.meta.url),
  JSON.stringify(
    {
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), browser: `Chromium ${browserVersion}` },
      date: new Date().toISOString(),
      results,
      ratios: { wasm1ThreadOver2Threads: Object.fromEntries(rowNames.map((r) => [r, ratio(r)])) },
    },
    null,
    2,
  ),
)
console.log('\nbench: wrote bench/results.json')
