import {
  AnymaskError,
  checkOptions,
  createMask,
  invalidOption,
  optionalBoolean,
  optionalChoice,
  toRgbaImage,
  type ImageInput,
  type Mask,
  type ProgressEvent,
} from '@anymask/core'
import type { Config } from '@imgly/background-removal'

/** The ISNet weights of @imgly/background-removal-data 1.4.5: 16-bit floats (88 MB) or 8-bit integers (44 MB). */
export type SubjectModel = 'isnet_fp16' | 'isnet_quint8'

/** The data package's own names for them (its `resources.json` keys `/models/medium` and `/models/small`). */
const DATA_MODEL: Record<SubjectModel, 'medium' | 'small'> = { isnet_fp16: 'medium', isnet_quint8: 'small' }

/** Where IMG.LY serves the data files of the version we wrap (its own default). */
export const IMGLY_CDN = 'https://staticimgly.com/@imgly/background-removal-data/1.4.5/dist/'

export interface SubjectOptions {
  /**
   * Where the `dist/` folder of `@imgly/background-removal-data@1.4.5` is served (its `resources.json` and the
   * chunk files it lists), absolute or relative to the page. Default: IMG.LY's CDN. Self-host it by copying
   * `node_modules/@imgly/background-removal-data/dist/` to your static files.
   */
  publicPath?: string
  /** `'isnet_fp16'` (default, 88 MB) or `'isnet_quint8'` (44 MB, a little coarser). */
  model?: SubjectModel
  /** `'auto'` or `'wasm'`: @imgly/background-removal 1.4.5 runs ISNet on WASM only. */
  device?: 'auto' | 'wasm' | 'webgpu'
  /** Run inference in onnxruntime's proxy worker, off the page thread (default true). */
  worker?: boolean
  /** Download bytes per data file (`status: 'download'`), then `'encode'` while the network runs and `'ready'`. */
  onProgress?: (event: ProgressEvent) => void
  /** Stops waiting: the call rejects with ABORTED at once (a run already started finishes unseen). */
  signal?: AbortSignal
}

const MODELS = Object.keys(DATA_MODEL) as SubjectModel[]
const OPTION_NAMES = ['publicPath', 'model', 'device', 'worker', 'onProgress', 'signal']

/**
 * The options checked and resolved to @imgly/background-removal's Config (its progress is ours, below).
 * `where` names the calling function; `otherNames` are options it takes besides these.
 */
export function toConfig(options: SubjectOptions, where = 'selectSubject', otherNames: readonly string[] = []): Config {
  const given = checkOptions(options, where, 'options', [...OPTION_NAMES, ...otherNames])
  const model = optionalChoice(given.model, 'isnet_fp16', MODELS, where, 'options.model')
  const device = optionalChoice(given.device, 'auto', ['auto', 'wasm', 'webgpu'], where, 'options.device')
  if (device === 'webgpu') {
    throw new AnymaskError('UNSUPPORTED_DEVICE', `${where}: @imgly/background-removal 1.4.5 runs ISNet on WASM only; use device 'auto' or 'wasm'.`)
  }
  const publicPath = given.publicPath ?? IMGLY_CDN
  if (typeof publicPath !== 'string' || publicPath === '') {
    throw invalidOption(where, 'options.publicPath', publicPath, "the URL of @imgly/background-removal-data's dist/ folder")
  }
  return {
    publicPath: absoluteFolder(publicPath, where),
    model: DATA_MODEL[model],
    proxyToWorker: optionalBoolean(given.worker, true, where, 'options.worker'),
    output: { format: 'image/x-alpha8', quality: 1 },
    progress: reportProgress,
  }
}

/**
 * `publicPath` as an absolute URL ending in '/': the library resolves each file with `new URL(name, publicPath)`,
 * which needs an absolute base and drops a last segment without its slash ('/data' + 'resources.json' is
 * '/resources.json').
 */
function absoluteFolder(path: string, where: string): string {
  const folder = path.endsWith('/') ? path : `${path}/`
  const base = typeof location === 'undefined' ? undefined : location.href
  try {
    return new URL(folder, base).href
  } catch (cause) {
    throw new AnymaskError('INVALID_OPTION', `${where}: options.publicPath ${JSON.stringify(path)} is not a URL (outside a page it must be absolute).`, {
      cause,
    })
  }
}

// The library memoises its session by the JSON of the config, which leaves functions out, and then reports to the
// first call's progress function: so every call passes this one, which forwards to the call that runs now.
let listener: ((event: ProgressEvent) => void) | undefined
function reportProgress(key: string, current: number, total: number): void {
  if (key.startsWith('fetch:')) listener?.({ status: 'download', file: key.slice('fetch:'.length), loaded: current, total })
  else if (key === 'compute:inference') listener?.({ status: current < total ? 'encode' : 'ready', device: 'wasm' })
}

