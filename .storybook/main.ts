import type { StorybookConfig } from '@storybook/react-vite'

/** Cross-origin isolation lets onnxruntime-web use WASM threads. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(config) {
    config.server = { ...config.server, headers: { ...config.server?.headers, ...isolation } }
    config.preview = { ...config.preview, headers: { ...config.preview?.headers, ...isolation } }
    // onnxruntime-web finds its .wasm next to its own module: serve it as it is, not pre-bundled.
    config.optimizeDeps = { ...config.optimizeDeps, exclude: [...(config.optimizeDeps?.exclude ?? []), 'onnxruntime-web'] }
    return config
  },
}
export default config
