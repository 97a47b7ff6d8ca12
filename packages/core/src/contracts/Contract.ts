import type { InferenceSession, Tensor, TypedTensor } from 'onnxruntime-web'
import type { ModelFrame } from '../coordinates.js'
import { AnymaskError } from '../AnymaskError.js'
import { LOW_RES, type Candidate } from '../postprocess.js'
import type { RgbImage } from '../preprocess.js'
import type { ContractName, Prompt, PromptSupport } from '../types.js'

export type Feeds = Record<string, Tensor>
export type Outputs = InferenceSession.OnnxValueMapType
/** The Tensor constructor of the loaded onnxruntime-web (imported lazily, so passed in). */
export type TensorCtor = typeof Tensor

/** Names a contract needs of a graph: all of `required`, and nothing outside `required` and `optional`. */
export interface GraphIO {
  required: readonly string[]
  optional?: readonly string[]
}

/** What the engine learnt of a loaded decoder once, at load: its names and what its export can take. */
export interface DecoderGraph {
  inputNames: readonly string[]
  support: PromptSupport
}

/**
 * How one family of exported models is fed and read (CONTRACTS.md). A contract is data plus pure functions:
 * the engine owns sessions and caching, the contract owns names, shapes, label codes and layouts.
 */
export interface Contract {
  name: ContractName
  encoder: GraphIO
  decoder: GraphIO
  /** Output names the decoder must have. */
  decoderOutputs: readonly string[]
  /** Where the image sits in the 1024 square. */
  frame(width: number, height: number): ModelFrame
  /** The reference post-processing resizes the 256 grid straight to the image size (not through the 1024 square). */
  directUpscale?: boolean
  /** The encoder's feeds from the image resized to the frame's content size. */
  encoderFeeds(Tensor: TensorCtor, rgb: RgbImage, encoder: InferenceSession): Feeds
  /** What this export can take, read from the loaded decoder's inputs and outputs. */
  support(decoder: InferenceSession): PromptSupport
  /**
   * The decoder's feeds for one prompt (`embeddings` are the encoder's outputs). `multimask` says which answer is
   * wanted, for exports whose graph picks by the number of points.
   */
  decoderFeeds(Tensor: TensorCtor, embeddings: Outputs, prompt: Prompt, frame: ModelFrame, graph: DecoderGraph, multimask: boolean): Feeds
  /**
   * The candidates the decoder returned, as low-res logits (Engine upscales them to the wanted size);
   * `multimask` false keeps the single-mask answer, or the best candidate where the export has none.
   */
  candidates(outputs: Outputs, multimask: boolean, graph: DecoderGraph): Candidate[]
  /**
   * Where the export decodes a batch of prompts in one run (everything mode): the feeds for one object click at each
   * of `points` (image pixels), all candidates wanted, and each click's candidates back from the outputs.
   */
  clickBatch?: {
    feeds(Tensor: TensorCtor, embeddings: Outputs, points: readonly { x: number; y: number }[], frame: ModelFrame, graph: DecoderGraph): Feeds
    candidates(outputs: Outputs, count: number): Candidate[][]
  }
}

/** The static shape of a session's output `name`, where the export recorded it (symbolic axes are strings). */
export function outputShape(session: InferenceSession, name: string): readonly (number | string)[] | undefined {
  const meta = session.outputMetadata.find((m) => m.name === name)
  return meta?.isTensor ? meta.shape : undefined
}

/** SAM's rule: several candidates for an ambiguous prompt (one point, no box), one answer otherwise. */
export function defaultMultimask(prompt: Prompt): boolean {
  return (prompt.points?.length ?? 0) === 1 && !prompt.box
}

export const SAM_MEAN = [123.675, 116.28, 103.53]
export const SAM_STD = [58.395, 57.12, 57.375]

/**
 * The candidates of one prompt from a [.., K] score output and a [.., K, 256, 256] low-res logits output, each
 * plane copied so it outlives the output tensor. A graph whose outputs do not have those shapes is refused, not
 * read as garbage.
 */
export function lowResCandidates(scores: Tensor | undefined, masks: Tensor | undefined, names: [string, string]): Candidate[] {
  return batchCandidates(scores, masks, names, 1)[0]
}

/** The candidates of each of `count` prompts decoded in one run: [.., count, K] scores, [.., count, K, 256, 256] logits. */
export function batchCandidates(scores: Tensor | undefined, masks: Tensor | undefined, names: [string, string], count: number): Candidate[][] {
  const k = scores?.dims.at(-1) ?? 0
  const size = LOW_RES * LOW_RES
  const dims = masks?.dims ?? []
  if (
    !scores ||
    !masks ||
    k < 1 ||
    scores.data.length !== count * k ||
    dims.length < 3 ||
    dims.at(-1) !== LOW_RES ||
    dims.at(-2) !== LOW_RES ||
    masks.data.length !== count * k * size
  ) {
    throw new AnymaskError(
      'MODEL_CONTRACT_MISMATCH',
      `The decoder's outputs are not ${count === 1 ? "one prompt's" : `${count} prompts'`} candidates: expected ${names[0]} [.., K] and ${names[1]} [.., K, ${LOW_RES}, ${LOW_RES}], ` +
        `got ${names[0]} [${scores?.dims.join(', ') ?? 'missing'}] and ${names[1]} [${masks?.dims.join(', ') ?? 'missing'}]. ` +
        'Check that the ModelSpec names the right contract and files (see CONTRACTS.md).',
    )
  }
  const data = (masks as TypedTensor<'float32'>).data
  const all = Array.from((scores as TypedTensor<'float32'>).data, (score, i) => ({ score, lowRes: data.slice(i * size, (i + 1) * size) }))
  return Array.from({ length: count }, (_, p) => all.slice(p * k, (p + 1) * k))
}

/** An all-zero [1,1,256,256] mask input, or the prompt's previous low-res mask. */
// "No previous mask", shared by every decode (onnxruntime only reads its inputs).
const NO_MASK = new Float32Array(256 * 256)

export function maskInput(Tensor: TensorCtor, prompt: Prompt): { mask: Tensor; has: Tensor } {
  const data = prompt.mask ? prompt.mask.data : NO_MASK
  return {
    mask: new Tensor('float32', data, [1, 1, 256, 256]),
    has: new Tensor('float32', new Float32Array([prompt.mask ? 1 : 0]), [1]),
  }
}

/** The best of several candidates alone. */
export function keepBest(candidates: Candidate[]): Candidate[] {
  return [candidates.reduce((a, b) => (b.score > a.score ? b : a))]
}
