/**
 * The browser half of `npm run bench`: runs in a Chromium page served with COOP/COEP by bench/browser.ts, which
 * calls `window.anymaskBench(config)` once per fresh page (onnxruntime's WASM thread count is fixed per page).
 */
import { createSegmenter, type Device } from '@anymask/core'
import { makeScene } from '../../test/support/scenes.js'
import { decoderPrompts, time, type Timing } from '../measure.js'

export interface PageConfig {
  device: Device
  threads?: number
  runs: number
  /** Image sizes to run (the software WebGPU adapter is too slow for 12 MP). */
  sizes: [number, number][]
  encoder: string
  decoder: string
}

async function anymaskBench(config: PageConfig): Promise<{ device: string; isolated: boolean; rows: Record<string, Timing> }> {
  const segmenter = await createSegmenter({
    model: { id: 'sam-decoder-bench', contract: 'sam', encoder: config.encoder, decoder: config.decoder },
    device: config.device,
    threads: config.threads,
    cacheSize: 0,
  })
  const rows: Record<string, Timing> = {}
  for (const [width, height] of config.sizes) {
    const scene = makeScene(width, height)
    const label = `${width}x${height}`
    rows[`encode (anymask-lite encoder) ${label}`] = await time(async () => (await segmenter.encode(scene)).dispose(), config.runs)
    const session = await segmenter.encode(scene)
    const first = await session.decode({ points: [{ ...scene.objects[0].inside, label: 1 }] })
    const prompts = decoderPrompts(scene, first)
    for (const [name, prompt] of Object.entries(prompts)) rows[`SAM decoder ${name} ${label}`] = await time(() => session.decode(prompt), config.runs)
    if (width > 1024) rows[`SAM decoder preview maxSide 1024 ${label}`] = await time(() => session.decode(prompts['one point'], { maxSide: 1024 }), config.runs)
    session.dispose()
  }
  const device = segmenter.device
  await segmenter.dispose()
  return { device, isolated: crossOriginIsolated, rows }
}

Object.assign(window, { anymaskBench })
