import { useEffect, useState } from 'react'
import { AnymaskError, toRgbaImage, type ImageInput, type ImageSession, type RgbaImage, type Segmenter } from '@anymask/core'

/** What a component accepts as its image: a URL, or anything `segmenter.encode` takes. */
export type ImageSource = string | ImageInput

export interface ImageSessionState {
  session: ImageSession | null
  /** The image's pixels, for drawing. */
  pixels: RgbaImage | null
  status: 'idle' | 'loading' | 'encoding' | 'ready' | 'error'
  error: unknown
}

async function loadPixels(source: ImageSource, signal: AbortSignal): Promise<RgbaImage> {
  if (typeof source !== 'string') return toRgbaImage(source)
  let response: Response
  try {
    response = await fetch(source, { signal })
  } catch (cause) {
    throw new AnymaskError('INVALID_IMAGE', `The image ${source.slice(0, 100)} could not be fetched (network or CORS): check the URL.`, { cause })
  }
  if (!response.ok) throw new AnymaskError('INVALID_IMAGE', `The image ${source.slice(0, 100)} answered HTTP ${response.status}: check the URL.`)
  return toRgbaImage(await response.blob())
}

/**
 * Loads `image` and encodes it once with `segmenter`; the session is disposed when the image or segmenter
 * changes or the component unmounts.
 *
 * @example
 * const { session, pixels, status } = useImageSession(segmenter, '/photo.jpg')
 */
export function useImageSession(segmenter: Segmenter | null, image: ImageSource | null | undefined): ImageSessionState {
  const [state, setState] = useState<ImageSessionState>({ session: null, pixels: null, status: 'idle', error: null })
  useEffect(() => {
    if (!image) return setState({ session: null, pixels: null, status: 'idle', error: null })
    const abort = new AbortController()
    let session: ImageSession | null = null
    setState({ session: null, pixels: null, status: 'loading', error: null })
    ;(async () => {
      const pixels = await loadPixels(image, abort.signal)
      if (abort.signal.aborted) return
      if (!segmenter) return setState({ session: null, pixels, status: 'loading', error: null })
      setState({ session: null, pixels, status: 'encoding', error: null })
      session = await segmenter.encode(pixels, { signal: abort.signal })
      if (abort.signal.aborted) return session.dispose()
      setState({ session, pixels, status: 'ready', error: null })
    })().catch((error) => !abort.signal.aborted && setState((s) => ({ ...s, session: null, status: 'error', error })))
    return () => {
      abort.abort()
      session?.dispose()
    }
  }, [segmenter, image])
  return state
}
