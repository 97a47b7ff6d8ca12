/** What went wrong, as a stable code to branch on (README, Errors, says when each occurs). */
export type AnymaskErrorCode =
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_CONTRACT_MISMATCH'
  | 'INTEGRITY_MISMATCH'
  | 'UNSUPPORTED_DEVICE'
  | 'INVALID_IMAGE'
  | 'INVALID_PROMPT'
  | 'DISPOSED'
  | 'ABORTED'
  | 'INVALID_OPTION'
  | 'INFERENCE_FAILED'
  | 'WORKER_FAILED'

/**
 * The one error class of anymask. The message says what was expected, what was found, and how to fix it.
 *
 * @example
 * try { await session.decode({ points: [] }) }
 * catch (e) { if (e instanceof AnymaskError && e.code === 'INVALID_PROMPT') showHint(e.message) }
 */
export class AnymaskError extends Error {
  override readonly name = 'AnymaskError'
  constructor(
    readonly code: AnymaskErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Throws ABORTED when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AnymaskError('ABORTED', `${what} was aborted by its AbortSignal.`, { cause: signal.reason })
}
