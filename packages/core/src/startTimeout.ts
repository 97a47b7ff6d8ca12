import { AnymaskError } from './AnymaskError.js'
import { AwakeTimer } from './AwakeTimer.js'

/**
 * How long onnxruntime-web may take to start a model once its files are here, by default: as long as the worker
 * may stay silent (a loaded CI machine took over 60 s to start the embedded model in a worker).
 */
export const DEFAULT_START_TIMEOUT = 120_000

/**
 * The error for a start that did not end in time. Such a start is usually not slow but dead: WASM threads that a
 * bundler broke never report in, while the worker itself still answers pings.
 */
export function startTimedOut(modelId: string, timeout: number, state = ''): AnymaskError {
  return new AnymaskError(
    'MODEL_LOAD_FAILED',
    `onnxruntime-web did not start "${modelId}" within ${timeout} ms after its files arrived. In a production build this ` +
      'usually means the bundler moved onnxruntime-web where its WASM threads cannot load it (README, "Bundlers"); ' +
      'a very large model on a slow machine may just need a longer startTimeout.' +
      (state && ` ${state}`),
  )
}

/** `start`, or startTimedOut after `timeout` ms; an engine that starts after all is disposed. */
export function withinStartTimeout<T extends { dispose(): Promise<void> }>(start: Promise<T>, timeout: number, modelId: string): Promise<T> {
  if (!Number.isFinite(timeout)) return start
  let deadline: AwakeTimer | undefined
  const expired = new Promise<never>((_, reject) => {
    deadline = new AwakeTimer(timeout, () => {
      start.then(
        (late) => late.dispose(),
        () => {},
      )
      reject(startTimedOut(modelId, timeout))
    })
    deadline.restart()
  })
  return Promise.race([start, expired]).finally(() => deadline?.stop())
}
