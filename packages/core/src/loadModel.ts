import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import { AwakeTimer } from './AwakeTimer.js'
import { invalidOption } from './options.js'
import type { ExternalDataSource, ModelFile, ModelSource, ModelSpec, ProgressEvent } from './types.js'

const CACHE_NAME = 'anymask-models-v1'

/** How long a download may go without receiving a byte before it is given up, by default. */
export const DEFAULT_STALL_TIMEOUT = 30_000

export interface LoadFileOptions {
  /** Which file, for messages and progress. */
  file: ModelFile | string
  modelId: string
  sha256?: string
  expectedBytes?: number
  onProgress?: (e: ProgressEvent) => void
  signal?: AbortSignal
  /** Milliseconds without a byte after which a download is asked again from where it stopped, once, then fails (MODEL_LOAD_FAILED). Default 30 s. */
  stallTimeout?: number
}

/** A graph file starts with ModelProto's ir_version (field 1, varint): anything else is not an ONNX model. */
const isGraph = (file: string) => file === 'encoder' || file === 'decoder'
const looksLikeOnnx = (bytes: Uint8Array) => bytes.length > 16 && bytes[0] === 0x08

/**
 * The bytes of one model file. URLs are fetched with progress and stall detection, checked (sha256 when known, else
 * the length the server announced and, for graphs, the ONNX header), and only then kept in Cache Storage where the
 * platform has it, so a second load reads no network; a cached copy that fails the same checks is dropped and
 * fetched again. A sha256, when known, is checked whatever the source.
 *
 * @example
 * const bytes = await loadModelFile('https://example.com/decoder.onnx', { file: 'decoder', modelId: 'x' })
 */
export async function loadModelFile(given: ModelSource, options: LoadFileOptions): Promise<Uint8Array> {
  throwIfAborted(options.signal, `Loading the ${options.file} of "${options.modelId}"`)
  const source = typeof given === 'function' ? await resolveLazy(given, options) : given
  const done = (bytes: Uint8Array) => options.onProgress?.({ status: 'download', file: String(options.file), loaded: bytes.length, total: bytes.length })
  if (typeof source === 'string' && !source.startsWith('data:')) {
    const cached = await readCache(source)
    if (cached && (await verify(cached, options)) === undefined) {
      done(cached)
      return cached
    }
    if (cached) await evictCache([source])
    const bytes = await download(source, options)
    const problem = await verify(bytes, options)
    if (problem) throw problem
    await writeCache(source, bytes)
    done(bytes)
    return bytes
  }
  const bytes = typeof source === 'string' ? decodeDataUrl(source) : source instanceof Uint8Array ? source : new Uint8Array(source)
  const problem = await verify(bytes, options)
  if (problem) throw problem
  done(bytes)
  return bytes
}

