/**
 * `npm run verify:models [-- ids...] [--local DIR | --mirror URL] [--replicas]`: checks every public registry entry
 * against its files. For maintainers with network: run it when an entry is added or changed, and before a release.
 *
 * For each entry: downloads each file from its registry address (or reads it from DIR / URL, laid out as the hub
 * serves it: `<owner>/<repo>/resolve/<revision>/<path>`), checks its size and sha256 against the registry, reads the
 * sessions' input and output names and shapes, loads the model through @anymask/core (the contract's check), compares
 * what its decoder can take with the registry's `prompts`, and runs a smoke decode. Prints a table; exits 1 if any
 * check failed. `--replicas` marks the files as our replicas (models/dist/replicas): sizes and sha256 are shown but
 * cannot match the published files, so they do not fail the run.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as ort from 'onnxruntime-web'
import { createSegmenter, loadModelFiles, mirrorModel, models, type ModelFile, type ModelSpec } from '../packages/core/src/index.js'
import { sha256Hex } from '../packages/core/src/loadModel.js'

const FILES: ModelFile[] = ['encoder', 'decoder', 'encoderData', 'decoderData']
const HUB = 'https://huggingface.co/'

export interface VerifyOptions {
  /** Registry ids to check (default: every public entry). */
  ids?: string[]
  /** Read the files from this folder, in the hub's layout, instead of downloading them. */
  local?: string
  /** Download from this server, in the hub's layout, instead of the hub. */
  mirror?: string
  /** The files are replicas: integrity is reported, not required. */
  replicas?: boolean
}

export interface FileCheck {
  file: ModelFile
  bytes: number
  expectedBytes?: number
  sha256: string
  expectedSha256?: string
}

export interface EntryCheck {
  id: string
  contract: string
  files: FileCheck[]
  /** name: [dims] type, per session. */
  io: Record<'encoder' | 'decoder', { inputs: string[]; outputs: string[] }>
  /** What the loaded decoder can take, and whether it is what the registry says. */
  prompts?: string
  promptsMatch: boolean
  /** The smoke decode: masks, best score and milliseconds. */
  smoke?: string
  error?: string
  ok: boolean
}

const describeSession = (session: ort.InferenceSession) => {
  const meta = (m: ort.InferenceSession.ValueMetadata) => (m.isTensor ? `${m.name} [${m.shape.join(', ')}] ${m.type}` : m.name)
  return { inputs: session.inputMetadata.map(meta), outputs: session.outputMetadata.map(meta) }
}

const promptText = (p: ModelSpec['prompts']) =>
  p
    ? `points${p.box ? ', box' : ''}${p.mask ? ', mask' : ''}; ${p.candidates} candidate${p.candidates > 1 ? 's' : ''}${p.singleMask ? ' + single answer' : ''}`
    : 'not given'

/** The spec whose files come from where the options say, as bytes (integrity is checked here, not by the loader). */
function sourced(spec: ModelSpec, options: VerifyOptions): ModelSpec {
  const bare = { ...spec, sha256: undefined }
  if (options.mirror) return mirrorModel(bare, options.mirror)
  if (!options.local) return bare
  const read = (url: unknown) => (typeof url === 'string' && url.startsWith(HUB) ? readFileSync(join(options.local!, url.slice(HUB.length))) : url)
  const path = (url: unknown) => (typeof url === 'string' ? { path: url.split('/').pop()!, data: read(url) as Uint8Array } : undefined)
  return {
    ...bare,
    encoder: read(spec.encoder) as Uint8Array,
    decoder: read(spec.decoder) as Uint8Array,
    encoderData: path(spec.encoderData),
    decoderData: path(spec.decoderData),
  }
}

