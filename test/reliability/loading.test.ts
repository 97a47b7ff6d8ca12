/**
 * Classes 2 and 3 of the reliability issue for downloads, against a loopback server that misbehaves: a server that
 * stops sending is tried once more (from where it stopped, where it allows) and then given up after `stallTimeout`, a
 * body cut short of its Content-Length and an HTML error page are MODEL_LOAD_FAILED saying so. (The same faults against Chromium, with Cache Storage: test/reliability/browser.)
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSegmenter, loadModelFiles, type ProgressEvent } from '@anymask/core'
import { liteModelPath } from '../../models/src/paths.js'
import { startFaultyServer, type Fault } from '../support/faultyServer.js'

let server: Awaited<ReturnType<typeof startFaultyServer>>
beforeAll(async () => {
  server = await startFaultyServer()
})
afterAll(() => server?.close())

const load = (fault: Fault, stallTimeout = 400) =>
  createSegmenter({
    model: { id: 'faulty', contract: 'sam', encoder: readFileSync(liteModelPath('sam', 'encoder')), decoder: server.url(fault) },
    device: 'wasm',
    stallTimeout,
  })

describe('downloads that go wrong', () => {
  it('gives up on a server that never answers, after stallTimeout', async () => {
    const started = Date.now()
    await expect(load('stall-before-headers')).rejects.toMatchObject({
      code: 'MODEL_LOAD_FAILED',
      message: expect.stringContaining('stalled: no data for 0.4 s'),
    })
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('gives up on a body that stops arriving, after trying once more', async () => {
    await expect(load('stall-mid-body')).rejects.toMatchObject({
      code: 'MODEL_LOAD_FAILED',
      message: expect.stringContaining('stalled: no data for 0.4 s, 2 times'),
    })
  })

  describe('a body that stops arriving once', () => {
    const model = readFileSync(liteModelPath('sam', 'decoder'))
    const loadDecoder = async (fault: Fault) => {
      const loaded: number[] = []
      const onProgress = (e: ProgressEvent) => e.file === 'decoder' && loaded.push(e.loaded ?? 0)
      const spec = { id: fault, contract: 'sam' as const, encoder: model, decoder: server.url(fault) }
      const files = await loadModelFiles(spec, { stallTimeout: 300, onProgress })
      return { bytes: files.decoder, loaded }
    }
    // Progress counts up, except where the download started over.
    const restarts = (loaded: number[]) => loaded.filter((n, i) => i > 0 && n < loaded[i - 1]).length

    it('resumes from the byte where it stopped, where the server answers the Range request with that range', async () => {
      const { bytes, loaded } = await loadDecoder('stall-then-resume')
      expect(Buffer.from(bytes).equals(model)).toBe(true)
      expect(loaded).toContain(5000)
      expect(restarts(loaded)).toBe(0)
    })

    it('starts over where the server sends the whole file again', async () => {
      const { bytes, loaded } = await loadDecoder('stall-then-whole')
      expect(Buffer.from(bytes).equals(model)).toBe(true)
      expect(restarts(loaded)).toBe(1)
    })

    it('does not take part of the file for the whole when the server does not say which part (no Content-Range)', async () => {
      // It asks for the whole file instead, which stalls again.
      await expect(loadDecoder('stall-then-hidden-range')).rejects.toMatchObject({
        code: 'MODEL_LOAD_FAILED',
        message: expect.stringContaining('stalled: no data for 0.3 s, 2 times'),
      })
    })
  })

  it('refuses a body cut short of its Content-Length', async () => {
    await expect(load('truncated', 10_000)).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' })
  })

  it('refuses an HTML error page served as the model, saying what it is', async () => {
    await expect(load('error-page', 10_000)).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringContaining('looks like HTML') })
  })

  it('stops at once when aborted', async () => {
    const controller = new AbortController()
    const pending = createSegmenter({
      model: { id: 'faulty', contract: 'sam', encoder: server.url('stall-before-headers'), decoder: server.url('stall-before-headers') },
      device: 'wasm',
      signal: controller.signal,
    })
    setTimeout(() => controller.abort(), 50)
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
  })
})