/** What a lazy source gives, checked: a failed chunk import is a MODEL_LOAD_FAILED that names the file. */
async function resolveLazy(source: () => Promise<unknown>, options: LoadFileOptions): Promise<string | ArrayBuffer | Uint8Array> {
  let value: unknown
  try {
    value = await source()
  } catch (error) {
    throw new AnymaskError(
      'MODEL_LOAD_FAILED',
      `The ${options.file} of "${options.modelId}" could not be loaded: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    )
  }
  if (typeof value === 'string' || value instanceof ArrayBuffer || value instanceof Uint8Array) return value
  throw invalidOption(
    'createSegmenter',
    `model.${options.file} of "${options.modelId}"`,
    value,
    'a function resolving to a URL, an ArrayBuffer or a Uint8Array',
  )
}

/** The error for bytes that are not the file wanted (sha256, then the ONNX header of a graph), or undefined. */
async function verify(bytes: Uint8Array, options: LoadFileOptions): Promise<AnymaskError | undefined> {
  const what = `The ${options.file} of "${options.modelId}"`
  if (options.sha256) {
    const actual = await sha256Hex(bytes)
    if (actual === options.sha256.toLowerCase()) return undefined
    return new AnymaskError(
      'INTEGRITY_MISMATCH',
      `${what} has sha256 ${actual}, expected ${options.sha256}.${describeBytes(bytes)} ` +
        'The file is corrupt, truncated or a different version: check its URL, or update the sha256 in the ModelSpec.',
    )
  }
  if (isGraph(String(options.file)) && !looksLikeOnnx(bytes)) {
    return new AnymaskError('MODEL_LOAD_FAILED', `${what} is not an ONNX model (${bytes.length} bytes).${describeBytes(bytes) || ' Check its URL.'}`)
  }
  return undefined
}

/** What bytes that should be a model look like instead, for messages ('' when nothing stands out). */
export function describeBytes(bytes: Uint8Array): string {
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart()
  if (head.startsWith('version https://git-lfs')) return ' The file is a Git LFS pointer, not the model: fetch the real file.'
  if (head.startsWith('<')) return ' The file looks like HTML (an error page?), not an ONNX model: check its URL.'
  if (bytes.length < 64) return ` The file has only ${bytes.length} bytes.`
  return ''
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
export async function loadModelFiles(spec: ModelSpec, options: Pick<LoadFileOptions, 'onProgress' | 'signal' | 'stallTimeout'> = {}): Promise<ModelBytes> {
  const isSource = (s: unknown) => typeof s === 'string' || s instanceof ArrayBuffer || s instanceof Uint8Array || typeof s === 'function'
  if (!spec || typeof spec.id !== 'string')
    throw invalidOption('createSegmenter', 'options.model', spec, 'a registry id or a ModelSpec { id, contract, encoder, decoder }')
  for (const file of ['encoder', 'decoder'] as const) {
    if (!isSource(spec[file]))
      throw invalidOption('createSegmenter', `model.${file} of "${spec.id}"`, spec[file], 'a URL, an ArrayBuffer, a Uint8Array or a function that loads one')
  }
  const load = (file: ModelFile, source: ModelSource) =>
    loadModelFile(source, { ...options, file, modelId: spec.id, sha256: spec.sha256?.[file], expectedBytes: spec.bytes?.[file] })
  const external = async (file: 'encoderData' | 'decoderData', source?: ExternalDataSource): Promise<ExternalData | undefined> => {
    if (source === undefined) return undefined
    if (typeof source === 'string') return { path: fileName(source), data: await load(file, source) }
    if (!source || typeof source.path !== 'string') {
      throw new AnymaskError('INVALID_OPTION', `The ${file} of "${spec.id}" must be a URL, or { path, data } with the file name its graph refers to.`)
    }
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

/** A download that stalls is tried again this many times, from the byte where it stopped where the server allows. */
const STALL_RETRIES = 1

/** What a download has received so far, across its requests. */
interface Received {
  chunks: Uint8Array[]
  loaded: number
  /** The whole file's length as the first response announced it (0 when unknown, or compressed on the wire). */
  size: number
}

async function download(url: string, options: LoadFileOptions): Promise<Uint8Array> {
  const what = `the ${options.file} of "${options.modelId}" from ${url}`
  const received: Received = { chunks: [], loaded: 0, size: 0 }
  for (let attempt = 0; ; attempt++) {
    try {
      await request(url, what, received, options)
      break
    } catch (error) {
      if (!(error instanceof StallError)) throw error
      if (attempt === STALL_RETRIES) {
        throw new AnymaskError(
          'MODEL_LOAD_FAILED',
          `Downloading ${what} stalled: no data for ${error.seconds} s, ${attempt + 1} times. Check your network, or raise stallTimeout.`,
          { cause: error },
        )
      }
    }
  }
  const bytes = concat(received.chunks)
  if (received.size && bytes.length !== received.size) {
    throw new AnymaskError('MODEL_LOAD_FAILED', `Downloading ${what} ended after ${bytes.length} of ${received.size} bytes: the connection broke. Try again.`)
  }
  return bytes
}

/** A request that received no byte for stallTimeout. */
class StallError extends Error {
  constructor(readonly seconds: number) {
    super(`no data for ${seconds} s`)
  }
}

/**
 * One request for the rest of the file, appending to `received`. After a stall it asks for the bytes from where it
 * stopped (`Range`, CORS-safelisted in that form); a server that answers with the whole file, or with a range it
 * does not show to match (`Content-Range` is hidden cross-origin unless exposed), starts the file over.
 */
async function request(url: string, what: string, received: Received, options: LoadFileOptions): Promise<void> {
  const stallTimeout = options.stallTimeout ?? DEFAULT_STALL_TIMEOUT
  // One controller for the caller's signal and the stall timer, restarted by every chunk that arrives.
  const controller = new AbortController()
  const stop = () => controller.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', stop, { once: true })
  let stalled = false
  const stall = new AwakeTimer(stallTimeout, () => ((stalled = true), controller.abort()))
  const failed = (cause: unknown) => {
    throwIfAborted(options.signal, `Downloading ${what}`)
    if (stalled) return new StallError(stallTimeout / 1000)
    return new AnymaskError(
      'MODEL_LOAD_FAILED',
      `Could not download ${what}: ${String(cause)}. Check the address and your network (and CORS, for another origin).`,
      { cause },
    )
  }
  try {
    stall.restart()
    const resumeFrom = received.size ? received.loaded : 0
    let response: Response
    try {
      response = await fetch(url, { signal: controller.signal, headers: resumeFrom ? { range: `bytes=${resumeFrom}-` } : undefined })
    } catch (cause) {
      throw failed(cause)
    }
    if (!response.ok) {
      response.body?.cancel().catch(() => {}) // unread, it would hold the connection until collected
      throw new AnymaskError(
        'MODEL_LOAD_FAILED',
        `Could not download ${what}: HTTP ${response.status} ${response.statusText}. Check that the address is right.`,
      )
    }
    const resumed =
      resumeFrom > 0 && response.status === 206 && response.headers.get('content-range') === `bytes ${resumeFrom}-${received.size - 1}/${received.size}`
    if (resumeFrom > 0 && response.status === 206 && !resumed) {
      // Part of the file, but which part it does not show: ask for the whole file instead.
      response.body?.cancel().catch(() => {})
      stall.stop()
      received.size = 0
      return await request(url, what, received, options)
    }
    if (!resumed) {
      received.chunks = []
      received.loaded = 0
      // Content-Length counts the bytes on the wire: only comparable with the body when it is not compressed.
      received.size = response.headers.get('content-encoding') ? 0 : Number(response.headers.get('content-length')) || 0
    }
    const total = () => Math.max(received.size || options.expectedBytes || 0, received.loaded)
    options.onProgress?.({ status: 'download', file: String(options.file), loaded: received.loaded, total: total() })
    try {
      if (!response.body) {
        const bytes = new Uint8Array(await response.arrayBuffer())
        received.chunks.push(bytes)
        received.loaded += bytes.length
        return
      }
      const reader = response.body.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        stall.restart()
        received.chunks.push(value)
        received.loaded += value.length
        options.onProgress?.({ status: 'download', file: String(options.file), loaded: received.loaded, total: total() })
      }
    } catch (cause) {
      throw failed(cause)
    }
  } finally {
    stall.stop()
    options.signal?.removeEventListener('abort', stop)
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
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

/** Whether Cache Storage holds a copy of `url`. */
export async function isCached(url: string): Promise<boolean> {
  if (!hasCacheStorage()) return false
  try {
    return (await (await caches.open(CACHE_NAME)).match(url)) !== undefined
  } catch {
    return false
  }
}

/** Drops cached copies of these addresses (a copy that would not load), so the next load fetches them again. */
export async function evictCache(urls: readonly string[]): Promise<void> {
  if (!hasCacheStorage() || urls.length === 0) return
  try {
    const cache = await caches.open(CACHE_NAME)
    await Promise.all(urls.map((url) => cache.delete(url)))
  } catch {
    // No cache to clean.
  }
}

/** Hex sha256 of `bytes` with Web Crypto (browsers, workers and Node 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}
