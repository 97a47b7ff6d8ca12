import { defineConfig } from 'vite'

// Cross-origin isolation lets onnxruntime-web run WASM on several threads (README, "Bundlers").
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

export default defineConfig({
  server: { headers: isolation },
  preview: { headers: isolation },
})
