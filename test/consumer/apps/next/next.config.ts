import type { NextConfig } from 'next'

// Cross-origin isolation lets onnxruntime-web run WASM on several threads (README, "Bundlers").
const isolation = [
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
]

const config: NextConfig = {
  headers: async () => [{ source: '/:path*', headers: isolation }],
  // The app is installed on its own, outside any workspace: its folder is the root.
  turbopack: { root: __dirname },
  outputFileTracingRoot: __dirname,
}

export default config
