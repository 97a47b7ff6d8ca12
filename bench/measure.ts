/** Timing and prompts shared by the Node and browser benches (plain TypeScript: runs in both). */
import type { EverythingOptions, ImageSession, Prompt, Segmentation } from '@anymask/core'
import type { Scene } from '../test/support/scenes.js'

export interface Timing {
  median: number
  min: number
  max: number
}

/**
 * Median, min and max of `runs` calls after a warm-up: one call, or as many as fill `warmUpMs` (Chromium compiles
 * WASM in tiers: the first second or two of a model's calls after other work run up to 2x slower).
 */
export async function time(fn: () => unknown | Promise<unknown>, runs: number, warmUpMs = 0): Promise<Timing> {
  await warmUp(fn, warmUpMs)
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  return summary(times)
}

async function warmUp(fn: () => unknown, ms: number): Promise<void> {
  const start = performance.now()
  do await fn()
  while (performance.now() - start < ms)
}

/** Two functions timed alternately (a, b, a, b, ...), after a warm-up of each: medians, min and max of each. */
export async function timePair(a: () => unknown, b: () => unknown, runs: number, warmUpMs = 0): Promise<[Timing, Timing]> {
  await warmUp(a, warmUpMs)
  await warmUp(b, warmUpMs)
  const times: [number[], number[]] = [[], []]
  for (let i = 0; i < runs; i++) {
    for (const [k, fn] of [a, b].entries()) {
      const t = performance.now()
      await fn()
      times[k].push(performance.now() - t)
    }
  }
  return [summary(times[0]), summary(times[1])]
}

/** Median, min and max of some times. */
export function summary(times: number[]): Timing {
  times.sort((x, y) => x - y)
  return { median: times[times.length >> 1], min: times[0], max: times[times.length - 1] }
}

/**
 * `time` for a decode: the wall time of each call and, from the same calls, the times @anymask/core reports: inside
 * the decoder session, and in its engine (the session plus feeds and post-processing; the rest is messaging).
 */
export async function timeDecode(
  fn: () => Promise<Segmentation | null>,
  runs: number,
  warmUpMs = 0,
): Promise<{ wall: Timing; session: Timing; engine: Timing }> {
  const session: number[] = []
  const engine: number[] = []
  const wall = await time(
    async () => {
      const timings = (await fn())!.timings!
      session.push(timings.decoder)
      engine.push(timings.engine)
    },
    runs,
    warmUpMs,
  )
  return { wall, session: summary(session.slice(-runs)), engine: summary(engine.slice(-runs)) }
}

/** The decoder prompts every bench measures; `first` is a decode of the one point, refined by the last prompt. */
export function decoderPrompts(scene: Scene, first: Segmentation): Record<string, Prompt> {
  const point = { ...scene.objects[0].inside, label: 1 as const }
  return {
    'one point': { points: [point] },
    'point + box': { points: [point], box: scene.objects[0].box },
    'five points': { points: [point, ...[1, 2, 3, 4].map((k) => ({ x: (k * scene.width) / 5, y: scene.height / 3, label: (k % 2) as 0 | 1 }))] },
    'point + previous mask': { points: [point], mask: first.lowRes[first.best] },
  }
}

/** One everything run: the whole run, the first batch (masks or progress), the time in the decoder, masks kept. */
export async function timeEverything(session: ImageSession, options: EverythingOptions) {
  const started = performance.now()
  let firstBatch = Number.NaN
  const result = await session.everything({ ...options, onMasks: () => void (Number.isNaN(firstBatch) && (firstBatch = performance.now() - started)) })
  const total = performance.now() - started
  return { total, firstBatch, decoder: result.timings.decoder, masks: result.masks.length, decoded: result.decoded }
}
