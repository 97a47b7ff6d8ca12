import type { StorybookConfig } from '@storybook/react-vite'

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  framework: { name: '@storybook/react-vite', options: {} },
  // Cross-origin isolation (COOP/COEP on every page) lets onnxruntime-web use WASM threads.
  core: { disableTelemetry: true, disableWhatsNewNotifications: true, crossOriginIsolated: true },
  async viteFinal(config) {
    // onnxruntime-web finds its .wasm next to its own module: serve it as it is, not pre-bundled.
    config.optimizeDeps = { ...config.optimizeDeps, exclude: [...(config.optimizeDeps?.exclude ?? []), 'onnxruntime-web'] }
    return config
  },
}
export default config
