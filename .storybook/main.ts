import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { StorybookConfig } from '@storybook/react-vite'

// Real photographs for the demos, read in place from ../shared/data (test data: never copied into the repository).
// Where the folder is absent, stories that need one say so instead.
const photos = fileURLToPath(new URL('../../shared/data/grabcut/images', import.meta.url))
const samPhotos = fileURLToPath(new URL('../../shared/data/sam-examples', import.meta.url))
// IMG.LY's ISNet weights for @anymask/imgly's story, served as plain files (a dev dependency: offline).
const imglyData = fileURLToPath(new URL('../node_modules/@imgly/background-removal-data/dist', import.meta.url))

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  staticDirs: [
    ...(existsSync(photos) ? [{ from: photos, to: '/photos' }] : []),
    ...(existsSync(samPhotos) ? [{ from: samPhotos, to: '/sam-photos' }] : []),
    { from: imglyData, to: '/imgly-data' },
  ],
  framework: { name: '@storybook/react-vite', options: {} },
  addons: ['@storybook/addon-docs'],
  features: { experimentalDocgenServer: true, experimentalReactComponentMeta: true },
  // Cross-origin isolation (COOP/COEP on every page) lets onnxruntime-web use WASM threads.
  core: { disableTelemetry: true, disableWhatsNewNotifications: true, crossOriginIsolated: true },
  async viteFinal(config) {
    // Which photo folders the demos serve, known when they are built: the Playground lists only those (probing for
    // missing files would print 404s in every visitor's console).
    config.define = { ...config.define, __ANYMASK_PHOTOS__: JSON.stringify({ grabcut: existsSync(photos), sam: existsSync(samPhotos) }) }
    // onnxruntime-web finds its .wasm next to its own module: serve it as it is, not pre-bundled.
    config.optimizeDeps = { ...config.optimizeDeps, exclude: [...(config.optimizeDeps?.exclude ?? []), 'onnxruntime-web'] }
    return config
  },
}
export default config
