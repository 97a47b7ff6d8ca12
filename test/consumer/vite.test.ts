/**
 * A Vite + React 19 app built for production from the packed tarballs, served as a host serves it: with the
 * COOP/COEP headers (WASM threads), without them (one thread), with `worker: false`, and built for WASM only.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decode } from 'fast-png'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumWithoutWebGpu } from '../support/chromium.js'
import { ISOLATION, serveFolder, type StaticServer } from '../support/staticServer.js'
import { installApp, run, SCENE, writeScene } from './harness.js'
import { click, hover, overlayIou, visit, waitReady, type Visit } from './page.js'

const disc = SCENE.objects[0]
const rect = SCENE.objects[1]

let app: string
let browser: Browser
const servers: StaticServer[] = []
const serve = async (folder: string, headers: Record<string, string> = {}) => {
  const server = await serveFolder(join(app, folder), { index: true, headers })
  servers.push(server)
  return server.url
}

beforeAll(() => {
  app = installApp('vite-react19')
  writeScene(join(app, 'public'))
  run('npm', ['run', 'build'], app)
  run('npm', ['run', 'build'], app, { WASM_ONLY: '1', OUT_DIR: 'dist-wasm' })
}, 600_000)
beforeAll(async () => {
  browser = await chromium.launch(chromiumWithoutWebGpu)
})
afterAll(async () => {
  await browser?.close()
  await Promise.all(servers.map((s) => s.close()))
})

/** Nothing fetched from other hosts, nothing printed as an error. */
function expectClean(v: Visit) {
  expect(v.externalRequests).toEqual([])
  expect(v.errors).toEqual([])
}

const runtime = (v: Visit) => v.page.locator('#runtime').textContent()

describe('Vite + React 19, production build', () => {
  it('cross-origin isolated: WASM threads, hover preview, click -> mask, cutout download', async () => {
    const v = await visit(browser, await serve('dist', ISOLATION))
    await waitReady(v.page)
    expect(await v.page.evaluate(() => crossOriginIsolated)).toBe(true)
    expect(await runtime(v)).toMatch(/^wasm, [2-4] threads$/)

    await hover(v.page, disc.inside.x, disc.inside.y)
    expect(await overlayIou(v.page, disc.mask)).toBeGreaterThanOrEqual(0.9)
    await hover(v.page, rect.inside.x, rect.inside.y) // the preview follows the pointer...
    expect(await overlayIou(v.page, rect.mask)).toBeGreaterThanOrEqual(0.9)
    expect(await v.page.locator('#objects').textContent()).toBe('0 objects') // ...and selects nothing

    await click(v.page, disc.inside.x, disc.inside.y)
    expect(await v.page.locator('#objects').textContent()).toBe('1 objects')
    await v.page.mouse.move(0, 0) // off the image: no preview over the selection
    expect(await overlayIou(v.page, disc.mask)).toBeGreaterThanOrEqual(0.9)

    await v.page.getByRole('button', { name: 'Cut out' }).click()
    const [download] = await Promise.all([v.page.waitForEvent('download'), v.page.locator('#download').click()])
    expect(download.suggestedFilename()).toBe('cutout.png')
    const png = decode(readFileSync(await download.path()))
    // The disc's own box, and its pixels opaque where the disc is, transparent around it.
    const xs = [...disc.mask.keys()].filter((i) => disc.mask[i]).map((i) => i % SCENE.width)
    const ys = [...disc.mask.keys()].filter((i) => disc.mask[i]).map((i) => Math.floor(i / SCENE.width))
    const [x0, y0] = [Math.min(...xs), Math.min(...ys)]
    expect(Math.abs(png.width - (Math.max(...xs) - x0 + 1))).toBeLessThanOrEqual(4)
    expect(Math.abs(png.height - (Math.max(...ys) - y0 + 1))).toBeLessThanOrEqual(4)
    let agree = 0
    for (let y = 0; y < png.height; y++)
      for (let x = 0; x < png.width; x++) {
        const inDisc = disc.mask[(y + y0) * SCENE.width + x + x0] === 1
        agree += Number(png.data[(y * png.width + x) * 4 + 3] > 127 === inDisc)
      }
    expect(agree / (png.width * png.height)).toBeGreaterThanOrEqual(0.95)
    expectClean(v)
  })

  it('without cross-origin isolation: one thread, the same masks', async () => {
    const v = await visit(browser, await serve('dist'))
    await waitReady(v.page)
    expect(await v.page.evaluate(() => crossOriginIsolated)).toBe(false)
    expect(await runtime(v)).toBe('wasm, 1 threads')
    await click(v.page, rect.inside.x, rect.inside.y)
    expect(await overlayIou(v.page, rect.mask)).toBeGreaterThanOrEqual(0.9)
    expectClean(v)
  })

  it('worker: false: the model on the page thread (one thread there), the same masks', async () => {
    const v = await visit(browser, `${await serve('dist', ISOLATION)}?worker=0`)
    await waitReady(v.page)
    expect(await runtime(v)).toBe('wasm, 1 threads')
    await click(v.page, disc.inside.x, disc.inside.y)
    expect(await overlayIou(v.page, disc.mask)).toBeGreaterThanOrEqual(0.9)
    expectClean(v)
  })

  it("workerUrl: the worker bundled from '@anymask/core/worker' (README's Vite import) runs the model", async () => {
    const v = await visit(browser, `${await serve('dist', ISOLATION)}?worker=url`)
    await waitReady(v.page)
    expect(await runtime(v)).toMatch(/^wasm, [2-4] threads$/)
    await click(v.page, rect.inside.x, rect.inside.y)
    expect(await overlayIou(v.page, rect.mask)).toBeGreaterThanOrEqual(0.9)
    expectClean(v)
  })

  it("built for WASM only (README's alias): no WebGPU build of onnxruntime shipped, and it works", async () => {
    const assets = readdirSync(join(app, 'dist', 'assets'))
    const wasmOnly = readdirSync(join(app, 'dist-wasm', 'assets'))
    expect(assets.filter((f) => f.endsWith('.wasm'))).toEqual([expect.stringMatching(/^ort-wasm-simd-threaded\.jsep-.*\.wasm$/)])
    expect(wasmOnly.filter((f) => f.endsWith('.wasm'))).toEqual([expect.stringMatching(/^ort-wasm-simd-threaded-.*\.wasm$/)])
    const v = await visit(browser, await serve('dist-wasm', ISOLATION))
    await waitReady(v.page)
    expect(await runtime(v)).toMatch(/^wasm, [2-4] threads$/)
    await click(v.page, rect.inside.x, rect.inside.y)
    expect(await overlayIou(v.page, rect.mask)).toBeGreaterThanOrEqual(0.9)
    expectClean(v)
  })
})
