import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Node tests run the packages from source; the browser tests run the built packages, as users get them.
const fromSource = {
  '@anymask/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
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
    ],
  },
})
