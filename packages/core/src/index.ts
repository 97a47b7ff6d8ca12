/**
 * @anymask/core: Segment Anything in the browser. Encode an image once, decode prompts in milliseconds.
 *
 * @packageDocumentation
 * @module @anymask/core
 *
 * @example
 * import { createSegmenter } from '@anymask/core'
 * const segmenter = await createSegmenter({ model: 'anymask-lite' })
 * const session = await segmenter.encode(image)
 * const result = await session.decode({ points: [{ x: 500, y: 375, label: 1 }] })
 */
export { createSegmenter, Segmenter, type SegmenterOptions } from './createSegmenter.js'
export { ImageSession, type DecodeOptions, type OutputOptions } from './ImageSession.js'
export {
  toSamRecords,
  type EverythingBatch,
  type EverythingMask,
  type EverythingOptions,
  type EverythingResult,
  type SamMaskRecord,
} from './everything.js'
export { models, type ModelId } from './registry.js'
export { mirrorModel } from './publicModels.js'
export { loadModelFiles, type ModelBytes, type ExternalData } from './loadModel.js'
export { LatestWins } from './LatestWins.js'
export { toRgbaImage } from './imageInput.js'
export type { Backend, RuntimeOptions } from './runtime.js'
export type {
  ContractName,
  ExternalDataSource,
  Device,
  ImageInput,
  LowResMask,
  ModelFile,
  ModelSource,
  ModelSpec,
  LazyModelSource,
  ProgressEvent,
  Prompt,
  PromptSupport,
  PromptPoint,
  Segmentation,
  DecodeTimings,
} from './types.js'
// Mask operations, checks, errors: also alone as @anymask/core/mask.
export * from './mask.js'
export { SelectionStore, chosenMask, type SelectionObject, type SelectionState, type SelectionStoreOptions } from './SelectionStore.js'
export {
  SelectionController,
  type AutoSelect,
  type ImagePointer,
  type ImageSource,
  type KeyPress,
  type SegmenterSource,
  type SelectionControllerOptions,
  type SelectionControllerState,
  type EverythingState,
  type Tool,
} from './SelectionController.js'
export {
  ViewController,
  fitView,
  toImagePoint,
  toScreenPoint,
  zoomAt,
  type ScreenPoint,
  type ScreenPointer,
  type ScreenWheel,
  type View,
  type ViewState,
} from './ViewController.js'
