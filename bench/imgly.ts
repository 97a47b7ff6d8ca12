/**
 * `npm run bench` (imgly part): @anymask/imgly's selectSubject (IMG.LY's ISNet on its onnxruntime-web 1.17, WASM)
 * in headless Chromium, each model size in a fresh page: the first call (the weights' download from a local server
 * and the session start, then one run) and warm runs, at 1024x683 and 4000x3000; 2 threads (a cross-origin isolated
 * page) and 1 (a plain page: the library takes threads only when it can). Prints a table, saves the medians.
 */
import type { SubjectModel } from '@anymask/imgly'
import { IMGLY_DATA_PATH } from '../test/support/imglyData.js'
import { startPageServer } from '../test/support/pageServer.js'
import type { SpeedConfig, SpeedResult } from '../test/eval/page/subject.js'
import { summary } from './measure.js'
import { saveResults } from './results.js'

const RUNS = 3
const sizes: [number, number][] = [
  [1024, 683],
  [4000, 3000],
]
const rows: { threads: number; model: SubjectModel; size: string; cold: number; warm: number }[] = []
for (const isolated of [true, false]) {
  const server = await startPageServer({ isolated })
  try {
    for (const model of ['isnet_fp16', 'isnet_quint8'] as const)
      for (const size of sizes) {
        // A fresh page each time, so that the first call loads the weights and starts the session.
        const page = await server.open('test/eval/page/subject.html', 'subjectSpeed')
        const threads = (await page.evaluate(() => (crossOriginIsolated ? navigator.hardwareConcurrency : 1))) as number
        console.log(`bench: imgly ${model}, ${size.join('x')}, ${threads} thread(s)...`)
        const config: SpeedConfig = { publicPath: `${server.origin}${IMGLY_DATA_PATH}`, model, sizes: [size], runs: RUNS }
        const [r] = (await page.evaluate((c) => window.subjectSpeed(c), config)) as SpeedResult
        rows.push({ threads, model, size: r.size, cold: r.cold, warm: summary(r.warm).median })
        await page.close()
      }
  } finally {
    await server.close()
  }
}
console.log(`\nselectSubject (@anymask/imgly, ISNet), headless Chromium, WASM; first call (weights from a local server) and median of ${RUNS} warm, ms`)
console.log('threads  model         size        first   warm')
for (const r of rows)
  console.log(
    `${String(r.threads).padEnd(8)} ${r.model.padEnd(13)} ${r.size.padEnd(11)} ${Math.round(r.cold).toString().padStart(6)} ${Math.round(r.warm).toString().padStart(6)}`,
  )
saveResults('imgly', { date: new Date().toISOString(), runs: RUNS, rows })
