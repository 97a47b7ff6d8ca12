import { AnymaskError, type AnymaskErrorCode } from './AnymaskError.js'
import type { ProgressEvent } from './types.js'

/** Engine calls that cross to the worker. */
export type Method = 'create' | 'encode' | 'decode' | 'release' | 'dispose'

export interface Request {
  id: number
  method: Method
  args: unknown[]
}

export type Response =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code?: AnymaskErrorCode; message: string } }
  | { progress: ProgressEvent }

/** An error as it crosses postMessage: AnymaskErrors keep their code. */
export function serializeError(error: unknown): { code?: AnymaskErrorCode; message: string } {
  if (error instanceof AnymaskError) return { code: error.code, message: error.message }
  return { message: error instanceof Error ? error.message : String(error) }
}

export function deserializeError(error: { code?: AnymaskErrorCode; message: string }): Error {
  return error.code ? new AnymaskError(error.code, error.message) : new Error(error.message)
}
