/**
 * A static file server on loopback: the replicas in the hub's layout (Node tests, verify:models) and the consumer
 * apps' production builds (served as a host would, with or without the COOP/COEP headers).
 */
import { createReadStream, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { extname, join, normalize } from 'node:path'

export interface StaticServer {
  /** Base URL, ending in '/'. */
  url: string
  /** Paths requested so far. */
  requests: string[]
  close(): Promise<void>
}

/** The headers that make a page cross-origin isolated, so onnxruntime-web may use WASM threads. */
export const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }

export interface ServeOptions {
  /** Headers sent with every file (e.g. COOP/COEP for cross-origin isolation). */
  headers?: Record<string, string>
  /** Serve `index.html` for a folder's path. */
  index?: boolean
  /** Paths under this prefix are cached for a year (`immutable`), as hosts serve a bundler's hashed assets. */
  immutable?: string
}

// Browsers need these types: module scripts refuse any other, and WebAssembly streaming compiles only application/wasm.
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
}

/** A request handler that serves `root` as it is (no transforms); unknown paths get 404. Records paths in `requests`. */
export function folderHandler(root: string, options: ServeOptions = {}, requests: string[] = []) {
  return (req: IncomingMessage, res: ServerResponse) => {
    let path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
    requests.push(path)
    if (options.index && path.endsWith('/')) path += 'index.html'
    const file = join(root, path)
    try {
      const { size } = statSync(file)
      // One request per connection: a test may idle longer than a keep-alive socket lives.
      res.writeHead(200, {
        'content-length': size,
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        connection: 'close',
        ...(options.immutable && path.startsWith(options.immutable) ? { 'cache-control': 'public, max-age=31536000, immutable' } : {}),
        ...options.headers,
      })
      createReadStream(file).pipe(res)
    } catch {
      res.writeHead(404).end('not found')
    }
  }
}

/** Serves `root` on 127.0.0.1 at a free port; unknown paths get 404. */
export async function serveFolder(root: string, options: ServeOptions = {}): Promise<StaticServer> {
  const requests: string[] = []
  const server: Server = createServer(folderHandler(root, options, requests))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