/**
 * The library, loaded on first use: a chunk of its own in apps (with its own onnxruntime-web 1.17), and kept out of
 * module evaluation where it cannot run (its ESM build imports lodash by name, which Node refuses).
 */
let library: Promise<typeof import('@imgly/background-removal')> | undefined
function loadLibrary(): Promise<typeof import('@imgly/background-removal')> {
  library ??= import('@imgly/background-removal').catch((cause: unknown) => {
    library = undefined
    throw new AnymaskError(
      'UNSUPPORTED_DEVICE',
      `selectSubject runs in browsers: @imgly/background-removal 1.4.5 could not be loaded here (${cause instanceof Error ? cause.message : String(cause)}).`,
      { cause },
    )
  })
  return library
}

// The library memoises its start (weights, session) by the JSON of the config it is given, failures included: a
// download that failed once would fail forever. Its schema drops keys it does not know, so a failure moves this
// into the config, and the next call starts afresh.
let attempt = 0

// One run at a time, so that progress goes to the right call and two photos do not share the WASM threads.
let queue: Promise<unknown> = Promise.resolve()

/** What went wrong, in our words: what to serve where. */
function explain(error: unknown, config: Config): AnymaskError {
  const message = error instanceof Error ? error.message : String(error)
  const where = config.publicPath
  const serve = `Serve the dist/ folder of @imgly/background-removal-data@1.4.5 at ${where} (or leave publicPath unset for IMG.LY's CDN).`
  if (/Resource metadata not found|Resource .* not found/.test(message)) {
    return new AnymaskError('MODEL_LOAD_FAILED', `selectSubject: no usable ${where}resources.json. ${serve}`, { cause: error })
  }
  // Its own size check of a chunk ("Failed to fetch <file> with size ..."), or the browser's network errors.
  if (/Failed to fetch|NetworkError|Load failed/.test(message)) {
    return new AnymaskError('MODEL_LOAD_FAILED', `selectSubject: a data file under ${where} is missing or incomplete (${message}). ${serve}`, {
      cause: error,
    })
  }
  if (/Failed to create session|wasm/i.test(message)) {
    return new AnymaskError('MODEL_LOAD_FAILED', `selectSubject: ISNet could not start (${message}). ${serve}`, { cause: error })
  }
  return new AnymaskError('INFERENCE_FAILED', `selectSubject: @imgly/background-removal failed: ${message}`, { cause: error })
}

/**
 * The image's main subject as a soft mask at the image's size (ISNet's alpha, 0..255), from IMG.LY's
 * @imgly/background-removal. The first call downloads the weights (44 or 88 MB; cached by the browser as the
 * server allows) and starts onnxruntime; later calls with the same options only run the network.
 *
 * @example
 * const subject = await selectSubject(photo, { publicPath: '/imgly-data/' })
 * const sticker = cutout(photo, subject)
 */
export async function selectSubject(image: ImageInput, options: SubjectOptions = {}): Promise<Mask> {
  return runSubject(image, options, toConfig(options))
}

/** selectSubject with its options already checked (removeBackground checks its own, wider set). */
export async function runSubject(image: ImageInput, options: SubjectOptions, config: Config): Promise<Mask> {
  const { signal, onProgress } = options
  throwIfAborted(signal)
  const rgba = await toRgbaImage(image)
  const { width, height } = rgba
  // Raw RGBA in the library's own x-rgba8 type: no codec, and it reads the size from the type.
  const input = new Blob([rgba.data as Uint8Array<ArrayBuffer>], { type: `image/x-rgba8;width=${width};height=${height}` })
  const run = queue.then(async () => {
    throwIfAborted(signal)
    listener = onProgress
    const { segmentForeground } = await loadLibrary()
    try {
      return await segmentForeground(input, { ...config, anymaskAttempt: attempt } as Config)
    } catch (error) {
      attempt++
      throw explain(error, config)
    } finally {
      listener = undefined
    }
  })
  queue = run.catch(() => undefined)
  // The library's types take Blob from its own @types/node; in a page it is the DOM's.
  const alpha = new Uint8Array(await ((await untilAborted(run, signal)) as unknown as Blob).arrayBuffer())
  if (alpha.length !== width * height) {
    throw new AnymaskError('INFERENCE_FAILED', `selectSubject: expected ${width * height} alpha bytes for ${width}x${height}, got ${alpha.length}.`)
  }
  return createMask(width, height, alpha)
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AnymaskError('ABORTED', 'selectSubject was aborted by its AbortSignal.', { cause: signal.reason })
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AnymaskError('ABORTED', 'selectSubject was aborted by its AbortSignal.', { cause: signal.reason }))
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
