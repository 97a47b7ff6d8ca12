/**
 * @anymask/fabric on fabric 6 (the oldest major its peer range admits; the browser tests run fabric 7): a Vite app
 * built from the packed tarballs (`tsc --noEmit` over our .d.ts against fabric 6's types), in Chromium. The photo is
 * rotated and scaled in a zoomed editor; a real mouse click on the disc as the canvas shows it (found from the
 * rendered pixels) selects the disc.
 */
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromiumWithoutWebGpu } from '../support/chromium.js'
import { iou } from '../support/scenes.js'
import { ISOLATION, serveFolder, type StaticServer } from '../support/staticServer.js'
import { installApp, run, SCENE, writeScene } from './harness.js'
import { visit } from './page.js'

let browser: Browser
let server: StaticServer

beforeAll(async () => {
  const app = installApp('vite-fabric6')
  writeScene(join(app, 'public'))
  run('npm', ['run', 'build'], app)
  server = await serveFolder(join(app, 'dist'), { index: true, headers: ISOLATION })
  browser = await chromium.launch(chromiumWithoutWebGpu)
}, 600_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

it('fabric 6: a click on the rendered disc of a rotated, scaled, zoomed photo selects the disc', async () => {
  const v = await visit(browser, server.url)
  await v.page.waitForFunction(() => /ready|error/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 120_000 })
  expect(await v.page.locator('#status').textContent()).toBe('ready')
  const [red, green, blue] = SCENE.data.slice(...((i) => [i * 4, i * 4 + 3])(SCENE.objects[0].inside.y * SCENE.width + SCENE.objects[0].inside.x))
  // Where the canvas shows the disc's colour (fabric's own rendering), in client pixels.
  const at = await v.page.evaluate(
    ([r, g, b]) => {
      const element = document.querySelector<HTMLCanvasElement>('#editor')!
      const { width, height } = element
      const pixels = element.getContext('2d')!.getImageData(0, 0, width, height).data
      let x = 0,
        y = 0,
        n = 0
      for (let i = 0; i < pixels.length; i += 4) {
        if (Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 60)
          (x += (i / 4) % width), (y += Math.floor(i / 4 / width)), n++
      }
      const box = element.getBoundingClientRect()
      return { x: box.left + x / n + 0.5, y: box.top + y / n + 0.5, n }
    },
    [red, green, blue],
  )
  expect(at.n).toBeGreaterThan(1000)
  await v.page.mouse.click(at.x, at.y)
  await v.page.waitForFunction(() => document.querySelector('#status')?.textContent === '1 objects', undefined, { timeout: 30_000 })
  const mask = await v.page.evaluate(() => {
    const { tool } = window as unknown as { tool: { controller: { exportMask(): { data: Uint8Array } | null } } }
    return [...(tool.controller.exportMask()?.data ?? [])]
  })
  expect(iou(Uint8Array.from(mask), SCENE.objects[0].mask)).toBeGreaterThanOrEqual(0.97)
  expect(v.externalRequests).toEqual([])
  expect(v.errors).toEqual([])
})
