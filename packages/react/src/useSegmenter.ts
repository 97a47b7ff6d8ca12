import { useEffect } from 'react'
import type { ModelSpec, ProgressEvent, Segmenter, SegmenterOptions } from '@anymask/core'
import { useSelectionController } from './useSelectionController.js'

export interface UseSegmenterOptions extends Omit<SegmenterOptions, 'model' | 'onProgress' | 'signal'> {
  /** A segmenter created elsewhere (shared between canvases); it is used as it is and not disposed. */
  segmenter?: Segmenter
  /** Registry id or ModelSpec of a segmenter to create (and dispose on unmount). Default: `anymask-lite`. */
  model?: string | ModelSpec
}

export interface SegmenterState {
  segmenter: Segmenter | null
  status: 'loading' | 'ready' | 'error'
  /** The last download / init event while loading, with `loaded` and `total` summed over the model's files. */
  progress: ProgressEvent | null
  error: unknown
}

/**
 * A segmenter for a component: the one given, or one created for `model` and disposed when the component
 * unmounts or the model changes (another id, device or worker setting; not a new options object). Nothing runs
 * during server rendering.
 *
 * @example
 * const { segmenter, status, progress } = useSegmenter({ model: 'slimsam-77' })
 */
export function useSegmenter(options: UseSegmenterOptions = {}): SegmenterState {
  const { segmenter: given, model, ...rest } = options
  const { controller, state } = useSelectionController()
  useEffect(() => controller.setSegmenter(given ?? { model, options: rest }))
  const { segmenter, error, progress } = state
  return { segmenter, status: segmenter ? 'ready' : error ? 'error' : 'loading', progress, error }
}
