import type { InferenceSession } from 'onnxruntime-web'
import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import { contracts, type Contract } from './contracts/index.js'
import { keepBest, type DecoderGraph, type Outputs } from './contracts/Contract.js'
import { outputFrame, type ModelFrame } from './coordinates.js'
import { EmbeddingCache, hashBytes } from './EmbeddingCache.js'
import { gridPoints, MaskGenerator, removeSmallParts, type EverythingBatch, type EverythingConfig, type EverythingMask } from './everything.js'
import { maskToSvgPath } from './mask/index.js'
import type { ModelBytes } from './loadModel.js'
import { toLowResMask, upscaleLowRes } from './postprocess.js'
import { resizeToRgb } from './preprocess.js'
import { createSession, loadOrt, resolveDevice, type Backend, type Ort, type RuntimeOptions } from './runtime.js'
import { modelsThatTake } from './publicModels.js'
import type { ContractName, Device, ProgressEvent, Prompt, PromptSupport, RgbaImage, Segmentation } from './types.js'
import type { Candidate } from './postprocess.js'

/** Everything mode's first group of clicks; later groups double up to pointsPerBatch. */
const FIRST_GROUP = 1

/** What an engine needs to start: the model's files as bytes, and where to run them. */
export interface EngineConfig extends ModelBytes {
  modelId: string
  contract: ContractName
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
  /** Trace each mask's outline here too (off the page's thread when this runs in the worker). */
  outline?: boolean
}

/**
 * The end of an everything run. The masks crossed in the batches already (once each, from the worker): the
 * result names the final set by id, with the masks the small-region clean-up changed.
 */
export interface EngineEverythingResult {
  ids: number[]
  replaced: EverythingMask[]
  decoded: number
  total: number
  timings: { decoder: number; total: number }
}

export interface EngineApi {
  readonly device: Backend
  /** What the loaded decoder can take (read from its inputs and outputs). */
  readonly prompts: PromptSupport
  /** The WASM threads onnxruntime-web runs with in the engine's realm (page or worker). */
  readonly threads: number
  encode(image: RgbaImage, signal?: AbortSignal): Promise<string>
  decode(key: string, prompt: Prompt, options: EngineDecodeOptions): Promise<Segmentation>
  everything(key: string, config: EverythingConfig, onBatch: (batch: EverythingBatch) => void, signal?: AbortSignal): Promise<EngineEverythingResult>
  release(key: string): void
  dispose(): Promise<void>
}

interface Encoded {
  outputs: Outputs
  frame: ModelFrame
}

/**
 * Checks a session's inputs (and a decoder's outputs) against the contract, naming what is missing and what is
 * unexpected, and which contract the names match instead.
 */
function checkContract(contract: Contract, part: 'encoder' | 'decoder', session: InferenceSession, modelId: string): void {
  const { required, optional = [] } = contract[part]
  const names = session.inputNames
  const missing = required.filter((n) => !names.includes(n))
  const unexpected = names.filter((n) => !required.includes(n) && !optional.includes(n))
  const missingOutputs = part === 'decoder' ? contract.decoderOutputs.filter((n) => !session.outputNames.includes(n)) : []
  if (missing.length === 0 && unexpected.length === 0 && missingOutputs.length === 0) return
  const guess = Object.values(contracts).find((c) => c !== contract && c[part].required.every((n) => names.includes(n)))
  throw new AnymaskError(
    'MODEL_CONTRACT_MISMATCH',
    `The ${part} of "${modelId}" does not have the inputs and outputs of the '${contract.name}' contract: ` +
      `missing inputs [${missing.join(', ')}], unexpected inputs [${unexpected.join(', ')}]` +
      (missingOutputs.length ? `, missing outputs [${missingOutputs.join(', ')}] (it has [${session.outputNames.join(', ')}])` : '') +
      ` (it has inputs [${names.join(', ')}]). ` +
      (guess
        ? `Its inputs match the '${guess.name}' contract: set contract: '${guess.name}' in the ModelSpec.`
        : 'Check that the ModelSpec names the right contract and files (see CONTRACTS.md).'),
  )
}

/**
 * Throws INVALID_PROMPT for a prompt this export has no input for (naming models that have one), or whose low-res mask
 * another model or image produced.
 */
