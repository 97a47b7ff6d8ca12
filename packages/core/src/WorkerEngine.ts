import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import type { EngineApi, EngineConfig, EngineDecodeOptions, EngineEverythingResult } from './Engine.js'
import type { EverythingBatch, EverythingConfig } from './everything.js'
import type { Backend } from './runtime.js'
import type { ProgressEvent, Prompt, PromptSupport, RgbaImage, Segmentation } from './types.js'
import { AwakeTimer } from './AwakeTimer.js'
import { DEFAULT_START_TIMEOUT, startTimedOut } from './startTimeout.js'
import { deserializeError, type Method, type Request, type Response } from './workerProtocol.js'

/** Whether this platform can run the engine in a module Web Worker. */
export const canUseWorker = () => typeof Worker !== 'undefined' && typeof window !== 'undefined'

/** How long a worker may stay silent (no answer, not even to a ping) while calls wait, by default. */
export const DEFAULT_WORKER_TIMEOUT = 120_000
export interface WorkerEngineOptions {
  onProgress?: (e: ProgressEvent) => void
  /** Where worker.js is served, when the bundler does not emit it. */
  workerUrl?: string | URL
  signal?: AbortSignal
  /** Milliseconds of silence (no answer, not even to a ping) before the worker is taken for dead. */
  timeout?: number
  /** Milliseconds the engine may take to start. */
  startTimeout?: number
}

/** How often a waiting engine pings its worker. */
const PING_EVERY = 1_000
/** How long dispose() waits for the worker to free its sessions before terminating it anyway. */
const DISPOSE_WAIT = 5_000

interface Pending {
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
  /** Parts of the answer that come before it (everything's batches). */
  onBatch?: (batch: never) => void
}

/**
 * The engine, run in a Web Worker: same calls as Engine, answered by messages. Inference, preprocessing and
 * post-processing happen off the main thread. Supervised: while calls wait, the worker is pinged, and a worker that
 * crashes, closes or stays silent for `timeout` ms fails every waiting and later call with WORKER_FAILED.
 */
export class WorkerEngine implements EngineApi {
  device: Backend = 'wasm'
  prompts!: PromptSupport
  threads = 1
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  /** Encodes whose caller gave up: their embeddings are released when the worker answers. */
  private readonly abandoned = new Set<number>()
  private failure: AnymaskError | undefined
  private started = false
  /** Silence while calls wait, counted only while the page itself ran; pings the worker on each tick. */
  private readonly watchdog: AwakeTimer
  /** Whether the worker ever answered, and the last progress it reported: what a start timeout says. */
  private heard = false
  private lastProgress: ProgressEvent | undefined

  private constructor(
    private readonly worker: Worker,
    private readonly timeout: number,
    private readonly onProgress?: (e: ProgressEvent) => void,
  ) {
    const silent = (silence: number) =>
      this.fail(
        new AnymaskError(
          'WORKER_FAILED',
          `The anymask worker has not answered for ${Math.round(silence / 1000)} s: it stopped or was closed. Create a new segmenter` +
            ' (or raise workerTimeout if your model really takes that long).',
        ),
      )
    const ping = () => {
      if (!this.failure) this.post('ping', [])
    }
    this.watchdog = new AwakeTimer(timeout, silent, ping, Math.min(PING_EVERY, timeout / 2))
    worker.onmessage = (event: MessageEvent<Response>) => {
      this.watchdog.reset()
      this.heard = true
      const message = event.data
      if ('progress' in message) {
        this.lastProgress = message.progress
        if (message.progress.device) this.device = message.progress.device // e.g. a fallback from WebGPU to WASM
        return this.onProgress?.(message.progress)
      }
      if ('batch' in message) return this.pending.get(message.id)?.onBatch?.(message.batch as never)
      const call = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (this.abandoned.delete(message.id) && message.ok) this.release(message.value as string)
      if (message.ok) call?.resolve(message.value)
      else call?.reject(deserializeError(message.error))
      this.watch()
    }
    worker.onerror = (event) => {
      event.preventDefault?.()
      this.fail(
        this.started
          ? new AnymaskError('WORKER_FAILED', `The anymask worker crashed (${event.message || 'no message'}). Create a new segmenter.`)
          : new AnymaskError(
              'MODEL_LOAD_FAILED',
              `The anymask worker failed to start (${event.message || 'could not start'}). If your bundler does not emit ` +
                "@anymask/core's worker.js, pass workerUrl, or worker: false to run on the main thread.",
            ),
      )
    }
    worker.onmessageerror = () => this.fail(new AnymaskError('WORKER_FAILED', 'A message from the anymask worker could not be read. Create a new segmenter.'))
  }

