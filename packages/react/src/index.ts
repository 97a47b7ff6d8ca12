/**
 * @anymask/react: <SegmentCanvas> and hooks on @anymask/core. The selection logic lives in the core's
 * SelectionController; this package only renders it and connects it to React.
 *
 * @packageDocumentation
 * @module @anymask/react
 *
 * @example
 * import { SegmentCanvas } from '@anymask/react'
 * <SegmentCanvas image="/photo.jpg" onMasksChange={(masks) => console.log(masks)} />
 */
export { SegmentCanvas, type SegmentCanvasHandle, type SegmentCanvasProps } from './SegmentCanvas.js'
export {
  DefaultErrorFallback,
  DefaultLoading,
  DefaultMaskOverlay,
  DefaultPromptPoint,
  DefaultToolbar,
  type ErrorFallbackProps,
  type LoadingProps,
  type MaskOverlayProps,
  type PromptPointProps,
  type SegmentCanvasComponents,
  type ToolbarProps,
} from './defaults.js'
export { useSelectionController } from './useSelectionController.js'
export { useSegmenter, type SegmenterState, type UseSegmenterOptions } from './useSegmenter.js'
export { useImageSession, type ImageSessionState } from './useImageSession.js'
export { useSegmentation, type UseSegmentationOptions } from './useSegmentation.js'
export { THEME_DEFAULTS, type ThemeStyle, type ThemeVariable, type ThemeVariableName } from './theme.js'
