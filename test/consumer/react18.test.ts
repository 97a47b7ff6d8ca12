/**
 * React 18, the oldest React that @anymask/react's peer range (react >= 18) admits: a Vite app built from the packed
 * tarballs (`tsc --noEmit` under React 18's types, theme variables in `style` included), in Chromium, built twice:
 * for production, and with React's development build (NODE_ENV=development), the one that prints React's warnings.
 * Proves that a click gives the disc's mask, that the `ref` reaches <SegmentCanvas>'s handle on 18 (its
 * exportMask and cutout measure the disc), and that React 18 prints nothing: no unknown-prop or function-ref warning.
 */
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromiumWithoutWebGpu } from '../support/chromium.js'
import { ISOLATION, serveFolder, type StaticServer } from '../support/staticServer.js'
import { installApp, run, SCENE, writeScene } from './harness.js'
import { click, overlayIou, visit, waitReady } from './page.js'

const disc = SCENE.objects[0]
const inDisc = [...disc.mask.keys()].filter((i) => disc.mask[i])
const xs = inDisc.map((i) => i % SCENE.width)
const ys = inDisc.map((i) => Math.floor(i / SCENE.width))

let app: string
let browser: Browser
const servers: StaticServer[] = []

beforeAll(async () => {
  app = installApp('vite-react18')
  writeScene(join(app, 'public'))
  run('npm', ['run', 'build'], app)
  run('npm', ['run', 'build'], app, { NODE_ENV: 'development', OUT_DIR: 'dist-dev' })
  browser = await chromium.launch(chromiumWithoutWebGpu)
}, 600_000)
afterAll(async () => {
  await browser?.close()
  await Promise.all(servers.map((s) => s.close()))
})

it.each(['dist', 'dist-dev'])('Vite + React 18, %s: click -> the disc, through the ref handle too, with no warning', async (folder) => {
  const server = await serveFolder(join(app, folder), { index: true, headers: ISOLATION })
  servers.push(server)
  const v = await visit(browser, server.url)
  await waitReady(v.page)
  await click(v.page, disc.inside.x, disc.inside.y)
  expect(await v.page.locator('#objects').textContent()).toBe('1 objects')
  await v.page.mouse.move(0, 0) // off the image: no preview over the selection
  expect(await overlayIou(v.page, disc.mask)).toBeGreaterThanOrEqual(0.9)

  await v.page.getByRole('button', { name: 'Measure' }).click()
  const measured = JSON.parse((await v.page.locator('#measured').textContent()) ?? 'null') as { handle: boolean; area: number; selection: [number, number] }
  expect(measured.handle).toBe(true)
  expect(Math.abs(measured.area - inDisc.length) / inDisc.length).toBeLessThanOrEqual(0.1)
  const [width, height] = measured.selection
  expect(Math.abs(width - (Math.max(...xs) - Math.min(...xs) + 1))).toBeLessThanOrEqual(4)
  expect(Math.abs(height - (Math.max(...ys) - Math.min(...ys) + 1))).toBeLessThanOrEqual(4)

  expect(v.externalRequests).toEqual([])
  expect(v.errors).toEqual([])
  expect(v.warnings).toEqual([])
})
