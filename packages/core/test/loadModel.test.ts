import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProgressEvent } from '@anymask/core'
import { loadModelFile, sha256Hex } from '../src/loadModel.js'

// Starts as an ONNX model does (ir_version, field 1): graphs that do not are refused before any session is made.
const payload = Uint8Array.from({ length: 200_000 }, (_, i) => (i === 0 ? 0x08 : (i * 31) & 255))
let server: Server
let base: string
let requested: () => void = () => {}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/model.onnx') {
      requested()
      res.writeHead(200, { 'content-length': String(payload.length) })
      // Several chunks, so progress has steps.
      for (let i = 0; i < payload.length; i += 50_000) res.write(payload.subarray(i, i + 50_000))
      res.end()
    } else {
      res.writeHead(404, 'Not Found').end()
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((r) => server.close(r)))

describe('loadModelFile', () => {
  it('downloads a URL with progress events up to the byte total', async () => {
    const events: ProgressEvent[] = []
    const bytes = await loadModelFile(`${base}/model.onnx`, { file: 'encoder', modelId: 'm', onProgress: (e) => events.push(e) })
    expect(bytes).toEqual(payload)
    expect(events.every((e) => e.status === 'download' && e.file === 'encoder' && e.total === payload.length)).toBe(true)
    const loaded = events.map((e) => e.loaded as number)
    expect(loaded[loaded.length - 1]).toBe(payload.length)
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b))
    expect(new Set(loaded).size).toBeGreaterThan(2)
  })

  it('fails with MODEL_LOAD_FAILED and the HTTP status for a missing file', async () => {
    await expect(loadModelFile(`${base}/missing.onnx`, { file: 'decoder', modelId: 'm' })).rejects.toMatchObject({
      code: 'MODEL_LOAD_FAILED',
      message: expect.stringContaining('HTTP 404'),
    })
  })

  it('verifies sha256 whatever the source', async () => {
    const hash = createHash('sha256').update(payload).digest('hex')
    expect(await sha256Hex(payload)).toBe(hash)
    await expect(loadModelFile(`${base}/model.onnx`, { file: 'encoder', modelId: 'm', sha256: hash })).resolves.toEqual(payload)
    await expect(loadModelFile(payload.buffer, { file: 'encoder', modelId: 'm', sha256: '00'.repeat(32) })).rejects.toMatchObject({
      code: 'INTEGRITY_MISMATCH',
    })
  })

  it('decodes base64 data: URLs (the embedded model) without the network', async () => {
    const url = `data:application/octet-stream;base64,${Buffer.from(payload).toString('base64')}`
    expect(await loadModelFile(url, { file: 'encoder', modelId: 'm' })).toEqual(payload)
  })

  it('rejects with ABORTED when aborted', async () => {
    await expect(loadModelFile(`${base}/model.onnx`, { file: 'encoder', modelId: 'm', signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' })
  })

  it('is not given up as stalled while this thread is too busy to read the data that came', async () => {
    // Node runs due timers before reading sockets: without the grace, the stall timer always wins after a busy spell.
    const arrived = new Promise<void>((r) => (requested = r))
    const loading = loadModelFile(`${base}/model.onnx`, { file: 'encoder', modelId: 'm', stallTimeout: 100 })
    await arrived
    const busyUntil = performance.now() + 400
    while (performance.now() < busyUntil) {} // the page's own work, four stall limits long
    await expect(loading).resolves.toEqual(payload)
  })
})
