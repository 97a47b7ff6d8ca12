/**
 * `npm run eval:select [model]`: the interactive-segmentation evaluation on ../shared/data/grabcut for a registry id
 * (default anymask-lite; public models download from their addresses) or a ModelSpec in a JSON file.
 */
import { readFileSync } from 'node:fs'
import type { ModelSpec } from '@anymask/core'
import { grabcutSamples, hasGrabcut } from './grabcut.js'
import { evaluateSelection, MAX_CLICKS, summarise } from './selectEval.js'

if (!hasGrabcut()) {
  console.log('eval:select: ../shared/data/grabcut is absent; nothing to evaluate.')
  process.exit(0)
}
const arg = process.argv[2] ?? 'anymask-lite'
const model: string | ModelSpec = arg.endsWith('.json') ? (JSON.parse(readFileSync(arg, 'utf8')) as ModelSpec) : arg
const f = (v: number) => v.toFixed(3)
console.log(`eval:select: ${typeof model === 'string' ? model : model.id} on the GrabCut photographs, at most ${MAX_CLICKS} clicks`)
console.log(['photo', 'box IoU', 'IoU@1', 'IoU@3', 'IoU@5', 'NoC@85', 'NoC@90'].join('\t'))
const rows = await evaluateSelection(model, grabcutSamples(), (r) =>
  console.log([r.name, f(r.boxIou), f(r.ious[0]), f(r.ious[2]), f(r.ious[4]), r.noc85, r.noc90].join('\t')),
)
const s = summarise(rows)
console.log(['MEAN', f(s.boxIou), f(s.iou1), f(s.iou3), f(s.iou5), s.noc85.toFixed(2), s.noc90.toFixed(2)].join('\t'))
console.log(`never reach 0.85: ${s.never85} of ${s.photos}; never reach 0.90: ${s.never90} of ${s.photos}`)
