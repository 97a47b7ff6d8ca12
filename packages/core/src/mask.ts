/**
 * @anymask/core/mask: everything in @anymask/core that needs no model: mask operations, image and option checks,
 * errors and types. Import from here when that is all you use (as @anymask/edit does): a bundler then ships
 * neither onnxruntime-web, nor the worker, nor the embedded model.
 *
 * @example
 * import { feather, toCocoRle } from '@anymask/core/mask'
 */
export * from './mask/index.js'
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
export { validateImage } from './validate.js'
export type { Box, Mask, RgbaImage } from './types.js'