function checkPromptFits(prompt: Prompt, support: PromptSupport, modelId: string, key: string): void {
  const source = prompt.mask?.source
  if (source && (source.model !== modelId || source.image !== key)) {
    throw new AnymaskError(
      'INVALID_PROMPT',
      `prompt.mask came from ${source.model === modelId ? 'another image' : `the model "${source.model}"`}: a low-res mask ` +
        `only means something to the model and image that produced it ("${modelId}", this image). Leave it out, or decode this image first.`,
    )
  }
  const refuse = (what: string, kind: 'box' | 'mask', advice: string) => {
    const others = modelsThatTake(kind)
    throw new AnymaskError(
      'INVALID_PROMPT',
      `"${modelId}" cannot take ${what}: its decoder export has no input for it. ${advice} ` + `Models that take ${what}: ${others.join(', ')}.`,
    )
  }
  if (prompt.box && !support.box) refuse('a box', 'box', 'Prompt it with points (a click inside the object), or use a model that takes boxes.')
  if (prompt.mask && !support.mask) refuse('a previous mask', 'mask', 'Refine with more points instead (the clicks so far and the new one).')
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
    this.graph = { inputNames: decoder.inputNames, support: contract.support(decoder) }
  }

  private readonly graph: DecoderGraph

  get prompts(): PromptSupport {
    return this.graph.support
  }

  get threads(): number {
    return this.ort.env.wasm.numThreads ?? 1
  }

  static async create(config: EngineConfig, onProgress?: (e: ProgressEvent) => void): Promise<Engine> {
    const contract = contracts[config.contract]
    if (!contract) {
      throw new AnymaskError(
        'MODEL_CONTRACT_MISMATCH',
        `Unknown contract ${JSON.stringify(config.contract)} for "${config.modelId}": use ${Object.keys(contracts)
          .map((c) => `'${c}'`)
          .join(', ')}.`,
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
    const encoder = await createSession(ort, config.encoder, device, `the encoder of "${config.modelId}"`, config.encoderData)
    checkContract(contract, 'encoder', encoder, config.modelId)
    const decoder = await createSession(ort, config.decoder, device, `the decoder of "${config.modelId}"`, config.decoderData)
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
    // A failing run is an AnymaskError like any other failure, with onnxruntime's own error as its cause.
    const failed = (error: unknown): never => {
      if (error instanceof AnymaskError) throw error
      throw new AnymaskError(
        'INFERENCE_FAILED',
        `The ${part} of "${this.config.modelId}" failed on ${this.device}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      )
    }
    const next = this.queue.then(go, go).catch(failed)
    this.queue = next.catch(() => undefined)
    return next
  }

  async encode(image: RgbaImage, signal?: AbortSignal): Promise<string> {
    this.assertAlive()
    throwIfAborted(signal, 'encode')
    const frame = this.contract.frame(image.width, image.height)
    if (frame.resizedWidth < 1 || frame.resizedHeight < 1) {
      throw new AnymaskError(
        'INVALID_IMAGE',
        `The ${image.width} x ${image.height} image is too narrow for the model: its short side would be less than one pixel in ` +
          `the model's 1024 square (aspect ratios up to 2048:1 fit). Crop it into pieces, or pad its short side.`,
      )
    }
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

  async decode(key: string, prompt: Prompt, { multimask, maxSide, bestOnly, outline }: EngineDecodeOptions): Promise<Segmentation> {
    this.assertAlive()
    const encoded = this.cache.get(key)
    if (!encoded) throw new AnymaskError('DISPOSED', 'This image session was disposed: encode the image again.')
    checkPromptFits(prompt, this.graph.support, this.config.modelId, key)
    const { outputs, frame } = await encoded
    const start = performance.now()
    const output = outputFrame(frame, maxSide)
    const feeds = this.contract.decoderFeeds(this.ort.Tensor, outputs, prompt, frame, this.graph, multimask)
    const sessionStart = performance.now()
    const result = await this.run('decoder', feeds)
    const decoder = performance.now() - sessionStart
    const all = this.contract.candidates(result, multimask, this.graph)
    if (!all.every((c) => Number.isFinite(c.score))) {
      throw new AnymaskError(
        'INFERENCE_FAILED',
        `The decoder of "${this.config.modelId}" returned scores [${all.map((c) => c.score).join(', ')}]: not finite numbers, so its ` +
          `masks cannot be trusted. The model file may be damaged, or the ${this.device} backend failed on it (try device: 'wasm').`,
      )
    }
    const candidates = bestOnly ? keepBest(all) : all
    const masks = candidates.map((c) => upscaleLowRes(c.lowRes, output, c.score, this.contract.directUpscale))
    const scores = candidates.map((c) => c.score)
    return {
      masks,
      scores,
      best: scores.indexOf(Math.max(...scores)),
      lowRes: candidates.map((c) => toLowResMask(c.lowRes, { model: this.config.modelId, image: key })),
      ...(outline ? { outlines: masks.map((m) => maskToSvgPath(m)) } : {}),
      timings: { decoder, engine: performance.now() - start },
    }
  }

  /**
   * Everything mode (see everything.ts): the grid in groups of 1, 2, 4, ... up to `pointsPerBatch` clicks, each group in one decoder
   * run where the export takes a batch, else one run per click; after each group, the masks that joined the
   * NMS-consistent set (upscaled here, once) and those that left it go to `onBatch`.
   */
  async everything(key: string, config: EverythingConfig, onBatch: (batch: EverythingBatch) => void, signal?: AbortSignal): Promise<EngineEverythingResult> {
    this.assertAlive()
    const encoded = this.cache.get(key)
    if (!encoded) throw new AnymaskError('DISPOSED', 'This image session was disposed: encode the image again.')
    const { outputs, frame } = await encoded
    const started = performance.now()
    const output = outputFrame(frame, config.maxSide)
    const points = gridPoints(frame.width, frame.height, config.pointsPerSide)
    const generator = new MaskGenerator(frame, config)
    const batch = this.contract.clickBatch
    const shown = new Map<number, EverythingMask>()
    let decoder = 0
    let decoded = 0
    const decodeClicks = async (clicks: { x: number; y: number }[]): Promise<Candidate[][]> => {
      const t = performance.now()
      try {
        if (batch) return batch.candidates(await this.run('decoder', batch.feeds(this.ort.Tensor, outputs, clicks, frame, this.graph)), clicks.length)
        const each: Candidate[][] = []
        for (const p of clicks) {
          const feeds = this.contract.decoderFeeds(this.ort.Tensor, outputs, { points: [{ ...p, label: 1 }] }, frame, this.graph, true)
          each.push(this.contract.candidates(await this.run('decoder', feeds), true, this.graph))
        }
        return each
      } finally {
        decoder += performance.now() - t
      }
    }
    // Groups start small and double up to pointsPerBatch: the first masks show after one click's decode, not 64.
    for (
      let start = 0, size = Math.min(FIRST_GROUP, config.pointsPerBatch);
      start < points.length;
      start += size, size = Math.min(2 * size, config.pointsPerBatch)
    ) {
      // A task boundary between groups: a worker reads its messages here (a cancel, a ping, a hover's decode that then
      // runs between two groups); model runs alone resolve in microtasks and would hold them back to the end.
      await new Promise((resolve) => setTimeout(resolve, 0))
      throwIfAborted(signal, 'everything')
      const clicks = points.slice(start, start + size).filter((p) => !config.skipCovered || !generator.covers(p))
      const { added, removed } = clicks.length ? generator.add(clicks, await decodeClicks(clicks)) : { added: [], removed: [] }
      decoded += clicks.length
      const masks = added.map(({ id, lowRes, score, stability, point }) => {
        const mask = { id, mask: upscaleLowRes(lowRes, output, score, this.contract.directUpscale), score, stability, point }
        shown.set(id, mask)
        return mask
      })
      for (const s of removed) shown.delete(s.id)
      onBatch({ added: masks, removed: removed.map((s) => s.id), done: Math.min(points.length, start + size), total: points.length })
    }
    const final = generator.result.map((s) => shown.get(s.id)!)
    const cleaned = removeSmallParts(final, config.minMaskRegionArea, config.boxNmsThresh)
    return {
      ids: cleaned.map((m) => m.id),
      replaced: cleaned.filter((m) => m !== shown.get(m.id)),
      decoded,
      total: points.length,
      timings: { decoder, total: performance.now() - started },
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
