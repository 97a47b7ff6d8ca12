/**
 * `npm run bench` (second part): MobileSAM's architecture (random weights) through @anymask/core in headless
 * Chromium, on WASM with 1 and 2 threads (the page cross-origin isolated), each in a fresh page: encode, decode per
 * prompt, the decoder session alone, a 120 Hz hover stream; then our decode against transformers.js on the same
 * hf-sam graphs. `tsx bench/browser.ts webgpu` runs WebGPU (the software adapter here) instead. Prints tables and
 * adds the figures to bench/results.json.
 */
import os from 'node:os'
import { chromium, type Browser } from 'playwright-core'
import { createServer } from 'vite'
import { chromiumLaunch } from '../test/support/chromium.js'
import type { Timing } from './measure.js'
import type { PageConfig, PageResult, SideBySideConfig } from './page/main.js'
import type { OverlayConfig, OverlayResult } from './page/pointerToOverlay.js'
import { saveResults } from './results.js'
import { ISOLATION } from '../test/support/staticServer.js'

const root = new URL('..', import.meta.url).pathname
const server = await createServer({
  root,
  logLevel: 'error',
  server: { port: 0, headers: ISOLATION },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
})
await server.listen()
const address = server.httpServer!.address()
const origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`
const bench = `${origin}/models/dist/bench/mobile-sam`
const model = { encoder: `${bench}/sam/encoder.onnx`, decoder: `${bench}/sam/decoder.onnx` }

const both: [number, number][] = [
  [1024, 768],
  [4000, 3000],
]
// WebGPU runs only when asked (`tsx bench/browser.ts webgpu`): on a software adapter one SAM decode takes ~20 s.
// `tsx bench/browser.ts transformers` runs the side-by-side alone.
// `tsx bench/browser.ts overlay` the pointer-to-overlay run alone.
// `tsx bench/browser.ts everything` everything mode alone (16 x 16 points, 1 and 2 threads, and the same grid one click a
// run; `--32` adds 32 x 32).
const only = process.argv[2] as 'webgpu' | 'transformers' | 'overlay' | 'everything' | undefined
const webgpu = only === 'webgpu'
const configs: { name: string; config: PageConfig }[] = webgpu
  ? [{ name: 'webgpu', config: { device: 'webgpu', runs: 2, sizes: [[1024, 768]], model, hover: false } }]
  : only === 'transformers' || only === 'overlay' || only === 'everything'
    ? []
    : [
        { name: 'wasm-1-thread', config: { device: 'wasm', threads: 1, runs: 5, sizes: both, model, hover: true } },
        { name: 'wasm-2-threads', config: { device: 'wasm', threads: 2, runs: 5, sizes: both, model, hover: true } },
      ]
const transformersOrt = `${origin}/node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist`
const sideBySideConfig: SideBySideConfig = {
  threads: 2,
  runs: 9,
  sizes: both,
  folder: `${bench}/hf-sam/`,
  ortWasm: { mjs: `${transformersOrt}/ort-wasm-simd-threaded.asyncify.mjs`, wasm: `${transformersOrt}/ort-wasm-simd-threaded.asyncify.wasm` },
}

/** Runs `fn(config)` from bench/page/main.ts in a fresh page. */
async function inPage<C, R>(browser: Browser, name: string, fn: 'anymaskBench' | 'sideBySide' | 'pointerToOverlay' | 'everythingBench', config: C): Promise<R> {
  const page = await browser.newPage()
  page.on('pageerror', (e) => console.error(`${name}: ${e.message}`))
  page.on('crash', () => console.error(`${name}: the page crashed`))
  await page.goto(`${origin}/bench/page/index.html`)
  await page.waitForFunction(() => 'anymaskBench' in window)
  console.log(`bench: ${name}...`)
  const result = await page.evaluate(([f, c]) => (window as unknown as Record<string, (c: unknown) => Promise<unknown>>)[f](c), [fn, config] as const)
  await page.close()
  return result as R
}

const browser = await chromium.launch(chromiumLaunch)
const browserVersion = browser.version()
const results: Record<string, PageResult> = {}
let sideBySide: Record<string, Timing> | undefined
let overlay: OverlayResult | undefined
const everything: Record<string, { total: number; firstBatch: number; decoder: number; outsideShare: number; masks: number; decoderOneARun?: number }> = {}
const overlayConfig: OverlayConfig = { model, threads: 2, width: 4000, height: 3000, runs: 41 }
try {
  for (const { name, config } of configs) results[name] = await inPage(browser, name, 'anymaskBench', config)
  if (!only || only === 'overlay') overlay = await inPage(browser, 'pointer to overlay (<SegmentCanvas>, WASM, 2 threads)', 'pointerToOverlay', overlayConfig)
  if (!only || only === 'everything') {
    for (const side of process.argv.includes('--32') ? [16, 32] : [16]) {
      for (const threads of [1, 2]) {
        // 16 x 16 also one click a run, for issue 15's batched cost per click (its target is set with 2 threads in Chromium).
        const config = { threads, folder: `${bench}/hf-sam/`, pointsPerSide: side, oneARun: side === 16 }
        const name = `${side}x${side} points, ${threads} thread${threads > 1 ? 's' : ''}`
        everything[name] = await inPage(browser, `everything (WASM, ${name})`, 'everythingBench', config)
      }
    }
  }
  if (!webgpu && (!only || only === 'transformers'))
    sideBySide = await inPage(browser, 'ours vs transformers.js (WASM, 2 threads)', 'sideBySide', sideBySideConfig)
} finally {
  await browser.close()
  await server.close()
}

const cell = (t: Timing | undefined) => (t ? `${t.median.toFixed(1)} (${t.min.toFixed(0)}-${t.max.toFixed(0)})` : '-')
const names = Object.keys(results)
const rowNames = [...new Set(names.flatMap((n) => Object.keys(results[n].rows)))]
const ratio = (row: string) => (results['wasm-1-thread']?.rows[row]?.median ?? NaN) / (results['wasm-2-threads']?.rows[row]?.median ?? NaN)
if (names.length) {
  console.log(
    `\nanymask browser bench: Chromium ${browserVersion}, ${os.cpus().length} x ${os.cpus()[0]?.model}, ${new Date().toISOString()}; medians in ms (min-max)`,
  )
  console.log(
    ['row'.padEnd(46), ...names.map((n) => `${n} (${results[n].device}${results[n].isolated ? ', isolated' : ''})`.padEnd(30)), '1 / 2 threads'].join(' '),
  )
  for (const row of rowNames) console.log([row.padEnd(46), ...names.map((n) => cell(results[n].rows[row]).padEnd(30)), ratio(row).toFixed(2)].join(' '))
}

// Pipeline overhead: (decode wall time - time inside the decoder session) / time inside the session, per decode row.
const overhead: Record<string, Record<string, number>> = {}
for (const n of names) {
  for (const [row, session] of Object.entries(results[n].session)) {
    const wall = results[n].rows[row].median
    ;(overhead[n] ??= {})[row] = (wall - session.median) / session.median
  }
}
if (names.length) {
  console.log(
    `\npipeline overhead: (wall - inside the decoder session) / inside the session; medians of the same calls, ms: session + post-processing (feeds, upscaling) + worker messages`,
  )
  console.log(['row'.padEnd(46), ...names.map((n) => n.padEnd(30))].join(' '))
  for (const row of Object.keys(overhead[names[0]] ?? {})) {
    const parts = (n: string) => {
      const { rows: wall, session, engine } = results[n]
      return `${session[row].median.toFixed(0)} + ${(engine[row].median - session[row].median).toFixed(0)} + ${(wall[row].median - engine[row].median).toFixed(0)}`
    }
    console.log([row.padEnd(46), ...names.map((n) => `${overhead[n][row].toFixed(3)} (${parts(n)})`.padEnd(30))].join(' '))
  }
}

// Hover: previews shown per second against what the decoder alone could do on the same previews.
const hover: Record<string, object> = {}
for (const n of names) {
  const h = results[n].hover
  const alone = results[n].session['SAM decoder preview maxSide 1024 4000x3000']?.median
  if (!h || alone === undefined) continue
  const decoderRate = 1000 / alone
  hover[n] = { ...h, decoderAlonePerSecond: decoderRate, shownOverDecoderRate: h.shownPerSecond / decoderRate, latencyOverOneDecode: h.latency.median / alone }
  console.log(
    `hover ${n} (120 Hz, 5 s, 4000x3000 at maxSide 1024): ${h.events} events, ${h.shown} shown (${h.shownPerSecond.toFixed(2)}/s = ${(h.shownPerSecond / decoderRate).toFixed(2)} x the decoder alone's ${decoderRate.toFixed(2)}/s), ` +
      `${h.dropped} dropped, at most ${h.maxQueued} queued, latency ${h.latency.median.toFixed(1)} ms median (${h.latency.min.toFixed(0)}-${h.latency.max.toFixed(0)}) = ${(h.latency.median / alone).toFixed(2)} x one decode`,
  )
}

