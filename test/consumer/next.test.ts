/**
 * A Next.js 16 app (app router, Turbopack production build, `next start`) from the packed tarballs: a server
 * component renders <SegmentCanvas> through a client component. Proves that the component renders on the server
 * (the page is prerendered by `next build`, served by `next start`) without touching browser APIs, hydrates without
 * a mismatch, and that Turbopack's worker and onnxruntime-web's WASM threads start from what `next build` emits
 * (cross-origin isolated, nothing fetched from other hosts).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumWithoutWebGpu } from '../support/chromium.js'
import { installApp, run, SCENE, writeScene } from './harness.js'
import { click, hover, overlayIou, visit, waitReady } from './page.js'

// Vitest sets NODE_ENV=test, which Next warns about; a user's build and server run in production.
const NEXT_ENV = { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' }
const disc = SCENE.objects[0]

let app: string
let url: string
let server: ChildProcess | undefined
let browser: Browser

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
    probe.on('error', reject)
  })

/** Polls `url` until the server answers, or fails with its output once it exits or 60 s pass. */
async function answers(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output()}`)
    if ((await fetch(url).catch(() => null))?.ok) return
  }
  throw new Error(`next start did not answer within 60 s:\n${output()}`)
}

beforeAll(async () => {
  app = installApp('next')
  writeScene(join(app, 'public'))
  run('npm', ['run', 'build'], app, NEXT_ENV)
  const port = await freePort()
  url = `http://127.0.0.1:${port}/`
  let output = ''
  const child = spawn(process.execPath, [join(app, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: app,
    env: { ...process.env, ...NEXT_ENV },
  })
  server = child
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  await answers(url, child, () => output)
  browser = await chromium.launch(chromiumWithoutWebGpu)
}, 600_000)
afterAll(async () => {
  await browser?.close()
  const child = server
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill()
    await exited
  }
})

describe('Next.js 16, app router, production build', () => {
  it('renders <SegmentCanvas> on the server: the heading and the loading canvas are in the HTML', async () => {
    const html = await (await fetch(url)).text()
    expect(html).toContain('<h1>Segment a photo</h1>')
    expect(html).toMatch(/<div class="anymask-root" data-state="loading"/)
  })

  it('hydrates cleanly, isolated: WASM threads, hover preview, click -> mask, nothing from other hosts', async () => {
    const v = await visit(browser, url)
    await waitReady(v.page)
    expect(await v.page.evaluate(() => crossOriginIsolated)).toBe(true)
    expect(await v.page.locator('#runtime').textContent()).toMatch(/^wasm, [2-4] threads$/)

    await hover(v.page, disc.inside.x, disc.inside.y)
    expect(await overlayIou(v.page, disc.mask)).toBeGreaterThanOrEqual(0.9)
    await click(v.page, disc.inside.x, disc.inside.y)
    expect(await v.page.locator('#objects').textContent()).toBe('1 objects')
    await v.page.mouse.move(0, 0) // off the image: the selection itself, not a preview
    expect(await overlayIou(v.page, disc.mask)).toBeGreaterThanOrEqual(0.9)

    expect(v.errors).toEqual([])
    expect(v.warnings.filter((w) => /hydrat|mismatch/i.test(w))).toEqual([])
    expect(v.externalRequests).toEqual([])
  })

  it("renders straight from a server component ('use client' in @anymask/react), then works in the browser", async () => {
    expect(await (await fetch(`${url}direct`)).text()).toMatch(/<div class="anymask-root" data-state="loading"/)
    const v = await visit(browser, `${url}direct`)
    await waitReady(v.page)
    await click(v.page, disc.inside.x, disc.inside.y)
    expect(await overlayIou(v.page, disc.mask)).toBeGreaterThanOrEqual(0.9)
    expect(v.errors).toEqual([])
    expect(v.externalRequests).toEqual([])
  })
})
