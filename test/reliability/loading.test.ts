/**
 * Classes 2 and 3 of the reliability issue for downloads, against a loopback server that misbehaves: a server that
 * stops sending is given up after `stallTimeout`, a body cut short of its Content-Length and an HTML error page are
 * MODEL_LOAD_FAILED saying so (Cache Storage, which only browsers have, is tested in Chromium).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSegmenter } from '@anymask/core'
import { liteModelPath } from '../../models/src/paths.js'

const model = readFileSync(liteModelPath('sam', 'decoder'))
let server: Server
let base: string

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/stall-before-headers.onnx') return // never answers
    if (req.url === '/stall-mid-body.onnx') {
      res.writeHead(200, { 'content-length': String(model.length) })
      res.write(model.subarray(0, 1000)) // then nothing
      return
    }
    if (req.url === '/truncated.onnx') {
      res.writeHead(200, { 'content-length': String(model.length) })
      res.write(model.subarray(0, 5000))
      return void setTimeout(() => res.destroy(), 20)
    }
    if (req.url === '/error-page.onnx') {
      res.writeHead(200, { 'content-type': 'text/html' })
      return void res.end('<!doctype html><html><body>Rate limited, try later</body></html>')
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(resolve))
})

const load = (path: string, stallTimeout = 400) =>
  createSegmenter({ model: { id: 'faulty', contract: 'sam', encoder: readFileSync(liteModelPath('sam', 'encoder')), decoder: `${base}${path}` }, device: 'wasm', stallTimeout })

describe('downloads that go wrong', () => {
  it('gives up on a server that never answers, after stallTimeout', async () => {
    const started = Date.now()
    await expect(load('/stall-before-headers.onnx')).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringContaining('stalled: no data for 0.4 s') })
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('gives up on a body that stops arriving', async () => {
    await expect(load('/stall-mid-body.onnx')).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringContaining('stalled') })
  })

  it('refuses a body cut short of its Content-Length', async () => {
    await expect(load('/truncated.onnx', 10_000)).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' })
  })

  it('refuses an HTML error page served as the model, saying what it is', async () => {
    await expect(load('/error-page.onnx')).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringContaining('looks like HTML') })
  })

  it('stops at once when aborted', async () => {
    const controller = new AbortController()
    const pending = createSegmenter({ model: { id: 'faulty', contract: 'sam', encoder: `${base}/stall-before-headers.onnx`, decoder: `${base}/stall-before-headers.onnx` }, device: 'wasm', signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
  })
})