if (overlay) {
  const ratioToDecode = overlay.pointerToOverlay.median / overlay.decode.median
  console.log(
    `\npointer to overlay (<SegmentCanvas>, 4000x3000, one move at a time, preview at maxSide 1024, WASM 2 threads): ${cell(overlay.pointerToOverlay)} ms; ` +
      `the preview decode alone ${cell(overlay.decode)} ms, ratio ${ratioToDecode.toFixed(2)} (target <= 1.15); with the outline traced in the worker ` +
      `${cell(overlay.decodeWithOutline)} ms, ratio ${(overlay.pointerToOverlay.median / overlay.decodeWithOutline.median).toFixed(2)}; move to the preview in the state ${cell(overlay.toState)} ms`,
  )
}

for (const [name, e] of Object.entries(everything)) {
  console.log(
    `everything (MobileSAM architecture, hf-sam, random weights; 1024x768, ${name}, in groups of 1, 2, 4, ... up to 64, in the worker, WASM): ` +
      `${e.total.toFixed(0)} ms, first batch ${e.firstBatch.toFixed(0)} ms, outside the decoder ${(100 * e.outsideShare).toFixed(1)} %, ${e.masks} masks` +
      (e.decoderOneARun === undefined
        ? ''
        : `; a click in the decoder batched ${(e.decoder / e.decoderOneARun).toFixed(2)} x one a run (${e.decoder.toFixed(0)} vs ${e.decoderOneARun.toFixed(0)} ms, target <= 0.7)`),
  )
}

