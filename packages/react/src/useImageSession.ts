import { useEffect } from 'react'
import type { ImageSession, ImageSource, RgbaImage, Segmenter } from '@anymask/core'
import { useSelectionController } from './useSelectionController.js'

export interface ImageSessionState {
  session: ImageSession | null
  /** The image's pixels, for drawing. */
  pixels: RgbaImage | null
  status: 'idle' | 'loading' | 'encoding' | 'ready' | 'error'
  error: unknown
}

/**
 * Loads `image` and encodes it once with `segmenter`; the session is disposed when the image or segmenter
 * changes or the component unmounts. The same pixels in a new `{ data, width, height }` object are the same image.
 *
 * @example
 * const { session, pixels, status } = useImageSession(segmenter, '/photo.jpg')
 */
export function useImageSession(segmenter: Segmenter | null, image: ImageSource | null | undefined): ImageSessionState {
  const { controller, state } = useSelectionController()
  useEffect(() => {
    if (segmenter) controller.setSegmenter(segmenter)
    void controller.setImage(image ?? null)
  })
  return { session: state.session, pixels: state.image, status: state.phase, error: state.error }
}
