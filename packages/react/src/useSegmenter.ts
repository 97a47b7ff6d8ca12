import { useEffect, useState } from 'react'
import { createSegmenter, type ModelSpec, type ProgressEvent, type Segmenter, type SegmenterOptions } from '@anymask/core'

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
 * unmounts or the model changes. Nothing runs during server rendering.
 *
 * @example
 * const { segmenter, status, progress } = useSegmenter({ model: 'slimsam-77' })
 */
export function useSegmenter(options: UseSegmenterOptions = {}): SegmenterState {
  const { segmenter: given, model = 'anymask-lite', ...rest } = options
  const modelKey = typeof model === 'string' ? model : model.id
  const [state, setState] = useState<SegmenterState>(() =>
    given ? { segmenter: given, status: 'ready', progress: null, error: null } : { segmenter: null, status: 'loading', progress: null, error: null },
  )
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new segmenter only for another model, device or worker setting, not for new option objects or callbacks
  useEffect(() => {
    if (given) {
      setState({ segmenter: given, status: 'ready', progress: null, error: null })
      return
    }
    const abort = new AbortController()
    let created: Segmenter | null = null
    const files = new Map<string, { loaded: number; total: number }>()
    setState({ segmenter: null, status: 'loading', progress: null, error: null })
    createSegmenter({
      ...rest,
      model,
      signal: abort.signal,
      onProgress: (event) => {
        if (abort.signal.aborted || event.status === 'encode' || event.status === 'ready') return
        // One bar for all the model's files: bytes summed over the files seen so far.
        if (event.file && event.loaded !== undefined) files.set(event.file, { loaded: event.loaded, total: event.total ?? 0 })
        const all = [...files.values()]
        const progress = { ...event, loaded: all.reduce((n, f) => n + f.loaded, 0), total: all.reduce((n, f) => n + f.total, 0) }
        setState((s) => ({ ...s, progress }))
      },
    }).then(
      (segmenter) => {
        if (abort.signal.aborted) return void segmenter.dispose()
        created = segmenter
        setState({ segmenter, status: 'ready', progress: null, error: null })
      },
      (error) => !abort.signal.aborted && setState({ segmenter: null, status: 'error', progress: null, error }),
    )
    return () => {
      abort.abort()
      void created?.dispose()
    }
    // The model is keyed by id so that an inline ModelSpec object does not reload on every render.
  }, [given, modelKey, rest.device, rest.worker])
  return state
}