async function verifyEntry(spec: ModelSpec, options: VerifyOptions): Promise<EntryCheck> {
  const check: EntryCheck = {
    id: spec.id,
    contract: spec.contract,
    files: [],
    io: { encoder: { inputs: [], outputs: [] }, decoder: { inputs: [], outputs: [] } },
    promptsMatch: false,
    ok: false,
  }
  try {
    const source = sourced(spec, options)
    const bytes = await loadModelFiles(source)
    for (const file of FILES) {
      const data = file === 'encoder' || file === 'decoder' ? bytes[file] : bytes[file]?.data
      if (!data) continue
      check.files.push({ file, bytes: data.length, expectedBytes: spec.bytes?.[file], sha256: await sha256Hex(data), expectedSha256: spec.sha256?.[file] })
    }
    for (const part of ['encoder', 'decoder'] as const) {
      const external = bytes[`${part}Data`]
      const session = await ort.InferenceSession.create(bytes[part], external ? { externalData: [external] } : {})
      check.io[part] = describeSession(session)
      await session.release()
    }
    const segmenter = await createSegmenter({ model: source, device: 'wasm' })
    check.prompts = promptText(segmenter.prompts)
    check.promptsMatch = JSON.stringify(segmenter.prompts) === JSON.stringify(spec.prompts)
    const image = { width: 640, height: 480, data: new Uint8ClampedArray(640 * 480 * 4).fill(128) }
    const session = await segmenter.encode(image)
    const start = performance.now()
    const result = await session.decode({ points: [{ x: 320, y: 240, label: 1 }] })
    const ms = performance.now() - start
    const sane = result.masks.length >= 1 && result.scores.every(Number.isFinite) && result.masks.every((m) => m.width === 640 && m.height === 480)
    check.smoke = `${sane ? 'ok' : 'BAD'}: ${result.masks.length} mask(s), best score ${result.scores[result.best]?.toFixed(3)}, ${ms.toFixed(0)} ms`
    await segmenter.dispose()
    const integrity = check.files.every((f) => f.bytes === f.expectedBytes && f.sha256 === f.expectedSha256)
    check.ok = sane && check.promptsMatch && (options.replicas || integrity)
  } catch (error) {
    check.error = error instanceof Error ? error.message : String(error)
  }
  return check
}

/** Checks the entries and returns one row each. */
export async function verifyModels(options: VerifyOptions = {}): Promise<EntryCheck[]> {
  const ids = options.ids?.length ? options.ids : Object.keys(models).filter((id) => id !== 'anymask-lite')
  const checks: EntryCheck[] = []
  for (const id of ids) {
    const spec = (models as Record<string, ModelSpec>)[id]
    if (!spec) {
      checks.push({
        id,
        contract: '?',
        files: [],
        io: { encoder: { inputs: [], outputs: [] }, decoder: { inputs: [], outputs: [] } },
        promptsMatch: false,
        ok: false,
        error: `unknown registry id (known: ${Object.keys(models).join(', ')})`,
      })
      continue
    }
    checks.push(await verifyEntry(spec, options))
  }
  return checks
}

/** The checks as Markdown tables: files, then models. */
export function renderChecks(checks: EntryCheck[], { replicas = false } = {}): string {
  const mark = (ok: boolean) => (ok ? 'ok' : replicas ? 'differs (replica)' : 'MISMATCH')
  const files = checks.flatMap((c) =>
    c.files.map(
      (f) =>
        `| ${c.id} | ${f.file} | ${f.bytes.toLocaleString('en')} (registry ${f.expectedBytes?.toLocaleString('en') ?? 'none'}): ${mark(f.bytes === f.expectedBytes)} | ${f.sha256.slice(0, 12)}… ${f.expectedSha256 ? mark(f.sha256 === f.expectedSha256) : 'none published'} |`,
    ),
  )
  const rows = checks.map((c) => {
    const io = (part: 'encoder' | 'decoder') => `${c.io[part].inputs.join('; ')} → ${c.io[part].outputs.join('; ')}`
    return `| ${c.id} | ${c.contract} | ${io('encoder')} | ${io('decoder')} | ${c.prompts ?? '-'}${c.prompts ? (c.promptsMatch ? ' (= registry)' : ' (registry says otherwise)') : ''} | ${c.error ? `FAILED: ${c.error}` : c.smoke} | ${c.ok ? 'ok' : 'FAIL'} |`
  })
  return [
    '| id | file | bytes | sha256 |',
    '|---|---|---|---|',
    ...files,
    '',
    '| id | contract | encoder IO | decoder IO | prompts read from the decoder | smoke decode | result |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n')
}

function parseArgs(argv: string[]): VerifyOptions {
  const options: VerifyOptions = { ids: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--local') options.local = argv[++i]
    else if (arg === '--mirror') options.mirror = argv[++i]
    else if (arg === '--replicas') options.replicas = true
    else if (arg.startsWith('--')) throw new Error(`verify:models: unknown option ${arg} (use --local DIR, --mirror URL, --replicas)`)
    else options.ids!.push(arg)
  }
  return options
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = parseArgs(process.argv.slice(2))
  ort.env.logLevel = 'error'
  const checks = await verifyModels(options)
  console.log(renderChecks(checks, options))
  const failed = checks.filter((c) => !c.ok).map((c) => c.id)
  console.log(failed.length ? `\nverify:models: FAILED for ${failed.join(', ')}` : `\nverify:models: all ${checks.length} entries ok`)
  process.exitCode = failed.length ? 1 : 0
}