  /**
   * Starts the worker and its engine; `signal` aborts the start, and so does `startTimeout` (the worker is terminated).
   */
  static async create(config: EngineConfig, options: WorkerEngineOptions = {}): Promise<WorkerEngine> {
    const { onProgress, workerUrl, signal, timeout = DEFAULT_WORKER_TIMEOUT, startTimeout = DEFAULT_START_TIMEOUT } = options
    throwIfAborted(signal, 'createSegmenter')
    // Written out in full so bundlers (Vite, webpack 5, Parcel) recognise the pattern and emit the worker.
    const worker = workerUrl ? new Worker(workerUrl, { type: 'module' }) : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
    const engine = new WorkerEngine(worker, timeout, onProgress)
    const onAbort = () => engine.fail(new AnymaskError('ABORTED', 'createSegmenter was aborted by its AbortSignal.', { cause: signal?.reason }))
    signal?.addEventListener('abort', onAbort, { once: true })
    const deadline = new AwakeTimer(startTimeout, () => engine.fail(startTimedOut(config.modelId, startTimeout, engine.startState())))
    deadline.restart()
    try {
      Object.assign(engine, (await engine.call('create', [config])) as Pick<EngineApi, 'device' | 'prompts' | 'threads'>)
      engine.started = true
    } catch (error) {
      engine.terminate()
      throw error
    } finally {
      signal?.removeEventListener('abort', onAbort)
      deadline.stop()
    }
    return engine
  }

  /** How far an unfinished start got, in words, for its timeout error. */
  private startState(): string {
    if (!this.heard) return 'The worker never answered, not even a ping: its script did not run (check that worker.js is served, or pass workerUrl).'
    if (!this.lastProgress) return 'The worker answers pings but reported no progress.'
    const { status, file, device } = this.lastProgress
    return `The worker answers pings; its last report was '${status}'${file ? ` (${file})` : ''}${device ? ` on ${device}` : ''}.`
  }

  /** Rejects everything waiting and everything later with `error`, and stops the worker. */
  private fail(error: AnymaskError): void {
    this.failure ??= error
    for (const call of this.pending.values()) call.reject(this.failure)
    this.pending.clear()
    this.terminate()
  }

  private terminate(): void {
    this.watchdog.stop()
    this.worker.terminate()
  }

  /** Pings the worker while calls wait; silence beyond `timeout` means it is gone. */
  private watch(): void {
    if (this.pending.size === 0 || this.failure) this.watchdog.stop()
    // Silence counts from when calls start waiting, not from the last idle answer.
    else if (!this.watchdog.running) this.watchdog.restart()
  }

  private post(method: Method, args: unknown[], id = this.nextId++): number {
    try {
      this.worker.postMessage({ id, method, args } satisfies Request)
    } catch (cause) {
      // Something in the arguments cannot cross to a worker (a function, a DOM node, a detached buffer).
      throw new AnymaskError('INVALID_OPTION', `The ${method} call's arguments cannot be sent to the worker: ${String(cause)}. Pass plain data.`, { cause })
    }
    return id
  }

  private call(method: Method, args: unknown[], signal?: AbortSignal, onBatch?: Pending['onBatch']): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      let id: number
      try {
        id = this.post(method, args)
      } catch (error) {
        return reject(error)
      }
      this.pending.set(id, { resolve, reject, onBatch })
      this.watch()
      if (signal) {
        // The answer is no longer awaited; the worker drops the work at its next step.
        const onAbort = () => {
          if (!this.pending.delete(id)) return
          if (method === 'encode') this.abandoned.add(id)
          reject(new AnymaskError('ABORTED', `${method} was aborted by its AbortSignal.`, { cause: signal.reason }))
          if (!this.failure) this.post('cancel', [id])
          this.watch()
        }
        signal.addEventListener('abort', onAbort, { once: true })
      }
    })
  }

  async encode(image: RgbaImage, signal?: AbortSignal): Promise<string> {
    throwIfAborted(signal, 'encode')
    return (await this.call('encode', [{ data: image.data, width: image.width, height: image.height }], signal)) as string
  }

  decode(key: string, prompt: Prompt, options: EngineDecodeOptions): Promise<Segmentation> {
    return this.call('decode', [key, prompt, options]) as Promise<Segmentation>
  }

  everything(key: string, config: EverythingConfig, onBatch: (batch: EverythingBatch) => void, signal?: AbortSignal): Promise<EngineEverythingResult> {
    return this.call('everything', [key, config], signal, onBatch) as Promise<EngineEverythingResult>
  }

  release(key: string): void {
    if (!this.failure) void this.call('release', [key]).catch(() => undefined)
  }

  /** Frees the worker's sessions and stops it; always resolves, even when the worker is gone. */
  async dispose(): Promise<void> {
    if (this.failure?.code === 'DISPOSED') return
    const wait = this.failure ? Promise.resolve() : this.call('dispose', []).catch(() => undefined)
    await Promise.race([wait, new Promise((resolve) => setTimeout(resolve, Math.min(DISPOSE_WAIT, this.timeout)))])
    this.fail(new AnymaskError('DISPOSED', 'The segmenter was disposed: create a new one.'))
  }
}
