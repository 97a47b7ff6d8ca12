/**
 * @anymask/core and @anymask/edit in plain Node, no React, no bundler: the packed tarballs installed into an app
 * whose ES module (esm.mjs) and CommonJS script (cjs.cjs) each create a segmenter on the embedded default model
 * (onnxruntime-web's WASM in the process), encode the scene's RGBA bytes, click the disc, cut it out and dispose.
 * Proves that both formats load and exit by themselves, find the disc, agree mask for mask, and export the same names.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { fromRuns } from '../support/rle.js'
import { installApp, run, SCENE } from './harness.js'
import { iou } from './page.js'

interface Answer {
  device: string
  threads: number
  area: number
  runs: number[]
  cutout: [number, number]
  exportNames: { core: string[]; edit: string[] }
}

const disc = SCENE.objects[0]
const inDisc = [...disc.mask.keys()].filter((i) => disc.mask[i])
const xs = inDisc.map((i) => i % SCENE.width)
const ys = inDisc.map((i) => Math.floor(i / SCENE.width))
const answers: Record<string, Answer> = {}

beforeAll(() => {
  const app = installApp('node')
  writeFileSync(join(app, 'scene.rgba'), SCENE.data)
  for (const script of ['esm.mjs', 'cjs.cjs']) {
    const args = [script, 'scene.rgba', SCENE.width, SCENE.height, disc.inside.x, disc.inside.y].map(String)
    answers[script] = JSON.parse(run('node', args, app)) as Answer
  }
}, 600_000)

it.each(['esm.mjs', 'cjs.cjs'])('%s: WASM in the process, the disc clicked, cut out to its box', (script) => {
  const { device, threads, area, runs, cutout } = answers[script]
  expect([device, threads]).toEqual(['wasm', 1])
  const mask = fromRuns(runs, SCENE.width * SCENE.height).map((v) => v && 1)
  expect(iou(mask, disc.mask)).toBeGreaterThanOrEqual(0.9)
  expect(area).toBe(mask.reduce((sum, v) => sum + v, 0))
  expect(Math.abs(cutout[0] - (Math.max(...xs) - Math.min(...xs) + 1))).toBeLessThanOrEqual(4)
  expect(Math.abs(cutout[1] - (Math.max(...ys) - Math.min(...ys) + 1))).toBeLessThanOrEqual(4)
})

it('ESM and CommonJS: the same mask, and the same export names', () => {
  const { exportNames: esm, ...esmAnswer } = answers['esm.mjs']
  const { exportNames: cjs, ...cjsAnswer } = answers['cjs.cjs']
  expect(cjsAnswer).toEqual(esmAnswer)
  expect(cjs.core.sort()).toEqual(esm.core.sort())
  expect(cjs.edit.sort()).toEqual(esm.edit.sort())
  expect(esm.core).toEqual(expect.arrayContaining(['createSegmenter', 'AnymaskError']))
})
