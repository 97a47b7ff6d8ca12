import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { SelectionStore, type ImageSession, type SelectionObject, type SelectionState } from '@anymask/core'

export interface UseSegmentationOptions {
  /** Controlled objects (layers with their masks); pair with `onMasksChange`. */
  masks?: readonly SelectionObject[]
  /** Initial objects when uncontrolled. */
  defaultMasks?: readonly SelectionObject[]
  /** Called with the new objects after every change (prompt, candidate, layer edit, undo, redo). */
  onMasksChange?: (masks: readonly SelectionObject[]) => void
  onError?: (error: unknown) => void
}

/**
 * The selection on an encoded image: a core SelectionStore read through useSyncExternalStore. `objects` is the
 * controlled value when `masks` is given. Actions are the store's own methods.
 *
 * @example
 * const { store, state } = useSegmentation(session, { defaultMasks })
 * <button onClick={() => store.undo()} disabled={!state.canUndo}>Undo</button>
 */
export function useSegmentation(session: ImageSession | null, options: UseSegmentationOptions = {}): { store: SelectionStore; state: SelectionState } {
  const latest = useRef(options)
  latest.current = options
  const [store] = useState(() => new SelectionStore(null, { onError: (e) => latest.current.onError?.(e) }))
  useEffect(() => store.setSession(session), [store, session])
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot)
  return { store, state: useMaskProps(store, state, session, options) }
}

/**
 * The `masks` / `defaultMasks` / `onMasksChange` trio on a store whose session is `session`: the initial or
 * controlled objects go in when an image is ready, every change comes out once. Returns the state to render.
 */
export function useMaskProps(store: SelectionStore, state: SelectionState, session: ImageSession | null, options: UseSegmentationOptions): SelectionState {
  const latest = useRef(options)
  latest.current = options
  // What onMasksChange last saw, or what came from outside: neither is reported as a change.
  const reported = useRef(state.objects)
  useEffect(() => {
    const initial = latest.current.masks ?? latest.current.defaultMasks
    if (session && initial) store.setObjects(initial)
    reported.current = store.getSnapshot().objects
  }, [store, session])

  // Controlled: the prop is the truth; the store follows it whenever it changes.
  const controlled = options.masks !== undefined
  useEffect(() => {
    if (!options.masks || !session) return
    store.setObjects(options.masks)
    reported.current = store.getSnapshot().objects
  }, [store, session, options.masks])

  useEffect(() => {
    // A render older than the store (it changed in an effect above) is skipped: the next render reports.
    if (reported.current === state.objects || state.objects !== store.getSnapshot().objects) return
    reported.current = state.objects
    if (state.objects !== latest.current.masks) latest.current.onMasksChange?.(state.objects)
  }, [store, state.objects])

  return controlled ? { ...state, objects: options.masks! } : state
}
