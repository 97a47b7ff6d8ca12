/**
 * `npm run eval:subject [isnet_fp16|isnet_quint8]`: @anymask/imgly on the GrabCut photographs of ../shared/data, in
 * headless Chromium (cross-origin isolated, WASM threads): per photo and as means, the IoU and boundary F (2 px) of
 * the subject mask at alpha 0.5, after refineEdges, and after subject-then-SAM with anymask-lite.
 */
import type { SubjectModel } from '@anymask/imgly'
import { IMGLY_DATA_PATH } from '../support/imglyData.js'
import { startPageServer } from '../support/pageServer.js'
import { hasGrabcut, photoMessage } from './grabcut.js'
import { meanFigures, type SubjectFigures } from './subjectEval.js'

if (!hasGrabcut()) {
  console.log('eval:subject: ../shared/data/grabcut is absent; nothing to evaluate.')
  process.exit(0)
}
const model = (process.argv[2] ?? 'isnet_fp16') as SubjectModel

const server = await startPageServer({ isolated: true })
try {
  const page = await server.open('test/eval/page/subject.html', 'subjectEval')
  await page.exposeFunction('grabcutPhoto', photoMessage)
  const publicPath = `${server.origin}${IMGLY_DATA_PATH}`
  const rows = (await page.evaluate((config) => window.subjectEval(config), { publicPath, model })) as SubjectFigures[]
  const f = (x: number) => x.toFixed(3)
  const line = (name: string, r: Omit<SubjectFigures, 'name'>) =>
    [
      name.padEnd(12),
      f(r.subjectIou),
      f(r.refinedIou),
      f(r.samIou),
      f(r.subjectF),
      f(r.refinedF),
      f(r.samF),
      r.haloPlain.toFixed(1).padStart(5),
      r.haloClean.toFixed(1).padStart(5),
      Math.round(r.ms),
    ].join('  ')
  console.log(`eval:subject: ${model}, ${rows.length} GrabCut photographs, headless Chromium ${server.browser.version()}, WASM`)
  console.log('photo         IoU    refined  +SAM   F@2px  refined  +SAM   halo   clean  ms')
  for (const r of rows) console.log(line(r.name, r))
  console.log(line('mean', meanFigures(rows)))
} finally {
  await server.close()
}
