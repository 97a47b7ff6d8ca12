import type { InferenceSession } from 'onnxruntime-web'
import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import { contracts, type Contract } from './contracts/index.js'
import { keepBest, type Outputs } from './contracts/Contract.js'
import { outputFrame, type ModelFrame } from './coordinates.js'
import { EmbeddingCache, hashBytes } from './EmbeddingCache.js'
import { toLowResMask, upscaleLowRes } from './postprocess.js'
import { resizeToRgb } from './preprocess.js'
import { createSession, loadOrt, resolveDevice, type Backend, type Ort, type RuntimeOptions } from './runtime.js'
import type { ContractName, Device, ProgressEvent, Prompt, RgbaImage, Segmentation } from './types.js'

/** What an engine needs to start: the model's files as bytes, and where to run them. */
export interface EngineConfig {
  modelId: string
  contract: ContractName
  encoder: Uint8Array
  decoder: Uint8Array
  device: Device
  runtime?: RuntimeOptions
  /** Encoded images kept for reuse beyond those in use. */
  cacheSize?: number
}

/** The calls a Segmenter makes, in-process or through a worker. */
export interface EngineDecodeOptions {
  /** Several candidates (SAM's multimask output) or the single-mask answer. */
  multimask: boolean
  /** Masks at the image's size scaled down to this longest side (previews); default the image's size. */
  maxSide?: number
  /** Upscale and return only the best-scoring candidate (hover shows one mask). */
  bestOnly?: boolean
}

export interface EngineApi {
  readonly device: Backend
  encode(image: RgbaImage, signal?: AbortSignal): Promise<string>
  decode(key: string, prompt: Prompt, options: EngineDecodeOptions): Promise<Segmentation>
  release(key: string): void
  dispose(): Promise<void>
}

interface Encoded {
  outputs: Outputs
  frame: ModelFrame
}

/** Checks a session's inputs against the contract, naming what is missing and what is unexpected. */
function checkContract(contract: Contract, part: 'encoder' | 'decoder', session: InferenceSession, modelId: string): void {
  const { required, optional = [] } = contract[part]
  const names = session.inputNames
  const missing = required.filter((n) => !names.includes(n))
  const unexpected = names.filter((n) => !required.includes(n) && !optional.includes(n))
  if (missing.length === 0 && unexpected.length === 0) return
  const guess = Object.values(contracts).find(
    (c) => c !== contract && c[part].required.every((n) => names.includes(n)),
  )
  throw new AnymaskError(
    'MODEL_CONTRACT_MISMATCH',
    `The ${part} of "${modelId}" does not have the inputs of the '${contract.name}' contract: ` +
      `missing inputs [${missing.join(', ')}], unexpected inputs [${unexpected.join(', ')}] ` +
      `(it has [${names.join(', ')}]). ` +
      (guess ? `Its inputs match the '${guess.name}' contract: set contract: '${guess.name}' in the ModelSpec.` : 'Check that the ModelSpec names the right contract and files (see CONTRACTS.md).'),
  )
}

/**
 * Runs one model: owns its two sessions, the embeddings of encoded images, and the fallback from WebGPU to WASM.
 * Runs are serialised (onnxruntime-web runs one inference at a time per backend).
 */
export class Engine implements EngineApi {
  private readonly cache: EmbeddingCache<Encoded>
  private queue: Promise<unknown> = Promise.resolve()
  private disposed = false

  private constructor(
    private readonly ort: Ort,
    private readonly config: EngineConfig,
    private readonly contract: Contract,
    public device: Backend,
    private encoder: InferenceSession,
    private decoder: InferenceSession,
    private readonly onProgress?: (e: ProgressEvent) => void,
  ) {
    this.cache = new EmbeddingCache(config.cacheSize ?? 4)
  }

  static async create(config: EngineConfig, onProgress?: (e: ProgressEvent) => void): Promise<Engine> {
    const contract = contracts[config.contract]
    if (!contract) {
      throw new AnymaskError(
        'MODEL_CONTRACT_MISMATCH',
        `Unknown contract ${JSON.stringify(config.contract)} for "${config.modelId}": use 'sam', 'hf-sam' or 'sam2'.`,
      )
    }
    const ort = await loadOrt(config.runtime)
    let device = await resolveDevice(config.device)
    onProgress?.({ status: 'init', device })
    let sessions: [InferenceSession, InferenceSession]
    try {
      sessions = await Engine.sessions(ort, config, contract, device)
    } catch (error) {
      if (device !== 'webgpu' || config.device !== 'auto' || (error as AnymaskError).code === 'MODEL_CONTRACT_MISMATCH') throw error
      onProgress?.({ status: 'init', device: 'wasm', warning: `WebGPU failed (${(error as Error).message}); using WASM.` })
      device = 'wasm'
      sessions = await Engine.sessions(ort, config, contract, device)
    }
    return new Engine(ort, config, contract, device, sessions[0], sessions[1], onProgress)
  }

