/**
 * @anymask/edit: what a photo editor does with a mask. Pure typed-array code (Node, workers, browsers), with
 * browser helpers for Blobs and canvases at the edges.
 *
 * @packageDocumentation
 * @module @anymask/edit
 *
 * @example
 * import { cutout, replaceBackground, recolor, inpaintMask, refineEdges, encodePng } from '@anymask/edit'
 */
export { cutout, type CutoutOptions } from './cutout.js'
export { replaceBackground, type Background, type ReplaceBackgroundOptions } from './replaceBackground.js'
export { estimateForeground } from './estimateForeground.js'
export { recolor, type RecolorOptions } from './recolor.js'
export { inpaintMask, type InpaintMaskOptions } from './inpaintMask.js'
export { refineEdges, type RefineEdgesOptions } from './refineEdges.js'
export { encodePng, toBlob, drawToCanvas } from './encode.js'
export { srgbToOklab, oklabToSrgb } from './oklab.js'
export { boxFilter } from './boxFilter.js'
