/**
 * Time to ready in a production build: the Vite + React 19 consumer app (test/consumer/apps/vite-react19) built from
 * the packed packages, served with COOP/COEP and hashed assets cached as hosts cache them, opened in Chromium (WASM,
 * no WebGPU adapter) until <SegmentCanvas> says ready. Cold: a fresh browser profile, nothing cached. Warm: the same
 * profile's second visit (HTTP cache, Cache Storage, compiled code). Also the sizes a visitor downloads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { tmpdir } from 'node:os'
import { chromiumWithoutWebGpu } from '../test/support/chromium.js'
import { ISOLATION, serveFolder } from '../test/support/staticServer.js'
import { summary } from './measure.js'
import { saveResults } from './results.js'

// Its own install folder, so that a test run beside it does not repack under it.
process.env.ANYMASK_CONSUMER_DIR ??= join(tmpdir(), 'anymask-bench')
const { installApp, packPackages, run, writeScene } = await import('../test/consumer/harness.js')

const RUNS = 7

packPackages()
const app = installApp('vite-react19')
writeScene(join(app, 'public'))
run('npm', ['run', 'build'], app)

// What the build emits, by kind: gzip is what a host with compression sends.
const assets = join(app, 'dist', 'assets')
const kinds = {
  'app JS (entry, React, @anymask/*)': /^index-.*\.js$/,
  'embedded model chunk': /^liteModel.*\.js$/,
  worker: /^worker-.*\.js$/,
  'onnxruntime-web JS (worker: false only)': /^ort\.bundle.*\.js$/,
  'onnxruntime-web WASM': /\.wasm$/,
}
const sizes = Object.fromEntries(
  Object.entries(kinds).map(([kind, pattern]) => {
    const files = readdirSync(assets).filter((f) => pattern.test(f))
    const bytes = files.reduce((n, f) => n + statSync(join(assets, f)).size, 0)
    const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(join(assets, f))).length, 0)
    return [kind, { files, kB: Math.round(bytes / 1000), gzipKB: Math.round(gzip / 1000) }]
  }),
)
console.table(Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, { kB: v.kB, 'gzip kB': v.gzipKB }])))

const server = await serveFolder(join(app, 'dist'), { index: true, headers: ISOLATION, immutable: '/assets/' })
const browser = await chromium.launch(chromiumWithoutWebGpu)

/** Milliseconds from navigation start to data-state="ready", measured by the page's own clock. */
async function visit(page: import('playwright-core').Page): Promise<number> {
  await page.goto(server.url)
  await page.waitForFunction(() => document.querySelector<HTMLElement>('.anymask-root')?.dataset.state === 'ready', undefined, {
    timeout: 120_000,
    polling: 10,
  })
  return page.evaluate(() => performance.now())
}

const cold: number[] = []
const warm: number[] = []
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext() // a fresh profile: empty HTTP cache and Cache Storage
  const page = await context.newPage()
  cold.push(await visit(page))
  warm.push(await visit(page))
  await context.close()
}
await browser.close()
await server.close()

const result = { runs: RUNS, coldMs: summary(cold), warmMs: summary(warm), sizes }
console.log(`time to ready, median of ${RUNS}: cold ${result.coldMs.median.toFixed(0)} ms, warm ${result.warmMs.median.toFixed(0)} ms`)
saveResults('timeToReady', result)
