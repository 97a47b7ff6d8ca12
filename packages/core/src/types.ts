/** Model contracts: how a family of exported SAM models wants its inputs and gives its outputs (CONTRACTS.md). */
export type ContractName = 'sam' | 'hf-sam' | 'sam2' | 'hf-sam2'

/** Where a model file comes from: a URL (fetched, cached, verified), or its bytes. */
export type ModelSource = string | ArrayBuffer | Uint8Array | LazyModelSource

/**
 * A source fetched only when the model loads, e.g. `() => import('./my-model.js').then((m) => m.bytes)`: a bundler
 * then puts the bytes in a chunk of their own, which apps that never load the model never download.
 */
export type LazyModelSource = () => Promise<string | ArrayBuffer | Uint8Array>

/**
 * The weights of a graph saved with ONNX external data (`vision_encoder.onnx` + `vision_encoder.onnx_data`): a URL,
 * whose file name is the one the graph refers to, or the bytes with that name.
 */
export type ExternalDataSource = string | { path: string; data: ArrayBuffer | Uint8Array }

/** The files of a model: two graphs, and the external weights of either where it keeps them apart. */
export type ModelFile = 'encoder' | 'decoder' | 'encoderData' | 'decoderData'

/**
 * A segmentation model: an image encoder and a prompt decoder in one contract.
 *
 * @example
 * const spec: ModelSpec = {
 *   id: 'my-mobilesam', contract: 'sam',
 *   encoder: '/models/mobilesam.encoder.onnx', decoder: '/models/mobilesam.decoder.onnx',
 * }
 */
export interface ModelSpec {
  id: string
  contract: ContractName
  encoder: ModelSource
  decoder: ModelSource
  /** The encoder's external weights, for exports that keep them beside the graph (`<encoder>.onnx_data`). */
  encoderData?: ExternalDataSource
  /** The decoder's external weights, likewise. */
  decoderData?: ExternalDataSource
  /** Hex sha256 of each file; a file whose bytes differ is refused with INTEGRITY_MISMATCH. */
  sha256?: Partial<Record<ModelFile, string>>
  /** SPDX licence of the weights. */
  license?: string
  /** Download sizes in bytes, used for progress when a server sends no length. */
  bytes?: Partial<Record<ModelFile, number>>
  /** Where the model comes from, for people. */
  homepage?: string
  /**
   * Everything mode's filter thresholds where this model's scores need others than SAM's (0.88, 0.95): what its
   * `session.everything` uses unless the call says otherwise.
   */
  everything?: { predIouThresh?: number; stabilityScoreThresh?: number }
  /**
   * What the export can take and give (the registry says it for every entry; for your own spec it is read from
   * the decoder's inputs and outputs when the model loads: see `segmenter.prompts`).
   */
  prompts?: PromptSupport
}

/**
 * What a model's decoder export can take and how many masks it gives. Every SAM export takes points.
 *
 * @example
 * if (!segmenter.prompts.box) hideBoxTool()
 */
export interface PromptSupport {
  /** A box prompt (the export has box corners or a box input). */
  box: boolean
  /** A previous low-res mask to refine (`prompt.mask`). */
  mask: boolean
  /** Masks one decode can return: 3 (SAM's multimask candidates), or 1 (a single-mask export that picks itself). */
  candidates: 1 | 3
  /**
   * The export has SAM's own single-mask answer (decoder token 0) for unambiguous prompts. Where it has not,
   * `multimask: false` returns the best-scoring of the three candidates instead.
   */
  singleMask: boolean
}

/** `'auto'` picks WebGPU when the browser has an adapter, else multi-threaded WASM. */
export type Device = 'auto' | 'webgpu' | 'wasm'

/** RGBA pixels, row-major, 4 bytes a pixel: the shape of ImageData, usable in Node. */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array
  width: number
  height: number
}

/** Anything `encode` accepts: RGBA pixels everywhere, and in the browser the usual image objects. */
export type ImageInput = RgbaImage | ImageData | HTMLImageElement | HTMLCanvasElement | ImageBitmap | OffscreenCanvas | Blob

/** A point in image pixels; label 1 = object, 0 = background. */
export interface PromptPoint {
  x: number
  y: number
  label: 1 | 0
}

/** A box in image pixels: (x0, y0) top-left, (x1, y1) bottom-right. */
export interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

/**
 * The model's own 256x256 logits for one candidate, fed back as `prompt.mask` to refine.
 * Only meaningful to the model (and image) that produced it.
 */
export interface LowResMask {
  width: number
  height: number
  data: Float32Array
  /** Which model and encoded image produced it (set by decode): fed to another, it is refused with INVALID_PROMPT. */
  source?: { model: string; image: string }
}

/** What to segment: any mix of points, a box and a previous low-res mask, all in image pixels. */
export interface Prompt {
  points?: PromptPoint[]
  box?: Box
  mask?: LowResMask
}

/**
 * A mask at the image's resolution, one byte a pixel: 0 and 255 for a binary mask, the whole range for a soft one.
 * `bbox` is the smallest box holding every non-zero pixel (x1, y1 exclusive); `area` counts them.
 */
export interface Mask {
  width: number
  height: number
  data: Uint8Array
  bbox: Box
  area: number
  score?: number
}

/** The result of one decode: candidates with the model's quality scores, the best one, and logits to refine with. */
export interface Segmentation {
  masks: Mask[]
  scores: number[]
  best: number
  lowRes: LowResMask[]
  /** With the `outline` option: each mask's outline as an SVG path in its own pixels (`maskToSvgPath`), traced where the model runs. */
  outlines?: string[]
  /** Where the time went, in ms, measured where the model runs (the worker, if any); set by every decode. */
  timings?: DecodeTimings
}

export interface DecodeTimings {
  /** Inside the decoder session. */
  decoder: number
  /** The whole decode where the model runs: feeds, the session, post-processing (not the worker's messages). */
  engine: number
}

/** Progress of loading and encoding; `warning` says when something fell back (WebGPU to WASM, say). */
export interface ProgressEvent {
  status: 'download' | 'init' | 'encode' | 'ready'
  file?: string
  loaded?: number
  total?: number
  device?: 'webgpu' | 'wasm'
  warning?: string
}
