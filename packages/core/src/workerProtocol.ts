import { AnymaskError, type AnymaskErrorCode } from './AnymaskError.js'
import type { ProgressEvent } from './types.js'

/** Engine calls that cross to the worker; `ping` is answered at once (supervision), `cancel` aborts request `args[0]`. */
export type Method = 'create' | 'encode' | 'decode' | 'everything' | 'release' | 'dispose' | 'ping' | 'cancel'

export interface Request {
  id: number
  method: Method
  args: unknown[]
}

export type Response =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code?: AnymaskErrorCode; message: string } }
  | { progress: ProgressEvent }
  /** A part of request `id`'s answer before the answer itself (everything mode's batches). */
  | { id: number; batch: unknown }

/** An error as it crosses postMessage: AnymaskErrors keep their code. */
export function serializeError(error: unknown): { code?: AnymaskErrorCode; message: string } {
  if (error instanceof AnymaskError) return { code: error.code, message: error.message }
  return { message: error instanceof Error ? error.message : String(error) }
}

/** The error back on the page: an AnymaskError always (a plain error inside the worker is an inference failure). */
export function deserializeError(error: { code?: AnymaskErrorCode; message: string }): AnymaskError {
  return new AnymaskError(error.code ?? 'INFERENCE_FAILED', error.code ? error.message : `The model failed in the worker: ${error.message}`)
}
