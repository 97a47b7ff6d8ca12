/** `npm run eval:edit`: the edit evaluations on ../shared/data/grabcut, as a table. */
import { evaluateEdit, mean, type ImageFigures } from './editEval.js'
import { hasGrabcut } from './grabcut.js'

if (!hasGrabcut()) {
  console.log('eval:edit: ../shared/data/grabcut is absent; nothing to evaluate.')
  process.exit(0)
}
const rows = evaluateEdit()
const columns: (keyof Omit<ImageFigures, 'name'>)[] = [
  'coarseIou',
  'refinedIou',
  'coarseF',
  'refinedF',
  'haloPlain',
  'haloClean',
  'recolorLightness',
  'recolorOutsideChanged',
]
const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(5))
console.log(['image', ...columns].join('\t'))
for (const r of rows) console.log([r.name, ...columns.map((c) => fmt(r[c]))].join('\t'))
console.log(['MEAN', ...columns.map((c) => fmt(mean(rows, c)))].join('\t'))
