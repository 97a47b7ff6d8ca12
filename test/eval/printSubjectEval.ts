/**
 * `npm run eval:subject [isnet_fp16|isnet_quint8]`: @anymask/imgly on the GrabCut photographs of ../shared/data, in
 * headless Chromium (cross-origin isolated, WASM threads): per photo and as means, the IoU and boundary F (2 px) of
 * the subject mask at alpha 0.5, after refineEdges, and after subject-then-SAM with anymask-lite.
 */
import type { SubjectModel } from '@anymask/imgly'
import { IMGLY_DATA_PATH } from '../support/imglyData.js'
import { startPageServer } from '../support/pageServer.js'
import { grabcutNames, grabcutSample, hasGrabcut } from './grabcut.js'
import { meanFigures, type SubjectFigures } from './subjectEval.js'

if (!hasGrabcut()) {
  console.log('eval:subject: ../shared/data/grabcut is absent; nothing to evaluate.')
  process.exit(0)
}
const model = (process.argv[2] ?? 'isnet_fp16') as SubjectModel
const names = grabcutNames()
const base64 = (bytes: Uint8Array | Uint8ClampedArray) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

const server = await startPageServer({ isolated: true })
try {
  const page = await server.open('test/eval/page/subject.html', 'subjectEval')
  await page.exposeFunction('grabcutPhoto', (index: number) => {
    if (index >= names.length) return null
    const { name, image, truth } = grabcutSample(names[index])
    return { count: names.length, name, width: image.width, height: image.height, rgba: base64(image.data), truth: base64(truth) }
  })
  const publicPath = `${server.origin}${IMGLY_DATA_PATH}`
  const rows = (await page.evaluate((config) => window.subjectEval(config), { publicPath, model })) as SubjectFigures[]
  const f = (x: number) => x.toFixed(3)
  console.log(`eval:subject: ${model}, ${rows.length} GrabCut photographs, headless Chromium ${server.browser.version()}, WASM`)
  console.log('photo        IoU  refined  +SAM   F@2px  refined  +SAM   ms')
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(12)} ${f(r.subjectIou)} ${f(r.refinedIou)}  ${f(r.samIou)}  ${f(r.subjectF)}  ${f(r.refinedF)}  ${f(r.samF)}  ${Math.round(r.ms)}`,
    )
  }
  const m = meanFigures(rows)
  console.log(
    `${'mean'.padEnd(12)} ${f(m.subjectIou)} ${f(m.refinedIou)}  ${f(m.samIou)}  ${f(m.subjectF)}  ${f(m.refinedF)}  ${f(m.samF)}  ${Math.round(m.ms)}`,
  )
} finally {
  await server.close()
}
