import { fileURLToPath } from 'node:url'
import { playwright } from '@vitest/browser-playwright'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { configDefaults, defineConfig } from 'vitest/config'
import type { BrowserCommand } from 'vitest/node'
import { faultyServerUrl, grabcutPhoto, nodeSegment } from './test/browser/commands.js'
import { chromiumLaunch, chromiumWithoutWebGpu } from './test/support/chromium.js'
import { serveImglyData } from './test/support/imglyData.js'

// Node tests run the packages from source; the browser tests run the built packages, as users get them.
const fromSource = {
  '@anymask/core/mask': fileURLToPath(new URL('./packages/core/src/mask.ts', import.meta.url)),
  '@anymask/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
  '@anymask/edit': fileURLToPath(new URL('./packages/edit/src/index.ts', import.meta.url)),
  '@anymask/react': fileURLToPath(new URL('./packages/react/src/index.ts', import.meta.url)),
  '@anymask/imgly': fileURLToPath(new URL('./packages/imgly/src/index.ts', import.meta.url)),
}

/** Cross-origin isolation, so onnxruntime-web may use WASM threads. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

/** Headless Chromium for a browser project, with the Node-side commands its tests call. */
// biome-ignore lint/suspicious/noExplicitAny: vitest types commands by their own arguments
const inChromium = (commands: Record<string, BrowserCommand<any>>) => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: chromiumLaunch }),
  instances: [{ browser: 'chromium' as const }],
  commands,
})

/**
 * The order the projects run in (`sequence.groupOrder`: a group starts when the one before it has ended). On CI's two
 * cores, three projects side by side (node, browser, storybook, each with model runs on several threads) starved
 * each other: a local download went 30 s without a byte, a worker's start took minutes. So the two longest run side
 * by side, then the stories, and what keeps both cores busy for minutes (production builds, ISNet) runs alone.
 */
const GROUP = { nodeAndBrowser: 0, stories: 1, consumer: 2, imgly: 3, imglyStory: 4 }

/** The folder of stories/ whose stories run IMG.LY's ISNet: a project of their own. */
const ISNET_STORIES = 'imgly'

/** Stories as tests in Chromium (without WebGPU), all but those `exclude` names. */
const storybookProject = ({ name, exclude, groupOrder }: { name: string; exclude: string[]; groupOrder: number }) => ({
  plugins: [storybookTest({ configDir: fileURLToPath(new URL('./.storybook', import.meta.url)) })],
  server: { headers: isolation },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  test: {
    name,
    exclude: [...configDefaults.exclude, ...exclude],
    sequence: { groupOrder },
    testTimeout: 180_000,
    hookTimeout: 120_000,
    setupFiles: ['.storybook/vitest.setup.ts'],
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: chromiumWithoutWebGpu }),
      instances: [{ browser: 'chromium' as const }],
    },
  },
})

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: fromSource },
        test: {
          name: 'node',
          sequence: { groupOrder: GROUP.nodeAndBrowser },
          include: ['packages/*/test/**/*.test.{ts,tsx}', 'models/test/**/*.test.ts', 'test/node/**/*.test.ts', 'test/reliability/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        server: { headers: isolation },
        // onnxruntime-web finds its .wasm next to its own module: serve it as it is, not pre-bundled. React is
        // pre-bundled up front: found later, it would make Vite reload the page in the middle of a test.
        optimizeDeps: { exclude: ['onnxruntime-web'], include: ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-dom/client'] },
        test: {
          name: 'browser',
          sequence: { groupOrder: GROUP.nodeAndBrowser },
          include: ['test/browser/**/*.test.{ts,tsx}', 'test/reliability/browser/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/browser/imgly.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // expect.poll waits 1 s by default: a decode on a loaded machine (CI) takes seconds.
          expect: { poll: { timeout: 30_000 } },
          browser: inChromium({ nodeSegment, faultyServerUrl }),
        },
      },
      {
        // @anymask/imgly with IMG.LY's real ISNet: minutes of both cores (and of the page's thread, which test files
        // in one browser share), so it runs alone rather than starve the other projects' timers (GROUP).
        server: { headers: isolation },
        plugins: [serveImglyData()],
        optimizeDeps: { exclude: ['onnxruntime-web'] },
        test: {
          name: 'imgly',
          sequence: { groupOrder: GROUP.imgly },
          include: ['test/browser/imgly.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          browser: inChromium({ grabcutPhoto }),
        },
      },
      storybookProject({
        // Every story in stories/ as a test in Chromium: renders without console errors, play functions pass.
        name: 'storybook',
        exclude: [`stories/${ISNET_STORIES}/**`],
        groupOrder: GROUP.stories,
      }),
      storybookProject({
        // The story that runs IMG.LY's ISNet (minutes of both cores), alone like the imgly project.
        name: 'storybook-imgly',
        exclude: [`stories/!(${ISNET_STORIES})/**`, 'stories/*.*'],
        groupOrder: GROUP.imglyStory,
      }),
      {
        // The release path (test/consumer): packed tarballs installed into apps outside the repo, production
        // builds driven in Chromium.
        test: {
          name: 'consumer',
          include: ['test/consumer/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/consumer/globalSetup.ts'],
          sequence: { groupOrder: GROUP.consumer },
          testTimeout: 180_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
})
