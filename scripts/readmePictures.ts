/**
 * The README's pictures of <SegmentCanvas>: stories on the synthetic scenes, built as a static Storybook, played
 * to their end in Chromium, and the component photographed: docs/pictures/<name>.jpg. Run after `npm run build`
 * and `npm run setup:browser`, when the component's look changes: npx tsx scripts/readmePictures.ts
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { chromiumWithoutWebGpu } from '../test/support/chromium.js'
import { ISOLATION, serveFolder } from '../test/support/staticServer.js'
import { playStory } from '../test/consumer/page.js'
import { makeScene } from '../test/support/scenes.js'

const REPO = join(import.meta.dirname, '..')
const OUT = join(REPO, 'docs', 'pictures')
/** The stories' scene (stories/react/SegmentCanvas.stories.tsx shows it at its own size) and its blue rectangle. */
const [, rect] = makeScene(480, 360).objects
async function clickRectangle(page: Page): Promise<void> {
  const box = (await page.locator('.anymask-viewport').boundingBox())!
  await page.mouse.click(box.x + rect.inside.x + 0.5, box.y + rect.inside.y + 0.5)
}

/** Picture name: the story whose end it shows, and what the visitor does then. */
const PICTURES: Record<string, [string, ((page: Page) => Promise<void>)?]> = {
  'segment-canvas-click': ['react-segmentcanvas--click'],
  // A second layer: Shift-click on the rectangle.
  'segment-canvas-layers': [
    'react-segmentcanvas--click',
    async (page) => {
      await page.keyboard.down('Shift')
      await clickRectangle(page)
      await page.keyboard.up('Shift')
      await page.waitForFunction(() => document.querySelectorAll('.anymask-layers li').length === 2)
    },
  ],
  // The first layer's blue on the blue rectangle: drawn lighter, so the selection stays visible.
  'segment-canvas-contrast': [
    'react-segmentcanvas--click',
    async (page) => {
      await page.keyboard.press('Escape')
      await clickRectangle(page)
      await page.waitForFunction(() => /^Object 1 selected/.test(document.querySelector('.anymask-announcer')?.textContent ?? ''))
    },
  ],
  'segment-canvas-everything': ['react-segmentcanvas--everything'],
}

const site = mkdtempSync(join(tmpdir(), 'anymask-pictures-'))
try {
  execFileSync('npx', ['storybook', 'build', '--output-dir', site, '--quiet'], { cwd: REPO, stdio: 'inherit' })
  const server = await serveFolder(site, { index: true, headers: ISOLATION })
  const browser = await chromium.launch(chromiumWithoutWebGpu)
  mkdirSync(OUT, { recursive: true })
  for (const [name, [id, then]] of Object.entries(PICTURES)) {
    const { status, error, visit } = await playStory(browser, `${server.url}iframe.html?id=${id}&viewMode=story`)
    if (status !== 'success') throw new Error(`${id}: its play function ended '${status}' ${error ?? ''}`)
    await then?.(visit.page)
    await visit.page.mouse.move(0, 0) // no hover preview in the picture
    await visit.page.waitForFunction(() => !document.querySelector('.anymask-root[data-busy]'))
    await visit.page.locator('.anymask-root').screenshot({ path: join(OUT, `${name}.jpg`), type: 'jpeg', quality: 85 })
    await visit.page.context().close()
    console.log(`docs/pictures/${name}.jpg`)
  }
  await browser.close()
  await server.close()
} finally {
  rmSync(site, { recursive: true, force: true })
}
