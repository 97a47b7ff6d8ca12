import { fileURLToPath } from 'node:url'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { nodeSegment } from './test/browser/commands.js'

// Node tests run the packages from source; the browser tests run the built packages, as users get them.
const fromSource = {
  '@anymask/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
  '@anymask/edit': fileURLToPath(new URL('./packages/edit/src/index.ts', import.meta.url)),
}

/** Debian's Chromium, headless, offline, with WebGPU on its software adapter. */
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-webgpu',
  ],
}

/** Cross-origin isolation, so onnxruntime-web may use WASM threads. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: fromSource },
        test: {
          name: 'node',
          include: ['packages/*/test/**/*.test.ts', 'models/test/**/*.test.ts', 'test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        server: { headers: isolation },
        // onnxruntime-web finds its .wasm next to its own module: serve it as it is, not pre-bundled.
        optimizeDeps: { exclude: ['onnxruntime-web'] },
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunch }),
            instances: [{ browser: 'chromium' }],
            commands: { nodeSegment },
          },
        },
      },
    ],
  },
})