const versus: Record<string, number> = {}
if (sideBySide) {
  console.log('\nours vs transformers.js (SamModel + SamProcessor), same hf-sam graphs and page, WASM 2 threads; ms per click, masks at the image size')
  for (const row of Object.keys(sideBySide).filter((r) => r.endsWith(': ours'))) {
    const prompt = row.slice(0, -': ours'.length)
    const ours = sideBySide[row]
    const theirs = sideBySide[`${prompt}: transformers.js`]
    versus[prompt] = ours.median / theirs.median
    console.log(`${prompt.padEnd(26)} ours ${cell(ours).padEnd(20)} transformers.js ${cell(theirs).padEnd(20)} ours / theirs ${versus[prompt].toFixed(2)}`)
  }
}

const resultsKey = {
  webgpu: 'browserWebgpu',
  transformers: 'browserTransformersJs',
  overlay: 'browserPointerToOverlay',
  everything: 'browserEverything',
} as const
saveResults(only ? resultsKey[only] : 'browser', {
  browser: `Chromium ${browserVersion}`,
  date: new Date().toISOString(),
  results,
  ratios: { wasm1ThreadOver2Threads: Object.fromEntries(rowNames.map((r) => [r, ratio(r)])) },
  pipelineOverhead: overhead,
  hover,
  ...(overlay ? { pointerToOverlay: { ...overlay, ratioToDecode: overlay.pointerToOverlay.median / overlay.decode.median } } : {}),
  ...(sideBySide ? { transformersJs: { rows: sideBySide, oursOverTheirs: versus } } : {}),
  ...(Object.keys(everything).length ? { everything } : {}),
})
