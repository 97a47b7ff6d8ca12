/**
 * Class 2 of the reliability issue in Chromium: nothing bad stays in Cache Storage. A corrupt cached copy is dropped
 * and fetched again, a cached copy that passes the checks but does not load is dropped and fetched once more, and a
 * download that fails its checks is never cached.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createSegmenter } from '@anymask/core'

const CACHE = 'anymask-models-v1'
const url = (file: string) => `${location.origin}/models/dist/anymask-lite/sam/${file}`
const spec = { id: 'lite-from-url', contract: 'sam' as const, encoder: url('encoder.onnx'), decoder: url('decoder.onnx') }
// What is cached is under test here, not stalls (downloads.test.ts): a loaded test server must not trip the limit.
const stallTimeout = 100_000

beforeEach(() => caches.delete(CACHE))

describe('Cache Storage', () => {
  it('drops a corrupt cached copy (an HTML page) and downloads the file again', async () => {
    await (await caches.open(CACHE)).put(spec.decoder, new Response('<!doctype html><h1>502 Bad Gateway</h1>'))
    const segmenter = await createSegmenter({ model: spec, device: 'wasm', worker: false, stallTimeout })
    await segmenter.dispose()
    const cached = new Uint8Array(await (await (await caches.open(CACHE)).match(spec.decoder))!.arrayBuffer())
    expect(cached[0]).toBe(0x08) // the real model now
  })

  it('drops a cached copy that looks right but does not load, and fetches once more', async () => {
    const real = new Uint8Array(await (await fetch(spec.decoder)).arrayBuffer())
    await (await caches.open(CACHE)).put(spec.decoder, new Response(real.slice(0, real.length >> 1))) // truncated
    const fetched = vi.spyOn(globalThis, 'fetch')
    const segmenter = await createSegmenter({ model: spec, device: 'wasm', worker: false, stallTimeout })
    expect(fetched.mock.calls.map((c) => String(c[0]))).toContain(spec.decoder)
    await segmenter.dispose()
    const cached = await (await caches.open(CACHE)).match(spec.decoder)
    expect((await cached!.arrayBuffer()).byteLength).toBe(real.length)
    fetched.mockRestore()
  })

  it('never caches a download that fails its checks', async () => {
    const bad = { ...spec, id: 'html-as-model', decoder: `${location.origin}/package.json` }
    await expect(createSegmenter({ model: bad, device: 'wasm', worker: false, stallTimeout })).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' })
    expect(await (await caches.open(CACHE)).match(bad.decoder)).toBeUndefined()
    const wrongHash = { ...spec, id: 'wrong-hash', sha256: { decoder: '0'.repeat(64) } }
    await expect(createSegmenter({ model: wrongHash, device: 'wasm', worker: false, stallTimeout })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' })
    expect(await (await caches.open(CACHE)).match(spec.decoder)).toBeUndefined()
  })
})
