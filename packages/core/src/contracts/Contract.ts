import type { InferenceSession, Tensor, TypedTensor } from 'onnxruntime-web'
import type { ModelFrame } from '../coordinates.js'
import type { Candidate } from '../postprocess.js'
import type { RgbImage } from '../preprocess.js'
import type { ContractName, Prompt } from '../types.js'

export type Feeds = Record<string, Tensor>
export type Outputs = InferenceSession.OnnxValueMapType
/** The Tensor constructor of the loaded onnxruntime-web (imported lazily, so passed in). */
export type TensorCtor = typeof Tensor

/** Names a contract needs of a graph: all of `required`, and nothing outside `required` and `optional`. */
export interface GraphIO {
  required: readonly string[]
  optional?: readonly string[]
}

/**
 * How one family of exported models is fed and read (CONTRACTS.md). A contract is data plus pure functions:
 * the engine owns sessions and caching, the contract owns names, shapes, label codes and layouts.
 */
export interface Contract {
  name: ContractName
  encoder: GraphIO
  decoder: GraphIO
  /** Where the image sits in the 1024 square. */
  frame(width: number, height: number): ModelFrame
  /** The encoder's feeds from the image resized to the frame's content size. */
  encoderFeeds(Tensor: TensorCtor, rgb: RgbImage, encoder: InferenceSession): Feeds
  /** The decoder's feeds for one prompt (`embeddings` are the encoder's outputs, `inputNames` the decoder's). */
  decoderFeeds(Tensor: TensorCtor, embeddings: Outputs, prompt: Prompt, frame: ModelFrame, inputNames: readonly string[]): Feeds
  /**
   * The candidates the decoder returned, as low-res logits (Engine upscales them to the wanted size);
   * `multimask` false keeps the single-mask answer.
   */
  candidates(outputs: Outputs, multimask: boolean): Candidate[]
}

/** SAM's rule: several candidates for an ambiguous prompt (one point, no box), one answer otherwise. */
export function defaultMultimask(prompt: Prompt): boolean {
  return (prompt.points?.length ?? 0) === 1 && !prompt.box
}

export const SAM_MEAN = [123.675, 116.28, 103.53]
export const SAM_STD = [58.395, 57.12, 57.375]

/** The `index`-th 256x256 plane of a float output, copied so it outlives the output tensor. */
export function plane(t: Tensor, index: number, size: number): Float32Array {
  const data = (t as TypedTensor<'float32'>).data
  return data.slice(index * size, (index + 1) * size)
}

/** Scores of a [.., K] float output. */
export function scoresOf(t: Tensor): number[] {
  return Array.from((t as TypedTensor<'float32'>).data)
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
