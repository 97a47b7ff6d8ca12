import { defineConfig } from 'tsup'

// One build config for every package: run from the package folder (`tsup --config ../../tsup.config.ts`).
// Each package lists its entry points in package.json "anymask.entry" (default: src/index.ts).
import { readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { anymask?: { entry?: string[]; clientComponents?: boolean } }

export default defineConfig({
  entry: pkg.anymask?.entry ?? ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // import.meta.url is used to locate the worker; tsup shims it in the CJS build.
  shims: true,
  target: 'es2022',
  // Rollup's extra tree-shaking pass would drop the 'use client' directive; esbuild's own is enough there.
  treeshake: !pkg.anymask?.clientComponents,
  // Entries share their modules in both formats, so that AnymaskError is one class for every entry (instanceof).
  splitting: true,
  // React packages mark their modules as client code, so that a Next.js server component can render them directly.
  banner: pkg.anymask?.clientComponents ? { js: "'use client'" } : undefined,
})
