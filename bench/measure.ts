/** Timing and prompts shared by the Node and browser benches (plain TypeScript: runs in both). */
import type { Prompt, Segmentation } from '@anymask/core'
import type { Scene } from '../test/support/scenes.js'

export interface Timing {
  median: number
  min: number
  max: number
}

/** Median, min and max of `runs` calls after one warm-up. */
export async function time(fn: () => unknown | Promise<unknown>, runs: number): Promise<Timing> {
  await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return { median: times[times.length >> 1], min: times[0], max: times[times.length - 1] }
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
