/**
 * `npm run models`: writes our own ONNX models to models/dist and embeds the default one in @anymask/core.
 * `--if-missing` skips the work when every file is there and was built from the current builder sources
 * (the test command uses it). `--embedded` builds only the model embedded in @anymask/core, which is all the
 * packages need (`npm run build`); the benchmark models and replicas (~100 MB) wait for the tests or the bench.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { buildDecoder, buildEncoder, CONTRACTS } from './anymaskLite.js'
import { publicModels } from '../../packages/core/src/publicModels.js'
import {
  BENCH_DIR,
  benchModelPath,
  EMBEDDED_LITE,
  LITE_PREPROCESS_ENCODER,
  LITE_WEBGPU_FAILING_ENCODER,
  liteModelPath,
  REPLICA_VARIANTS,
  replicaPath,
  ROOT,
} from './paths.js'
import { buildReplica, VARIANTS, type PublicModelId, type ReplicaFiles } from './replicas.js'
import { buildSamDecoder } from './samDecoder.js'
import { buildTinyVitEncoder, PUBLISHED_TINYVIT_PARAMETERS } from './tinyVitEncoder.js'
import { TRANSFORMERS_SAM2_FILES, TRANSFORMERS_SAM_FILES } from './transformersFolder.js'

const files = [
  ...CONTRACTS.flatMap((contract) => [
    { path: liteModelPath(contract, 'encoder'), build: () => buildEncoder(contract) },
    { path: liteModelPath(contract, 'decoder'), build: () => buildDecoder(contract) },
  ]),
  // The same sam model with an encoder that preprocesses in-graph (samexporter --use-preprocess), for the tests.
  { path: LITE_PREPROCESS_ENCODER, build: () => buildEncoder('sam', { usePreprocess: true }) },
  // ...and one whose encoder fails on WebGPU only, to test the fallback to WASM.
  { path: LITE_WEBGPU_FAILING_ENCODER, build: () => buildEncoder('sam', { failOnWebGpu: true }) },
  // MobileSAM as published (TinyViT-5M encoder, SAM decoder) with random weights, for the benchmarks.
  ...(['sam', 'hf-sam'] as const).flatMap((contract) => [
    {
      path: benchModelPath(contract, 'encoder'),
      build: () => {
        const { bytes, parameters } = buildTinyVitEncoder(contract)
        console.log(
          `models: MobileSAM encoder, TinyViT-5M (${contract}): ${parameters.toLocaleString('en')} parameters (published ${PUBLISHED_TINYVIT_PARAMETERS / 1e6} M)`,
        )
        return bytes
      },
    },
    {
      path: benchModelPath(contract, 'decoder'),
      build: () => {
        const { bytes, maskDecoderParameters, promptEncoderParameters } = buildSamDecoder(contract)
        console.log(
          `models: SAM decoder (${contract}): mask decoder ${maskDecoderParameters.toLocaleString('en')} parameters (published 4.06 M), prompt encoder ${promptEncoderParameters.toLocaleString('en')}`,
        )
        return bytes
      },
    },
  ]),
  // ...the hf-sam ones in a transformers.js model folder.
  ...Object.entries(TRANSFORMERS_SAM_FILES).map(([name, json]) => ({
    path: join(BENCH_DIR, 'hf-sam', name),
    build: () => new TextEncoder().encode(JSON.stringify(json, null, 2)),
  })),
]

// Replicas of every public registry entry at the registry's own addresses (hub layout), with transformers.js's
// configuration files beside the transformers.js exports; built once per entry, written file by file.
const replicaCache = new Map<PublicModelId, ReplicaFiles>()
const replicaOf = (id: PublicModelId) => {
  if (!replicaCache.has(id)) replicaCache.set(id, buildReplica(id, publicModels[id]))
  return replicaCache.get(id)!
}
const json = (value: object) => new TextEncoder().encode(JSON.stringify(value, null, 2))
for (const [id, spec] of Object.entries(publicModels) as [PublicModelId, (typeof publicModels)[PublicModelId]][]) {
  for (const part of ['encoder', 'decoder', 'encoderData', 'decoderData'] as const) {
    const url = (spec as { [k in typeof part]?: string })[part]
    if (url) files.push({ path: replicaPath(url), build: () => replicaOf(id)[part]! })
  }
  const folder = spec.encoder.replace(/onnx\/[^/]+$/, '')
  const configs = spec.contract === 'hf-sam' ? TRANSFORMERS_SAM_FILES : spec.contract === 'hf-sam2' ? TRANSFORMERS_SAM2_FILES : {}
  for (const [name, value] of Object.entries(configs)) files.push({ path: replicaPath(`${folder}${name}`), build: () => json(value) })
}
for (const [name, build] of Object.entries(VARIANTS)) {
  let built: ReplicaFiles | undefined
  for (const part of ['encoder', 'decoder'] as const) files.push({ path: join(REPLICA_VARIANTS, name, `${part}.onnx`), build: () => (built ??= build())[part] })
}

const sourcesDir = join(ROOT, 'models', 'src')
const sourcesHash = createHash('sha256')
for (const name of readdirSync(sourcesDir).sort()) sourcesHash.update(name).update(readFileSync(join(sourcesDir, name)))
// The replicas live at the registry's addresses.
sourcesHash.update(readFileSync(join(ROOT, 'packages', 'core', 'src', 'publicModels.ts')))
const stamp = join(ROOT, 'models', 'dist', 'sources.sha256')
const digest = sourcesHash.digest('hex')
const upToDate = [...files.map((f) => f.path), EMBEDDED_LITE, stamp].every((p) => existsSync(p)) && readFileSync(stamp, 'utf8') === digest

/** Writes anymask-lite (sam contract) into @anymask/core as base64, stamped with the sources it was built from. */
function writeEmbedded(encoder: Uint8Array, decoder: Uint8Array) {
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
  writeFileSync(
    EMBEDDED_LITE,
    [
      '// Generated by `npm run models` (models/src/buildAll.ts). Do not edit.',
      '// anymask-lite in the `sam` contract, embedded so the default model works offline with no files to serve.',
      `// sources ${digest}`,
      `export const LITE_ENCODER_BASE64 = '${base64(encoder)}'`,
      `export const LITE_DECODER_BASE64 = '${base64(decoder)}'`,
      '',
    ].join('\n'),
  )
  console.log(`models: ${EMBEDDED_LITE.slice(ROOT.length + 1)}`)
}

if (process.argv.includes('--embedded')) {
  if (existsSync(EMBEDDED_LITE) && readFileSync(EMBEDDED_LITE, 'utf8').includes(`// sources ${digest}`)) console.log('models: embedded model up to date')
  else writeEmbedded(buildEncoder('sam'), buildDecoder('sam'))
} else if (process.argv.includes('--if-missing') && upToDate) {
  console.log('models: up to date')
} else {
  const bytes = new Map<string, Uint8Array>()
  for (const file of files) {
    const data = file.build()
    bytes.set(file.path, data)
    mkdirSync(dirname(file.path), { recursive: true })
    writeFileSync(file.path, data)
    console.log(`models: ${file.path.slice(ROOT.length + 1)} (${data.length} bytes)`)
  }
  writeEmbedded(bytes.get(liteModelPath('sam', 'encoder'))!, bytes.get(liteModelPath('sam', 'decoder'))!)
  writeFileSync(stamp, digest)
}
