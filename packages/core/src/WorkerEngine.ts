import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import type { EngineApi, EngineConfig, EngineDecodeOptions } from './Engine.js'
import type { Backend } from './runtime.js'
import type { ProgressEvent, Prompt, PromptSupport, RgbaImage, Segmentation } from './types.js'
import { deserializeError, type Method, type Request, type Response } from './workerProtocol.js'

/** Whether this platform can run the engine in a module Web Worker. */
export const canUseWorker = () => typeof Worker !== 'undefined' && typeof window !== 'undefined'

/**
 * The engine, run in a Web Worker: same calls as Engine, answered by messages. Inference, preprocessing and
 * post-processing happen off the main thread.
 */
export class WorkerEngine implements EngineApi {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  private constructor(
    private readonly worker: Worker,
    private readonly onProgress?: (e: ProgressEvent) => void,
  ) {
    worker.onmessage = (event: MessageEvent<Response>) => {
      const message = event.data
      if ('progress' in message) return this.onProgress?.(message.progress)
      const call = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (message.ok) call?.resolve(message.value)
      else call?.reject(deserializeError(message.error))
    }
    worker.onerror = (event) => {
      const error = new AnymaskError(
        'MODEL_LOAD_FAILED',
        `The anymask worker failed (${event.message || 'could not start'}). If your bundler does not emit ` +
          "@anymask/core's worker.js, pass workerUrl, or worker: false to run on the main thread.",
      )
      for (const call of this.pending.values()) call.reject(error)
      this.pending.clear()
    }
  }

  device: Backend = 'wasm'
  prompts!: PromptSupport

  static async create(config: EngineConfig, onProgress?: (e: ProgressEvent) => void, workerUrl?: string | URL): Promise<WorkerEngine> {
    // Written out in full so bundlers (Vite, webpack 5, Parcel) recognise the pattern and emit the worker.
    const worker = workerUrl
      ? new Worker(workerUrl, { type: 'module' })
      : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
    const engine = new WorkerEngine(worker, onProgress)
    try {
      Object.assign(engine, (await engine.call('create', [config])) as Pick<EngineApi, 'device' | 'prompts'>)
    } catch (error) {
      worker.terminate()
      throw error
    }
    return engine
  }

  private disposed = false

  private call(method: Method, args: unknown[]): Promise<unknown> {
    // A terminated worker never answers: fail at once instead of hanging.
    if (this.disposed) return Promise.reject(new AnymaskError('DISPOSED', 'The segmenter was disposed: create a new one.'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ id, method, args } satisfies Request)
    })
  }

  async encode(image: RgbaImage, signal?: AbortSignal): Promise<string> {
    throwIfAborted(signal, 'encode')
    const key = (await this.call('encode', [{ data: image.data, width: image.width, height: image.height }])) as string
    if (signal?.aborted) {
      this.release(key)
      throwIfAborted(signal, 'encode')
    }
    return key
  }

  decode(key: string, prompt: Prompt, options: EngineDecodeOptions): Promise<Segmentation> {
    return this.call('decode', [key, prompt, options]) as Promise<Segmentation>
  }

  release(key: string): void {
    void this.call('release', [key]).catch(() => undefined)
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    try {
      await this.call('dispose', [])
    } finally {
      this.disposed = true
      this.worker.terminate()
      for (const call of this.pending.values()) call.reject(new AnymaskError('DISPOSED', 'The segmenter was disposed.'))
      this.pending.clear()
    }
  }
}
