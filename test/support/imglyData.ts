/**
 * @imgly/background-removal-data's dist/ (installed as a dev dependency) served at /imgly-data/ by the test and
 * eval servers, as a site would self-host it: as plain files. Vite's own serving will not do: it takes paths
 * without an extension (the data's chunks are named by hash) for modules and transforms them.
 */
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import { folderHandler } from './staticServer.js'

export const IMGLY_DATA_PATH = '/imgly-data/'
/** The same folder with its resources.json only: every chunk it lists answers 404 (a half-copied deployment). */
export const IMGLY_DATA_WITHOUT_CHUNKS = '/imgly-data-without-chunks/'
/** The same folder, but the first chunk asked for answers 503 (a server that hiccups once). */
export const IMGLY_DATA_FLAKY = '/imgly-data-flaky/'
const dist = fileURLToPath(new URL('../../node_modules/@imgly/background-removal-data/dist', import.meta.url))

/** A Vite plugin that serves the data files at IMGLY_DATA_PATH. */
export function serveImglyData(): Plugin {
  return {
    name: 'anymask-imgly-data',
    configureServer(server) {
      server.middlewares.use(IMGLY_DATA_PATH, folderHandler(dist))
      const data = folderHandler(dist)
      server.middlewares.use(IMGLY_DATA_WITHOUT_CHUNKS, (req, res) => (req.url === '/resources.json' ? data(req, res) : res.writeHead(404).end('not found')))
      let hiccups = 1
      server.middlewares.use(IMGLY_DATA_FLAKY, (req, res) =>
        req.url !== '/resources.json' && hiccups > 0 ? (hiccups--, res.writeHead(503).end('try again')) : data(req, res),
      )
    },
  }
}
