/**
 * A loopback server that misbehaves the way real ones do, for the reliability tests in Node and (through a browser
 * command) in Chromium: it never answers, stops mid-body, cuts the body short, or sends an HTML page as the model.
 * The `stall-then-*` faults stop mid-body when asked for the whole file, and answer a `Range` request each its own
 * way: the rest of the file (`resume`), the whole file again (`whole`), or the rest without saying which bytes those
 * are (`hidden-range`: no Content-Range). CORS and CORP headers let a cross-origin-isolated page read it.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { liteModelPath } from '../../models/src/paths.js'

export const FAULTS = [
  'stall-before-headers',
  'stall-mid-body',
  'truncated',
  'error-page',
  'stall-then-resume',
  'stall-then-whole',
  'stall-then-hidden-range',
] as const
export type Fault = (typeof FAULTS)[number]

export async function startFaultyServer(): Promise<{ url: (fault: Fault) => string; close: () => Promise<void> }> {
  const model = readFileSync(liteModelPath('sam', 'decoder'))
  const server = createServer((req, res) => {
    const headers = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' }
    const fault = req.url?.slice(1).replace(/\.onnx$/, '') as Fault
    if (fault === 'stall-before-headers') return // never answers
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
    if (fault.startsWith('stall-then-') && range && fault !== 'stall-then-whole') {
      const from = Number(range[1])
      const contentRange =
        fault === 'stall-then-resume'
          ? { 'content-range': `bytes ${from}-${model.length - 1}/${model.length}`, 'access-control-expose-headers': 'content-range' }
          : {}
      res.writeHead(206, { ...headers, ...contentRange, 'content-length': String(model.length - from) })
      return void res.end(model.subarray(from))
    }
    if (fault.startsWith('stall-then-') && range) return void res.writeHead(200, { ...headers, 'content-length': String(model.length) }).end(model)
    if (fault.startsWith('stall-then-')) {
      res.writeHead(200, { ...headers, 'content-length': String(model.length) })
      return void res.write(model.subarray(0, 5000)) // then nothing
    }
    if (fault === 'stall-mid-body' || fault === 'truncated') {
      res.writeHead(200, { ...headers, 'content-length': String(model.length) })
      res.write(model.subarray(0, 5000)) // then nothing, or the connection drops
      if (fault === 'truncated') setTimeout(() => res.destroy(), 20)
      return
    }
    if (fault === 'error-page') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html' })
      return void res.end('<!doctype html><html><body>Rate limited, try later</body></html>')
    }
    res.writeHead(404, headers).end()
  })
  // Never what keeps a test process alive: its stalled connections stay open on purpose.
  server.unref()
  server.on('connection', (socket) => socket.unref())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: (fault) => `${base}/${fault}.onnx`,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
