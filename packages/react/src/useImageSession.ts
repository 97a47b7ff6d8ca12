import { useEffect, useRef, useState } from 'react'
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

/** The same image: the same object, URL, or pixels (`{ data, width, height }` rebuilt around the same array). */
function sameImage(a: ImageSource | null | undefined, b: ImageSource | null | undefined): boolean {
  if (a === b) return true
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || !('data' in a) || !('data' in b)) return false
  return a.data === b.data && a.width === b.width && a.height === b.height
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
  // `image={{ data, width, height }}` is a new object on every render of its parent: that must not re-encode the
  // image and wipe the selection, so the effect keys on what the image is, not on the object's identity.
  const stable = useRef(image)
  if (!sameImage(stable.current, image)) stable.current = image
  const current = stable.current
  useEffect(() => {
    const image = current
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
  }, [segmenter, current])
  return state
}
