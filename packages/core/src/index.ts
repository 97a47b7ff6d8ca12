/**
 * @anymask/core: Segment Anything in the browser. Encode an image once, decode prompts in milliseconds.
 *
 * @example
 * import { createSegmenter } from '@anymask/core'
 * const segmenter = await createSegmenter({ model: 'anymask-lite' })
 * const session = await segmenter.encode(image)
 * const result = await session.decode({ points: [{ x: 500, y: 375, label: 1 }] })
 */
export { createSegmenter, Segmenter, type SegmenterOptions } from './createSegmenter.js'
export { ImageSession, type DecodeOptions, type OutputOptions } from './ImageSession.js'
export { AnymaskError, type AnymaskErrorCode } from './AnymaskError.js'
export {
  checkColor,
  checkNumber,
  checkOptions,
  describeValue,
  invalidOption,
  optionalBoolean,
  optionalChoice,
  optionalNumber,
  type NumberRule,
} from './options.js'
export { models, type ModelId } from './registry.js'
export { mirrorModel } from './publicModels.js'
export { loadModelFiles, type ModelBytes, type ExternalData } from './loadModel.js'
export { LatestWins } from './LatestWins.js'
export { toRgbaImage } from './imageInput.js'
export { validateImage } from './validate.js'
export type { Backend, RuntimeOptions } from './runtime.js'
export type {
  Box,
  ContractName,
  ExternalDataSource,
  Device,
  ImageInput,
  LowResMask,
  Mask,
  ModelFile,
  ModelSource,
  ModelSpec,
  ProgressEvent,
  Prompt,
  PromptSupport,
  PromptPoint,
  RgbaImage,
  Segmentation,
  DecodeTimings,
} from './types.js'
export * from './mask/index.js'
export { SelectionStore, chosenMask, type SelectionObject, type SelectionState, type SelectionStoreOptions } from './SelectionStore.js'
