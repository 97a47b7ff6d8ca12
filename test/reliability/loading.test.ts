/**
 * Classes 2 and 3 of the reliability issue for downloads, against a loopback server that misbehaves: a server that
 * stops sending is given up after `stallTimeout`, a body cut short of its Content-Length and an HTML error page are
 * MODEL_LOAD_FAILED saying so. (The same faults against Chromium, with Cache Storage: test/reliability/browser.)
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSegmenter } from '@anymask/core'
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

  it('gives up on a body that stops arriving', async () => {
    await expect(load('stall-mid-body')).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringContaining('stalled') })
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
