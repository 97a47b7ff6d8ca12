/**
 * A loopback server that misbehaves the way real ones do, for the reliability tests in Node and (through a browser
 * command) in Chromium: it never answers, stops mid-body, cuts the body short, or sends an HTML page as the model.
 * CORS and CORP headers let a cross-origin-isolated page read it.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { liteModelPath } from '../../models/src/paths.js'

export const FAULTS = ['stall-before-headers', 'stall-mid-body', 'truncated', 'error-page'] as const
export type Fault = (typeof FAULTS)[number]

export async function startFaultyServer(): Promise<{ url: (fault: Fault) => string; close: () => Promise<void> }> {
  const model = readFileSync(liteModelPath('sam', 'decoder'))
  const server = createServer((req, res) => {
    const headers = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' }
    const fault = req.url?.slice(1).replace(/\.onnx$/, '') as Fault
    if (fault === 'stall-before-headers') return // never answers
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
