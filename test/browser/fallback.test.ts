/**
 * device 'auto': WebGPU when the browser has an adapter, WASM when a WebGPU session fails. The encoder here is a
 * real graph that onnxruntime-web 1.30 runs on WASM but rejects on WebGPU (see models/src/anymaskLite.ts).
 */
import { describe, expect, it } from 'vitest'
import { createSegmenter, type ProgressEvent } from '@anymask/core'
import { iou, makeScene } from '../support/scenes.js'

const spec = {
  id: 'lite-fails-on-webgpu',
  contract: 'sam' as const,
  encoder: '/models/dist/anymask-lite/sam-fails-on-webgpu/encoder.onnx',
  decoder: '/models/dist/anymask-lite/sam/decoder.onnx',
}
const scene = makeScene(400, 300)
const disc = scene.objects[0]

describe('device auto', () => {
  it('picks WebGPU when there is an adapter', async () => {
    const { gpu } = navigator as Navigator & { gpu: { requestAdapter(): Promise<unknown> } }
    expect(await gpu.requestAdapter()).not.toBeNull()
    const segmenter = await createSegmenter({ device: 'auto', worker: false })
    expect(segmenter.device).toBe('webgpu')
    await segmenter.dispose()
  })

  it('falls back to WASM, with a warning event, when a WebGPU run fails', async () => {
    const events: ProgressEvent[] = []
    const segmenter = await createSegmenter({ model: spec, device: 'auto', worker: false, onProgress: (e) => events.push(e) })
    expect(segmenter.device).toBe('webgpu')
    const session = await segmenter.encode(scene)
    expect(segmenter.device).toBe('wasm')
    const warnings = events.filter((e) => e.warning)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ status: 'init', device: 'wasm' })
    expect(warnings[0].warning).toMatch(/WebGPU run failed .*dilations/)
    const result = await session.decode({ points: [{ ...disc.inside, label: 1 }] })
    expect(iou(result.masks[result.best].data, disc.mask)).toBeGreaterThanOrEqual(0.97)
    await segmenter.dispose()
  })

  it('in the worker too: segmenter.device follows the fallback', async () => {
    const segmenter = await createSegmenter({ model: spec, device: 'auto' })
    expect(segmenter.device).toBe('webgpu')
    const session = await segmenter.encode(scene)
    expect(segmenter.device).toBe('wasm')
    expect((await session.decode({ points: [{ ...disc.inside, label: 1 }] })).masks.length).toBe(3)
    await segmenter.dispose()
  })

  it("does not fall back when 'webgpu' was asked for explicitly", async () => {
    const segmenter = await createSegmenter({ model: spec, device: 'webgpu', worker: false })
    await expect(segmenter.encode(scene)).rejects.toThrow(/dilations/)
    expect(segmenter.device).toBe('webgpu')
    await segmenter.dispose()
  })
})
