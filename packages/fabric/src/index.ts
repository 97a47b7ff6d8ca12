/**
 * @anymask/fabric: the anymask selection tool inside fabric.js editors (fabric 6 and 7). The selection logic is
 * core's SelectionController; this package maps fabric's scene to the image's pixels and draws the selection as
 * fabric objects.
 *
 * @packageDocumentation
 * @module @anymask/fabric
 *
 * @example
 * import { attachSegmentTool } from '@anymask/fabric'
 * const tool = attachSegmentTool(canvas, photo)
 */
export { attachSegmentTool, SegmentTool, type SegmentEdit, type SegmentToolOptions } from './SegmentTool.js'
export { imageToScene, placeOver, sceneToImage } from './placement.js'
