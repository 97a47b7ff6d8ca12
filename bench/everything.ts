/**
 * `npm run bench` (everything mode, Node): `tsx bench/everything.ts [speed|skip] [--32]`.
 * - speed: MobileSAM's architecture (random weights) in the hf-sam contract at 1024x768, pointsPerSide 16 and 32:
 *   the whole run, the first batch of masks, the decoder's share, and a click's cost batched (64 a run) against one
 *   prompt a run on the same graphs. Random weights give meaningless masks, so the filters are SAM's defaults and
 *   whatever passes them is upscaled as with a real model.
 * - skip: what `skipCovered` saves (grid points decoded) and loses (recall, at mask IoU >= 0.9, of the exhaustive
 *   run's masks), with anymask-lite on synthetic scenes and on the GrabCut photographs, and the share of exhaustive
 *   masks that one grid point alone gives (which bounds what any skipping rule can keep).
 */
import { readFileSync } from 'node:fs'
import { createSegmenter, type EverythingOptions } from '../packages/core/src/index.js'
import { gridPoints } from '../packages/core/src/everything.js'
import { benchModelPath } from '../models/src/paths.js'
import { iou, makeScene, manyObjects } from '../test/support/scenes.js'
import { grabcutSamples, hasGrabcut } from '../test/eval/grabcut.js'
import { summary, timeEverything, type Timing } from './measure.js'
import { saveResults } from './results.js'

const part = process.argv.find((a) => a === 'speed' || a === 'skip')
const cell = (t: Timing) => `${t.median.toFixed(0)} (${t.min.toFixed(0)}-${t.max.toFixed(0)})`
const results: Record<string, unknown> = {}

if (!part || part === 'speed') {
  const spec = {
    id: 'mobile-sam-bench-hf',
    contract: 'hf-sam' as const,
    encoder: readFileSync(benchModelPath('hf-sam', 'encoder')),
    decoder: readFileSync(benchModelPath('hf-sam', 'decoder')),
  }
  const segmenter = await createSegmenter({ model: spec, device: 'wasm' })
  const scene = makeScene(1024, 768, manyObjects(6))
  const session = await segmenter.encode(scene)
  // Whole runs are long on 2 cores (a click is 0.3-1 s in this decoder): one run each; 32 x 32 (4x longer) with --32.
  const speed: Record<string, unknown> = {}
  const configs: [string, EverythingOptions, number][] = [
    ['16x16 points, SAM filters', { pointsPerSide: 16 }, 1],
    ...(process.argv.includes('--32') ? [['32x32 points, SAM filters', { pointsPerSide: 32 }, 1] as [string, EverythingOptions, number]] : []),
    // Random weights pass none of SAM's filters: with the filters off every candidate is upscaled (the worst case).
    ['16x16 points, no filters', { pointsPerSide: 16, predIouThresh: 0, stabilityScoreThresh: 0 }, 1],
  ]
  for (const [label, options, count] of configs) {
    const runs = []
    for (let i = 0; i < count; i++) runs.push(await timeEverything(session, options))
    const total = summary(runs.map((r) => r.total))
    const batch = summary(runs.map((r) => r.firstBatch))
    const outside = summary(runs.map((r) => (r.total - r.decoder) / r.total))
    speed[label] = { total, firstBatch: batch, outsideShare: outside, masks: runs[0].masks, runs: count }
    console.log(
      `everything, MobileSAM architecture (hf-sam, random weights), 1024x768, ${label}, groups of 1, 2, 4, ... up to 64, Node 1 thread: ` +
        `${cell(total)} ms; first batch ${batch.median.toFixed(0)} ms; outside the decoder ${(100 * outside.median).toFixed(1)} %; ${runs[0].masks} masks`,
    )
  }
  // A click's cost in the decoder, batched against one prompt a run, over an 8 x 8 grid.
  const perPoint = async (pointsPerBatch: number) => (await timeEverything(session, { pointsPerSide: 8, pointsPerBatch })).decoder / 64
  const batched = await perPoint(64)
  const single = await perPoint(1)
  speed.perPoint = { batched, single, ratio: batched / single }
  console.log(
    `a click in the decoder, 64 a run ${batched.toFixed(1)} ms vs one a run ${single.toFixed(1)} ms: ratio ${(batched / single).toFixed(2)} (target <= 0.7)`,
  )
  results.speed = speed
  session.dispose()
  await segmenter.dispose()
}