  private static async sessions(ort: Ort, config: EngineConfig, contract: Contract, device: Backend) {
    const encoder = await createSession(ort, config.encoder, device, `the encoder of "${config.modelId}"`)
    checkContract(contract, 'encoder', encoder, config.modelId)
    const decoder = await createSession(ort, config.decoder, device, `the decoder of "${config.modelId}"`)
    checkContract(contract, 'decoder', decoder, config.modelId)
    return [encoder, decoder] as [InferenceSession, InferenceSession]
  }

  private assertAlive(): void {
    if (this.disposed) throw new AnymaskError('DISPOSED', `The segmenter for "${this.config.modelId}" was disposed: create a new one.`)
  }

  /** Runs `part` after every earlier run; on a WebGPU failure under device 'auto', moves to WASM and retries. */
  private run(part: 'encoder' | 'decoder', feeds: Record<string, unknown>): Promise<Outputs> {
    const go = async (): Promise<Outputs> => {
      this.assertAlive()
      try {
        return await this[part].run(feeds as never)
      } catch (error) {
        if (this.device !== 'webgpu' || this.config.device !== 'auto') throw error
        this.onProgress?.({ status: 'init', device: 'wasm', warning: `WebGPU run failed (${(error as Error).message}); using WASM.` })
        const [encoder, decoder] = await Engine.sessions(this.ort, this.config, this.contract, 'wasm')
        await Promise.all([this.encoder.release(), this.decoder.release()]).catch(() => undefined)
        this.encoder = encoder
        this.decoder = decoder
        this.device = 'wasm'
        return await this[part].run(feeds as never)
      }
    }
    const next = this.queue.then(go, go)
    this.queue = next.catch(() => undefined)
    return next
  }

  async encode(image: RgbaImage, signal?: AbortSignal): Promise<string> {
    this.assertAlive()
    throwIfAborted(signal, 'encode')
    const frame = this.contract.frame(image.width, image.height)
    const rgb = resizeToRgb(image, frame.resizedWidth, frame.resizedHeight)
    const key = `${image.width}x${image.height}:${hashBytes(rgb.data)}`
    const encoded = this.cache.acquire(key, async () => {
      this.onProgress?.({ status: 'encode' }) // only when the encoder really runs: a cached image is instant
      const outputs = await this.run('encoder', this.contract.encoderFeeds(this.ort.Tensor, rgb, this.encoder))
      return { outputs, frame }
    })
    try {
      await encoded
      throwIfAborted(signal, 'encode')
    } catch (error) {
      this.cache.release(key)
      throw error
    }
    return key
  }

  async decode(key: string, prompt: Prompt, { multimask, maxSide, bestOnly }: EngineDecodeOptions): Promise<Segmentation> {
    this.assertAlive()
    const encoded = this.cache.get(key)
    if (!encoded) throw new AnymaskError('DISPOSED', 'This image session was disposed: encode the image again.')
    const { outputs, frame } = await encoded
    const start = performance.now()
    const output = outputFrame(frame, maxSide)
    const feeds = this.contract.decoderFeeds(this.ort.Tensor, outputs, prompt, frame, this.decoder.inputNames)
    const sessionStart = performance.now()
    const result = await this.run('decoder', feeds)
    const decoder = performance.now() - sessionStart
    const all = this.contract.candidates(result, multimask)
    const candidates = bestOnly ? keepBest(all) : all
    const masks = candidates.map((c) => upscaleLowRes(c.lowRes, output, c.score))
    const scores = candidates.map((c) => c.score)
    return {
      masks,
      scores,
      best: scores.indexOf(Math.max(...scores)),
      lowRes: candidates.map((c) => toLowResMask(c.lowRes)),
      timings: { decoder, engine: performance.now() - start },
    }
  }

  release(key: string): void {
    this.cache.release(key)
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    this.cache.clear()
    await this.queue
    await Promise.all([this.encoder.release(), this.decoder.release()])
  }
}
