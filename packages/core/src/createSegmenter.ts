import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import { Engine, type EngineApi, type EngineConfig } from './Engine.js'
import { ImageSession } from './ImageSession.js'
import { toRgbaImage } from './imageInput.js'
import { DEFAULT_STALL_TIMEOUT, evictCache, isCached, loadModelFiles } from './loadModel.js'
import { checkNumber, checkOptions, describeValue, optionalBoolean, optionalNumber } from './options.js'
import { models } from './registry.js'
import { checkDevice, checkRuntime, type Backend, type RuntimeOptions } from './runtime.js'
import type { Device, ImageInput, ModelSpec, ProgressEvent, PromptSupport } from './types.js'
import { canUseWorker, DEFAULT_WORKER_TIMEOUT, WorkerEngine } from './WorkerEngine.js'

export interface SegmenterOptions extends RuntimeOptions {
  /** A registry id (see `models`) or your own ModelSpec. Default: 'anymask-lite'. */
  model?: string | ModelSpec
  /** Default 'auto': WebGPU when the browser has an adapter, else WASM. */
  device?: Device
  /** Run inference in a Web Worker (browser default: true). Ignored where there are no module workers (Node). */
  worker?: boolean
  /** Where @anymask/core's worker.js is served, if your bundler does not find it by itself. */
  workerUrl?: string | URL
  /** Encoded images kept in memory for instant re-encoding, besides those in use. Default 4. */
  cacheSize?: number
  /** Milliseconds a model download may go without receiving data before it fails. Default 30 000. */
  stallTimeout?: number
  /**
   * Milliseconds the worker may stay silent while calls wait (it answers pings between model runs, so this must
   * exceed your model's longest single run) before it is taken for dead: calls then fail with WORKER_FAILED.
   * Default 120 000.
   */
  workerTimeout?: number
  onProgress?: (event: ProgressEvent) => void
  signal?: AbortSignal
}

function resolveModel(model: string | ModelSpec): ModelSpec {
  if (typeof model !== 'string') return model
  const spec = (models as Record<string, ModelSpec>)[model]
  if (!spec) {
    throw new AnymaskError(
      'MODEL_LOAD_FAILED',
      `Unknown model id "${model}". Known ids: ${Object.keys(models).join(', ')}; or pass a ModelSpec with your own files.`,
    )
  }
  return spec
}

/**
 * A loaded model, ready to encode images. Made by `createSegmenter`.
 *
 * @example
 * const session = await segmenter.encode(imageElement)
 */
export class Segmenter {
  private disposed = false

  /** @internal */
  constructor(
    private readonly engine: EngineApi,
    /** The model this segmenter runs. */
    readonly model: ModelSpec,
    private readonly onProgress?: (event: ProgressEvent) => void,
  ) {}

  /**
   * What this model's export can take: a box, a previous mask, how many candidates (read from its decoder).
   *
   * @example
   * boxTool.disabled = !segmenter.prompts.box
   */
  get prompts(): PromptSupport {
    return this.engine.prompts
  }

  /** Where inference runs now ('webgpu' or 'wasm'; it may move to 'wasm' if WebGPU fails under 'auto'). */
  get device(): Backend {
    return this.engine.device
  }

  /** Runs the image encoder once for `image` (instant for an image encoded recently) and returns its session. */
  async encode(image: ImageInput, options: { signal?: AbortSignal } = {}): Promise<ImageSession> {
    this.assertAlive()
    throwIfAborted(options.signal, 'encode')
    const rgba = await toRgbaImage(image)
    const key = await this.engine.encode(rgba, options.signal)
    this.onProgress?.({ status: 'ready', device: this.engine.device })
    return new ImageSession(this.engine, key, rgba.width, rgba.height)
  }

  /** Frees the model's sessions (and its worker). Later calls fail with DISPOSED. */
  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    await this.engine.dispose()
  }

  private assertAlive(): void {
    if (this.disposed) throw new AnymaskError('DISPOSED', `The segmenter for "${this.model.id}" was disposed: create a new one.`)
  }
}

