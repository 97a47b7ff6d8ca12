/**
 * The demos as a static site: `storybook build` (what `npm run build-storybook` runs), served as a host serves it,
 * with the COOP/COEP headers. A production build of the worker once hung at "Starting the model… 100%" (onnxruntime's
 * WASM threads loaded the worker's own code): here a story must reach ready with threads and run its play function.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromiumWithoutWebGpu } from '../support/chromium.js'
import { makeScene } from '../support/scenes.js'
import { ISOLATION, serveFolder, type StaticServer } from '../support/staticServer.js'
import { CONSUMER_ROOT, REPO, run } from './harness.js'
import { playStory, visit, waitReady } from './page.js'

const out = join(CONSUMER_ROOT, 'storybook-static')
let browser: Browser
let server: StaticServer

beforeAll(async () => {
  // The packages are built by the test command before this runs, as build-storybook builds them first.
  run('npx', ['storybook', 'build', '--output-dir', out, '--quiet'], REPO)
  server = await serveFolder(out, { index: true, headers: ISOLATION })
  // Without a WebGPU adapter: 'auto' then runs WASM in the worker, with threads under cross-origin isolation.
  browser = await chromium.launch(chromiumWithoutWebGpu)
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

it('docs: SegmentCanvas has a props table from its types, and each package an API page from its types', async () => {
  const v = await visit(browser, `${server.url}iframe.html?id=react-segmentcanvas--docs&viewMode=docs`)
  await v.page.waitForSelector('.docblock-argstable tbody tr')
  const rows = await v.page.$$eval('.docblock-argstable tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))
  const row = (name: string) => rows.find(([prop]) => prop.replace('*', '') === name)
  // Names, JSDoc and types as SegmentCanvasProps declares them; React's key and ref left out.
  expect(row('image')?.[1]).toContain('A URL, File / Blob, <img>, ImageBitmap, ImageData or RGBA pixels.')
  expect(row('model')?.[1]).toContain('Default: anymask-lite (embedded, works offline).')
  expect(row('onMasksChange')?.[1]).toContain('(masks: readonly SelectionObject[]) => void')
  expect(row('key')).toBeUndefined()
  expect(rows.length).toBeGreaterThanOrEqual(15)
  expect(await v.page.$$eval('.anymask-root', (roots) => roots.length)).toBe(1) // one live story, not every one
  for (const [id, member] of [
    ['core-api', 'createSegmenter()'],
    ['edit-api', 'refineEdges()'],
    ['react-api', 'SegmentCanvasProps'],
    ['fabric-api', 'attachSegmentTool()'],
    ['imgly-api', 'selectSubject()'],
  ]) {
    const page = await v.page.context().newPage()
    await page.goto(`${server.url}iframe.html?id=${id}--docs&viewMode=docs`)
    // (Storybook puts a "Copy heading URL" link in each heading: its accessible name is not its text.)
    await page.locator('h3', { hasText: new RegExp(`^${member.replace(/[()]/g, '\\$&')}$`) }).waitFor()
    expect(await page.locator('table').count()).toBeGreaterThan(0)
    await page.close()
  }
  expect(v.errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([])
})

it('the Playground: a gallery photograph, a click, a cutout, each tool; the picture never moves; screenshots of each state', async () => {
  const shots = join(CONSUMER_ROOT, 'screenshots')
  const v = await visit(browser, `${server.url}iframe.html?id=playground--default&viewMode=story`)
  const { page } = v
  await waitReady(page)
  const credit = (await page.locator('.playground-credit').textContent()) ?? ''
  // SAM's truck where ../shared/data is here (its notebook's click on the truck), else the shapes scene's disc.
  const truck = credit.startsWith('Segment Anything')
  const disc = makeScene(640, 480).objects[0].inside
  const [w, h, x, y] = truck ? [1800, 1200, 500, 375] : [640, 480, disc.x, disc.y]
  const viewport = page.locator('.anymask-viewport')
  const before = await viewport.boundingBox()
  await page.screenshot({ path: join(shots, 'playground-ready.png') })
  await page.locator('.anymask-toolbar').screenshot({ path: join(shots, 'toolbar-ready.png') })
  const box = before!
  const scale = Math.min(box.width / w, box.height / h)
  await page.mouse.click(box.x + (box.width - w * scale) / 2 + x * scale, box.y + (box.height - h * scale) / 2 + y * scale)
  await page.waitForFunction(() => document.querySelectorAll('.anymask-layers li').length === 1 && !document.querySelector('.anymask-root[data-busy]'))
  expect(await viewport.boundingBox()).toEqual(before) // candidates and a layer arrived: 0 px of layout shift
  await page.mouse.move(0, 0)
  await page.screenshot({ path: join(shots, 'playground-selection.png') })
  await page.locator('.anymask-toolbar').screenshot({ path: join(shots, 'toolbar-point.png') })
  await page.getByRole('button', { name: 'Box', exact: true }).click()
  await page.locator('.anymask-toolbar').screenshot({ path: join(shots, 'toolbar-box.png') })
  await page.getByRole('button', { name: 'Cut out' }).click()
  await page.getByRole('link', { name: 'Download cut out (PNG)' }).waitFor()
  expect(await viewport.boundingBox()).toEqual(before)
  await page.screenshot({ path: join(shots, 'playground-cutout.png') })
  await page.getByRole('button', { name: 'Everything', exact: true }).click()
  await page.waitForSelector('.anymask-root[data-tool="everything"]')
  await page.locator('.anymask-toolbar').screenshot({ path: join(shots, 'toolbar-everything.png') })
  expect(await viewport.boundingBox()).toEqual(before)
  expect(v.errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([])
  await page.context().close() // its everything run would take the next tests' CPU
})

// Play functions wait for states, never fixed times: on a CPU four times slower (the page's thread, as DevTools
// throttles it) they still pass. Click and Hover once failed on a slow machine, waiting fixed times.
it.each(['react-segmentcanvas--click', 'react-segmentcanvas--hover', 'playground--edit-the-selection'])(
  '%s: its play function passes with the CPU slowed 4x',
  async (id) => {
    const { status, error, visit: v } = await playStory(browser, `${server.url}iframe.html?id=${id}&viewMode=story`, 4)
    expect({ status, error }).toEqual({ status: 'success', error: undefined })
    expect(v.errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([])
  },
  360_000,
)
