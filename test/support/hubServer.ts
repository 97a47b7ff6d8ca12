/** A static file server on loopback for the replicas in the hub's layout (Node tests and verify:models). */
import { createReadStream, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join, normalize } from 'node:path'

export interface HubServer {
  /** Base URL to pass to `mirrorModel`, ending in '/'. */
  url: string
  /** Paths requested so far. */
  requests: string[]
  close(): Promise<void>
}

/** Serves `root` on 127.0.0.1 at a free port; unknown paths get 404. */
export async function serveFolder(root: string): Promise<HubServer> {
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
    requests.push(path)
    const file = join(root, path)
    try {
      const { size } = statSync(file)
      // One request per connection: a test may idle longer than a keep-alive socket lives.
      res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream', connection: 'close' })
      createReadStream(file).pipe(res)
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