/**
 * Loads a model (download with progress, Cache Storage, sha256 check), starts onnxruntime-web on the best device,
 * and returns a Segmenter.
 *
 * @example
 * const segmenter = await createSegmenter({ model: 'slimsam-77', onProgress: (e) => console.log(e) })
 * const session = await segmenter.encode(image)
 * const { masks, best } = await session.decode({ points: [{ x: 500, y: 375, label: 1 }] })
 */
export async function createSegmenter(options: SegmenterOptions = {}): Promise<Segmenter> {
  const given = checkOptions(options, 'createSegmenter')
  const { onProgress, signal } = given
  if (onProgress !== undefined && typeof onProgress !== 'function') throw refuse('onProgress', onProgress, 'a function')
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw refuse('signal', signal, 'an AbortSignal')
  const device = given.device ?? 'auto'
  checkDevice(device)
  const cacheSize = optionalNumber(given.cacheSize, 4, 'createSegmenter', 'options.cacheSize', { min: 0, integer: true })
  const stallTimeout = optionalNumber(given.stallTimeout, DEFAULT_STALL_TIMEOUT, 'createSegmenter', 'options.stallTimeout', { min: 0, above: true, infinite: true })
  const threads = given.threads === undefined ? undefined : checkNumber(given.threads, 'createSegmenter', 'options.threads', { min: 1, integer: true })
  if (given.wasmPaths !== undefined && typeof given.wasmPaths !== 'string') throw refuse('wasmPaths', given.wasmPaths, "a URL prefix string (where onnxruntime-web's .wasm files are served)")
  const workerTimeout = optionalNumber(given.workerTimeout, DEFAULT_WORKER_TIMEOUT, 'createSegmenter', 'options.workerTimeout', { min: 0, above: true })
  const useWorker = optionalBoolean(given.worker, true, 'createSegmenter', 'options.worker') && canUseWorker()
  if (given.workerUrl !== undefined && typeof given.workerUrl !== 'string' && !(given.workerUrl instanceof URL)) throw refuse('workerUrl', given.workerUrl, 'a string or URL')
  const spec = resolveModel(given.model ?? 'anymask-lite')
  const runtime = { threads, wasmPaths: given.wasmPaths }
  // Main-thread engines share one onnxruntime: settings a page already started it with cannot change.
  if (!useWorker) checkRuntime(runtime)

  const start = async () => {
    const files = await loadModelFiles(spec, { onProgress, signal, stallTimeout })
    throwIfAborted(signal, 'createSegmenter')
    const config: EngineConfig = { modelId: spec.id, contract: spec.contract, ...files, device, runtime, cacheSize }
    return useWorker ? WorkerEngine.create(config, onProgress, given.workerUrl, signal, workerTimeout) : Engine.create(config, onProgress)
  }
  let engine: EngineApi
  try {
    engine = await start()
  } catch (error) {
    // A cached copy that passed its checks but does not load (damaged, or a server's old answer) is dropped and
    // fetched once more, so one bad download never sticks.
    const cached = await cachedFilesOf(spec)
    if ((error as AnymaskError).code !== 'MODEL_LOAD_FAILED' || cached.length === 0) throw error
    await evictCache(cached)
    engine = await start()
  }
  if (signal?.aborted) {
    await engine.dispose()
    throwIfAborted(signal, 'createSegmenter')
  }
  onProgress?.({ status: 'ready', device: engine.device })
  return new Segmenter(engine, spec, onProgress)
}

const refuse = (name: string, value: unknown, expected: string) =>
  new AnymaskError('INVALID_OPTION', `createSegmenter: options.${name} is ${describeValue(value)}; expected ${expected}.`)

/** The URL sources of a spec that Cache Storage holds. */
async function cachedFilesOf(spec: ModelSpec): Promise<string[]> {
  const urls = [spec.encoder, spec.decoder, spec.encoderData, spec.decoderData].filter((u): u is string => typeof u === 'string' && !u.startsWith('data:'))
  return (await Promise.all(urls.map(async (url) => ((await isCached(url)) ? url : undefined)))).filter((u): u is string => u !== undefined)
}