if (!part || part === 'skip') {
  // The embedded model as users get it, with its own everything thresholds.
  const segmenter = await createSegmenter({ model: 'anymask-lite', device: 'wasm' })
  const images: { name: string; image: { data: Uint8ClampedArray | Uint8Array; width: number; height: number } }[] = [
    { name: 'scene: 6 objects', image: makeScene(640, 480, manyObjects(6)) },
    { name: 'scene: 9 objects', image: makeScene(640, 480, manyObjects(9)) },
    { name: 'scene: disc and rectangle', image: makeScene(640, 480) },
  ]
  if (hasGrabcut()) for (const p of grabcutSamples()) images.push({ name: p.name, image: p.image })
  else console.log('bench: ../shared/data/grabcut is absent; skipCovered is measured on the synthetic scenes only.')
  const side = 8
  /** One mask found again: IoU >= 0.9. */
  const same = (a: Uint8Array, b: Uint8Array) => iou(a, b) >= 0.9
  const rows: { name: string; share: number; recall: number; masks: number; lone: number }[] = []
  for (const { name, image } of images) {
    const session = await segmenter.encode(image)
    const all = await session.everything({ pointsPerSide: side })
    const skipped = await session.everything({ pointsPerSide: side, skipCovered: true })
    // What bounds the recall of any skipping rule: how many grid points give each exhaustive mask (one of their three
    // candidates at mask IoU >= 0.9). A mask that a single point gives is lost whenever that point is skipped.
    const candidates: Uint8Array[][] = []
    for (const p of gridPoints(image.width, image.height, side))
      candidates.push((await session.decode({ points: [{ ...p, label: 1 }] }, { multimask: true })).masks.map((m) => m.data))
    session.dispose()
    const givers = all.masks.map((m) => candidates.filter((list) => list.some((c) => same(c, m.mask.data))).length)
    if (givers.includes(0)) console.log(`bench: ${name}: a mask of the exhaustive run that no single decode of its grid gives (decode and everything differ?)`)
    const found = all.masks.filter((m) => skipped.masks.some((s) => same(s.mask.data, m.mask.data))).length
    rows.push({
      name,
      share: skipped.decoded / skipped.total,
      recall: all.masks.length ? found / all.masks.length : 1,
      masks: all.masks.length,
      lone: all.masks.length ? givers.filter((n) => n <= 1).length / all.masks.length : 0,
    })
  }
  await segmenter.dispose()
  const mean = (f: (r: (typeof rows)[number]) => number, subset = rows) => subset.reduce((n, r) => n + f(r), 0) / subset.length
  const scenes = rows.slice(0, 3)
  const photos = rows.slice(3)
  for (const [label, subset] of [
    ['synthetic scenes', scenes],
    ['GrabCut photographs', photos],
  ] as const) {
    if (!subset.length) continue
    console.log(
      `skipCovered, anymask-lite, ${side}x${side} points, ${label} (${subset.length}): decodes ${(100 * mean((r) => r.share, subset)).toFixed(1)} % of the grid ` +
        `(target <= 40 %), recall of the exhaustive masks ${mean((r) => r.recall, subset).toFixed(3)} (target >= 0.95), ${mean((r) => r.masks, subset).toFixed(1)} masks an image, ` +
        `${(100 * mean((r) => r.lone, subset)).toFixed(1)} % of them given by one grid point alone`,
    )
  }
  results.skip = {
    pointsPerSide: side,
    rows,
    scenes: { share: mean((r) => r.share, scenes), recall: mean((r) => r.recall, scenes), lone: mean((r) => r.lone, scenes) },
    photos: photos.length ? { share: mean((r) => r.share, photos), recall: mean((r) => r.recall, photos), lone: mean((r) => r.lone, photos) } : null,
  }
}

saveResults(part ? `everything-${part}` : 'everything', results)
