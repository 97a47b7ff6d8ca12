import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import type { ExternalDataSource, ModelFile, ModelSource, ModelSpec, ProgressEvent } from './types.js'

const CACHE_NAME = 'anymask-models-v1'

export interface LoadFileOptions {
  /** Which file, for messages and progress: 'encoder' | 'decoder'. */
  file: string
  modelId: string
  sha256?: string
  expectedBytes?: number
  onProgress?: (e: ProgressEvent) => void
  signal?: AbortSignal
}

/**
 * The bytes of one model file. URLs are fetched with progress and kept in Cache Storage where the platform has it,
 * so a second load reads no network; a sha256, when known, is checked whatever the source.
 *
 * @example
 * const bytes = await loadModelFile('https://example.com/decoder.onnx', { file: 'decoder', modelId: 'x' })
 */
export async function loadModelFile(source: ModelSource, options: LoadFileOptions): Promise<Uint8Array> {
  throwIfAborted(options.signal, `Loading the ${options.file} of "${options.modelId}"`)
  let bytes: Uint8Array
  if (typeof source !== 'string') {
    bytes = source instanceof Uint8Array ? source : new Uint8Array(source)
  } else if (source.startsWith('data:')) {
    bytes = decodeDataUrl(source)
  } else {
    const cached = await readCache(source)
    if (cached && (!options.sha256 || (await sha256Hex(cached)) === options.sha256.toLowerCase())) {
      options.onProgress?.({ status: 'download', file: options.file, loaded: cached.length, total: cached.length })
      return cached
    }
    bytes = await download(source, options)
    await writeCache(source, bytes)
  }
  if (options.sha256) {
    const actual = await sha256Hex(bytes)
    if (actual !== options.sha256.toLowerCase()) {
      throw new AnymaskError(
        'INTEGRITY_MISMATCH',
        `The ${options.file} of "${options.modelId}" has sha256 ${actual}, expected ${options.sha256}. ` +
          'The file is corrupt, truncated or a different version: check its URL, or update the sha256 in the ModelSpec.',
      )
    }
  }
  options.onProgress?.({ status: 'download', file: options.file, loaded: bytes.length, total: bytes.length })
  return bytes
}

/** External weights as onnxruntime takes them: the file name the graph refers to, and the bytes. */
export interface ExternalData {
  path: string
  data: Uint8Array
}

/** Every file of a model, as bytes. */
export interface ModelBytes {
  encoder: Uint8Array
  decoder: Uint8Array
  encoderData?: ExternalData
  decoderData?: ExternalData
}

/** The file name at the end of a URL's path: the name a graph gives its external data. */
const fileName = (url: string) => decodeURIComponent(url.split(/[?#]/)[0].split('/').pop() ?? '')

/**
 * Loads every file of `spec` at once (graphs and external weights), each with its own progress, cache and sha256.
 *
 * @example
 * const { encoder, decoder } = await loadModelFiles(models.mobilesam, { onProgress: console.log })
 */
export async function loadModelFiles(
  spec: ModelSpec,
  options: Pick<LoadFileOptions, 'onProgress' | 'signal'> = {},
): Promise<ModelBytes> {
  const load = (file: ModelFile, source: ModelSource) =>
    loadModelFile(source, { ...options, file, modelId: spec.id, sha256: spec.sha256?.[file], expectedBytes: spec.bytes?.[file] })
  const external = async (file: 'encoderData' | 'decoderData', source?: ExternalDataSource): Promise<ExternalData | undefined> => {
    if (source === undefined) return undefined
    if (typeof source === 'string') return { path: fileName(source), data: await load(file, source) }
    return { path: source.path, data: await load(file, source.data) }
  }
  const [encoder, decoder, encoderData, decoderData] = await Promise.all([
    load('encoder', spec.encoder),
    load('decoder', spec.decoder),
    external('encoderData', spec.encoderData),
    external('decoderData', spec.decoderData),
  ])
  return { encoder, decoder, encoderData, decoderData }
}

function decodeDataUrl(url: string): Uint8Array {
  const comma = url.indexOf(',')
  const meta = url.slice(5, comma)
  const payload = url.slice(comma + 1)
  if (!meta.endsWith(';base64')) return new TextEncoder().encode(decodeURIComponent(payload))
  const binary = atob(payload)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

async function download(url: string, options: LoadFileOptions): Promise<Uint8Array> {
  const what = `the ${options.file} of "${options.modelId}" from ${url}`
  let response: Response
  try {
    response = await fetch(url, { signal: options.signal })
  } catch (cause) {
    throwIfAborted(options.signal, `Downloading ${what}`)
    throw new AnymaskError(
      'MODEL_LOAD_FAILED',
      `Could not download ${what}: ${String(cause)}. Check the address and your network (and CORS, for another origin).`,
      { cause },
    )
  }
  if (!response.ok) {
    throw new AnymaskError(
      'MODEL_LOAD_FAILED',
      `Could not download ${what}: HTTP ${response.status} ${response.statusText}. Check that the address is right.`,
    )
  }
  const total = Number(response.headers.get('content-length')) || options.expectedBytes || 0
  if (!response.body) return new Uint8Array(await response.arrayBuffer())
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let loaded = 0
  options.onProgress?.({ status: 'download', file: options.file, loaded, total })
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    loaded += value.length
    options.onProgress?.({ status: 'download', file: options.file, loaded, total: Math.max(total, loaded) })
  }
  const bytes = new Uint8Array(loaded)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return bytes
}

const hasCacheStorage = () => typeof caches !== 'undefined'

async function readCache(url: string): Promise<Uint8Array | undefined> {
  if (!hasCacheStorage()) return undefined
  try {
    const hit = await (await caches.open(CACHE_NAME)).match(url)
    return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined
  } catch {
    return undefined // a cache that cannot be read (private mode, quota) is no cache
  }
}

async function writeCache(url: string, bytes: Uint8Array): Promise<void> {
  if (!hasCacheStorage()) return
  try {
    await (await caches.open(CACHE_NAME)).put(url, new Response(bytes.slice().buffer as ArrayBuffer))
  } catch {
    // Storage full or unavailable: the model still works, it is just downloaded again next time.
  }
}

/** Hex sha256 of `bytes` with Web Crypto (browsers, workers and Node 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}
