import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { SelectionController, type SelectionControllerOptions, type SelectionControllerState } from '@anymask/core'

/**
 * A core SelectionController for the component's lifetime, read through useSyncExternalStore. It is disposed on
 * unmount; StrictMode's second mount sets it up again (its setters run in effects on every render and do nothing
 * when nothing changed). `options` are read once.
 *
 * @example
 * const { controller, state } = useSelectionController()
 * useEffect(() => { controller.setSegmenter({ model: 'slimsam-77' }); void controller.setImage(url) })
 */
export function useSelectionController(options: SelectionControllerOptions = {}): { controller: SelectionController; state: SelectionControllerState } {
  const latest = useRef(options)
  latest.current = options
  const [controller] = useState(() => new SelectionController({ ...options, onError: (e) => latest.current.onError?.(e) }))
  useEffect(() => () => controller.dispose(), [controller])
  const state = useSyncExternalStore(controller.subscribe, controller.getSnapshot, controller.getSnapshot)
  return { controller, state }
}
