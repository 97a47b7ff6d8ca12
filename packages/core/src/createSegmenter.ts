import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import { contracts } from './contracts/index.js'
import { Engine, type EngineApi, type EngineConfig } from './Engine.js'
import { ImageSession } from './ImageSession.js'
import { toRgbaImage } from './imageInput.js'
import { DEFAULT_STALL_TIMEOUT, evictCache, isCached, loadModelFiles } from './loadModel.js'
import { checkNumber, checkOptions, invalidOption, optionalBoolean, optionalNumber } from './options.js'
import { models } from './registry.js'
import { checkDevice, checkRuntime, type Backend, type RuntimeOptions } from './runtime.js'
import { DEFAULT_START_TIMEOUT, withinStartTimeout } from './startTimeout.js'
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
  /**
   * Milliseconds a model download may go without receiving data. It is then asked again once, for the bytes from where
   * it stopped (a `Range` request; the whole file where the server does not answer with that range), and fails when
   * that stalls too. Default 30 000.
   */
  stallTimeout?: number
  /**
   * Milliseconds the worker may stay silent while calls wait (it answers pings between model runs, so this must
   * exceed your model's longest single run) before it is taken for dead: calls then fail with WORKER_FAILED.
   * Default 120 000.
   */
  workerTimeout?: number
  /**
   * Milliseconds onnxruntime-web may take to start the model once its files are here (WASM compile, sessions)
   * before createSegmenter fails with MODEL_LOAD_FAILED instead of waiting for ever. Default 120 000; Infinity waits.
   */
  startTimeout?: number
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

  /**
   * The WASM threads onnxruntime-web runs with: several in a worker on a cross-origin isolated page (COOP/COEP
   * headers), else 1. A quick check that the headers reached the page.
   */
  get threads(): number {
    return this.engine.threads
  }

  /** Runs the image encoder once for `image` (instant for an image encoded recently) and returns its session. */
  async encode(image: ImageInput, options: { signal?: AbortSignal } = {}): Promise<ImageSession> {
    this.assertAlive()
    throwIfAborted(options.signal, 'encode')
    const rgba = await toRgbaImage(image)
    const key = await this.engine.encode(rgba, options.signal)
    this.onProgress?.({ status: 'ready', device: this.engine.device })
    return new ImageSession(this.engine, key, rgba, this.model.everything, contracts[this.model.contract].frame(rgba.width, rgba.height))
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
  const { spec, device, onProgress, signal, useWorker, workerUrl, workerTimeout, stallTimeout, startTimeout, runtime, cacheSize } =
    checkSegmenterOptions(options)
  // Main-thread engines share one onnxruntime: settings a page already started it with cannot change.
  if (!useWorker) checkRuntime(runtime)

  const start = async () => {
    const files = await loadModelFiles(spec, { onProgress, signal, stallTimeout })
    throwIfAborted(signal, 'createSegmenter')
    const config: EngineConfig = { modelId: spec.id, contract: spec.contract, ...files, device, runtime, cacheSize }
    return useWorker
      ? WorkerEngine.create(config, { onProgress, workerUrl, signal, timeout: workerTimeout, startTimeout })
      : withinStartTimeout(Engine.create(config, onProgress), startTimeout, spec.id)
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

/** createSegmenter's options, checked, with their defaults. */
function checkSegmenterOptions(options: SegmenterOptions) {
  const where = 'createSegmenter'
  const given = checkOptions(options, where)
  const { onProgress, signal, workerUrl, wasmPaths } = given
  if (onProgress !== undefined && typeof onProgress !== 'function') throw invalidOption(where, 'options.onProgress', onProgress, 'a function')
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidOption(where, 'options.signal', signal, 'an AbortSignal')
  if (wasmPaths !== undefined && typeof wasmPaths !== 'string')
    throw invalidOption(where, 'options.wasmPaths', wasmPaths, "a URL prefix (where onnxruntime-web's .wasm files are served)")
  if (workerUrl !== undefined && typeof workerUrl !== 'string' && !(workerUrl instanceof URL))
    throw invalidOption(where, 'options.workerUrl', workerUrl, 'a string or URL')
  const device = given.device ?? 'auto'
  checkDevice(device)
  return {
    spec: resolveModel(given.model ?? 'anymask-lite'),
    device,
    onProgress,
    signal,
    workerUrl,
    useWorker: optionalBoolean(given.worker, true, where, 'options.worker') && canUseWorker(),
    workerTimeout: optionalNumber(given.workerTimeout, DEFAULT_WORKER_TIMEOUT, where, 'options.workerTimeout', { min: 0, above: true }),
    stallTimeout: optionalNumber(given.stallTimeout, DEFAULT_STALL_TIMEOUT, where, 'options.stallTimeout', { min: 0, above: true, infinite: true }),
    startTimeout: optionalNumber(given.startTimeout, DEFAULT_START_TIMEOUT, where, 'options.startTimeout', { min: 0, above: true, infinite: true }),
    cacheSize: optionalNumber(given.cacheSize, 4, where, 'options.cacheSize', { min: 0, integer: true }),
    runtime: { threads: given.threads === undefined ? undefined : checkNumber(given.threads, where, 'options.threads', { min: 1, integer: true }), wasmPaths },
  }
}

/** The URL sources of a spec that Cache Storage holds. */
async function cachedFilesOf(spec: ModelSpec): Promise<string[]> {
  const urls = [spec.encoder, spec.decoder, spec.encoderData, spec.decoderData].filter((u): u is string => typeof u === 'string' && !u.startsWith('data:'))
  return (await Promise.all(urls.map(async (url) => ((await isCached(url)) ? url : undefined)))).filter((u): u is string => u !== undefined)
}
