/**
 * The demos as a static site: `storybook build` (what `npm run build-storybook` runs), served as a host serves it,
 * with the COOP/COEP headers. A production build of the worker once hung at "Starting the model… 100%" (onnxruntime's
 * WASM threads loaded the worker's own code): here a story must reach ready with threads and run its play function.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromiumLaunch } from '../support/chromium.js'
import { serveFolder, type StaticServer } from '../support/staticServer.js'
import { CONSUMER_ROOT, REPO, run } from './harness.js'
import { visit, waitReady } from './page.js'

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
const out = join(CONSUMER_ROOT, 'storybook-static')
let browser: Browser
let server: StaticServer

beforeAll(async () => {
  // The packages are built by the test command before this runs, as build-storybook builds them first.
  run('npx', ['storybook', 'build', '--output-dir', out, '--quiet'], REPO)
  server = await serveFolder(out, { index: true, headers: ISOLATION })
  // Without a WebGPU adapter: 'auto' then runs WASM in the worker, with threads under cross-origin isolation.
  browser = await chromium.launch({ ...chromiumLaunch, args: chromiumLaunch.args.filter((a) => a !== '--enable-unsafe-webgpu') })
}, 600_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

it('a story of the static build, cross-origin isolated, reaches ready on the embedded model and its play function selects', async () => {
  const v = await visit(browser, `${server.url}iframe.html?id=react-segmentcanvas--click&viewMode=story`)
  await waitReady(v.page)
  expect(await v.page.evaluate(() => crossOriginIsolated)).toBe(true)
  // The story's play function clicks the disc; the live region announces the selection.
  await v.page.waitForFunction(() => /^Object 1 selected/.test(document.querySelector('.anymask-announcer')?.textContent ?? ''), undefined, {
    timeout: 60_000,
  })
  expect(v.externalRequests).toEqual([])
  // Every file asked for was served, but the favicon.ico browsers ask for on their own (Storybook ships an .svg).
  expect(server.requests.filter((path) => !existsSync(join(out, path)))).toEqual(['/favicon.ico'])
  expect(v.errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([])
})
