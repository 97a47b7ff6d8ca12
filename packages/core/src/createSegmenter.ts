import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import { Engine, type EngineApi, type EngineConfig } from './Engine.js'
import { ImageSession } from './ImageSession.js'
import { toRgbaImage } from './imageInput.js'
import { loadModelFiles } from './loadModel.js'
import { models } from './registry.js'
import { checkDevice, type Backend, type RuntimeOptions } from './runtime.js'
import type { Device, ImageInput, ModelSpec, ProgressEvent, PromptSupport } from './types.js'
import { canUseWorker, WorkerEngine } from './WorkerEngine.js'

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
  const { onProgress, signal } = options
  const device = options.device ?? 'auto'
  checkDevice(device)
  const spec = resolveModel(options.model ?? 'anymask-lite')
  const files = await loadModelFiles(spec, { onProgress, signal })
  throwIfAborted(signal, 'createSegmenter')
  const config: EngineConfig = {
    modelId: spec.id,
    contract: spec.contract,
    ...files,
    device,
    runtime: { threads: options.threads, wasmPaths: options.wasmPaths },
    cacheSize: options.cacheSize,
  }
  const useWorker = (options.worker ?? true) && canUseWorker()
  const engine = useWorker
    ? await WorkerEngine.create(config, onProgress, options.workerUrl)
    : await Engine.create(config, onProgress)
  if (signal?.aborted) {
    await engine.dispose()
    throwIfAborted(signal, 'createSegmenter')
  }
  onProgress?.({ status: 'ready', device: engine.device })
  return new Segmenter(engine, spec, onProgress)
}
