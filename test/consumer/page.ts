/**
 * Drives a consumer app in Chromium as a visitor would: real pointer events at image pixels, the overlay read back,
 * and a watch on what the page asks of other hosts and prints as errors.
 */
import type { Browser, Page } from 'playwright-core'
import { SCENE } from './harness.js'

export interface Visit {
  page: Page
  /** Requests to any host but the app's own (data: and blob: URLs are the page's own). */
  externalRequests: string[]
  /** console.error messages and uncaught errors. */
  errors: string[]
  /** Console warnings (React prints hydration and prop warnings here). */
  warnings: string[]
}

/**
 * Opens `url` in a fresh context and records external requests, errors and warnings from then on; `prepare` runs on
 * the page before it navigates (init scripts, CPU throttling).
 */
export async function visit(browser: Browser, url: string, prepare?: (page: Page) => Promise<void>): Promise<Visit> {
  const context = await browser.newContext({ acceptDownloads: true })
  const page = await context.newPage()
  await prepare?.(page)
  const origin = new URL(url).origin
  const visit: Visit = { page, externalRequests: [], errors: [], warnings: [] }
  page.on('request', (request) => {
    const target = request.url()
    if (!/^(data|blob):/.test(target) && new URL(target).origin !== origin) visit.externalRequests.push(target)
  })
  page.on('console', (message) => {
    if (message.type() === 'error') visit.errors.push(message.text())
    if (message.type() === 'warning') visit.warnings.push(message.text())
  })
  page.on('pageerror', (error) => visit.errors.push(String(error)))
  page.on('response', (response) => {
    if (response.status() >= 400) visit.errors.push(`${response.status()} ${response.url()}`)
  })
  await page.goto(url)
  return visit
}

/**
 * Opens a story of a static Storybook (`url`: its iframe.html with the story's id) with the CPU slowed `slowdown`
 * times (as DevTools does) and resolves with how its play function ended: Storybook's storyFinished event, read from
 * its preview channel.
 */
export async function playStory(browser: Browser, url: string, slowdown = 1): Promise<{ status: string; error?: string; visit: Visit }> {
  const v = await visit(browser, url, async (page) => {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown })
    // A string, not a function: the source transform (tsx, vite) could add helpers the page does not have.
    await page.addInitScript(`{
      let channel
      Object.defineProperty(window, '__STORYBOOK_ADDONS_CHANNEL__', { configurable: true, get: () => channel, set(value) {
        channel = value
        if (!value) return
        value.on('playFunctionThrewException', (e) => (window.storyEnd = { status: 'error', error: e.message }))
        value.on('storyFinished', (e) => (window.storyEnd ??= { status: e.status }))
      } })
    }`)
  })
  const end = await v.page.waitForFunction(() => (window as unknown as { storyEnd?: unknown }).storyEnd, undefined, { timeout: 300_000, polling: 500 })
  return { ...((await end.jsonValue()) as { status: string; error?: string }), visit: v }
}

/** Waits until <SegmentCanvas> says ready; fails at once with its error if it shows one. */
export async function waitReady(page: Page, timeout = 120_000): Promise<void> {
  const state = await page.waitForFunction(
    () => {
      const s = document.querySelector<HTMLElement>('.anymask-root')?.dataset.state
      return s === 'ready' || s === 'error' ? s : null
    },
    undefined,
    { timeout, polling: 50 },
  )
  if ((await state.jsonValue()) === 'error') throw new Error(`<SegmentCanvas> shows an error: ${await page.locator('.anymask-root').textContent()}`)
}

/** Client coordinates of an image pixel's centre, in the canvas's fitted view (computed here, not by the app). */
async function clientAt(page: Page, x: number, y: number) {
  const r = (await page.locator('.anymask-viewport').boundingBox())!
  const scale = Math.min(r.width / SCENE.width, r.height / SCENE.height)
  const left = r.x + (r.width - SCENE.width * scale) / 2
  const top = r.y + (r.height - SCENE.height * scale) / 2
  return { x: left + (x + 0.5) * scale, y: top + (y + 0.5) * scale }
}

/** Resolves when no decode runs (data-busy gone) and two frames have been drawn. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.anymask-root')?.hasAttribute('data-busy'), undefined, { timeout: 30_000, polling: 20 })
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}

export async function hover(page: Page, x: number, y: number): Promise<void> {
  const at = await clientAt(page, x, y)
  await page.mouse.move(at.x, at.y)
  await settled(page)
}

export async function click(page: Page, x: number, y: number): Promise<void> {
  const at = await clientAt(page, x, y)
  await page.mouse.click(at.x, at.y)
  await settled(page)
}

/** Which image pixels the overlay covers (alpha > 0 at the pixel's centre), as 0/1 bytes. */
export async function overlayMask(page: Page): Promise<Uint8Array> {
  const r = (await page.locator('.anymask-viewport').boundingBox())!
  const scale = Math.min(r.width / SCENE.width, r.height / SCENE.height)
  const ox = (r.width - SCENE.width * scale) / 2
  const oy = (r.height - SCENE.height * scale) / 2
  const bytes = await page.evaluate(
    ({ w, h, scale, ox, oy }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('.anymask-overlay')!
      const viewport = document.querySelector<HTMLElement>('.anymask-viewport')!
      const dpr = canvas.width / viewport.clientWidth
      const all = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
      const out: number[] = []
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const sx = Math.floor((ox + (x + 0.5) * scale) * dpr)
          const sy = Math.floor((oy + (y + 0.5) * scale) * dpr)
          out.push(all[(sy * canvas.width + sx) * 4 + 3] > 0 ? 1 : 0)
        }
      return out
    },
    { w: SCENE.width, h: SCENE.height, scale, ox, oy },
  )
  return Uint8Array.from(bytes)
}

/**
 * The overlay's IoU with `truth` once it reaches `atLeast`, or the last one seen after `timeout` ms (a hover
 * preview is drawn a frame or two after its decode, which sets no busy flag).
 */
export async function overlayIou(page: Page, truth: Uint8Array, atLeast = 0.9, timeout = 10_000): Promise<number> {
  const until = Date.now() + timeout
  for (;;) {
    const value = iou(await overlayMask(page), truth)
    if (value >= atLeast || Date.now() > until) return value
    await page.waitForTimeout(50)
  }
}

/** Intersection over union of two 0/1 masks. */
export function iou(a: Uint8Array, b: Uint8Array): number {
  let both = 0
  let either = 0
  for (let i = 0; i < a.length; i++) {
    both += a[i] & b[i]
    either += a[i] | b[i]
  }
  return either ? both / either : 1
}
