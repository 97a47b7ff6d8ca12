import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// Cross-origin isolation lets onnxruntime-web run WASM on several threads (README, "Bundlers").
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation },
  // WASM_ONLY=1 builds what README's "Ship only the WASM build" says: no WebGPU, half the .wasm.
  resolve: process.env.WASM_ONLY ? { alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/wasm' }] } : {},
  build: { outDir: process.env.OUT_DIR ?? 'dist' },
})
