/**
 * The repository served by Vite for pages that a Node script drives in Chromium (the evaluations and benches that
 * need a browser): built packages resolved as users get them, cross-origin isolated or not.
 */
import { chromium, type Browser, type Page } from 'playwright-core'
import { createServer } from 'vite'
import { chromiumLaunch } from './chromium.js'
import { serveImglyData } from './imglyData.js'
import { ISOLATION } from './staticServer.js'

export interface PageServer {
  origin: string
  browser: Browser
  /** A fresh page at `path` (from the repository root), once `ready` (a global the page sets) exists. */
  open(path: string, ready: string): Promise<Page>
  close(): Promise<void>
}

/** With `isolated`, pages get COOP/COEP and so WASM threads (onnxruntime-web takes them only then). */
export async function startPageServer({ isolated }: { isolated: boolean }): Promise<PageServer> {
  const server = await createServer({
    root: new URL('../..', import.meta.url).pathname,
    logLevel: 'error',
    server: { port: 0, headers: isolated ? ISOLATION : {} },
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    plugins: [serveImglyData()],
  })
  await server.listen()
  const address = server.httpServer?.address()
  const origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`
  const browser = await chromium.launch(chromiumLaunch)
  return {
    origin,
    browser,
    async open(path, ready) {
      const page = await browser.newPage()
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
      await page.goto(`${origin}/${path}`)
      await page.waitForFunction((name) => name in window, ready, { timeout: 120_000 })
      return page
    },
    async close() {
      await browser.close()
      await server.close()
    },
  }
}
