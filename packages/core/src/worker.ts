/**
 * The Web Worker entry: an Engine off the main thread. Embeddings stay here, so a decode sends only the prompt
 * and receives only the masks (their buffers transferred, not copied). Pings are answered at once, so the page can
 * tell a busy worker from a dead one; a cancelled encode is dropped when its model run ends.
 */
import { Engine, type EngineConfig, type EngineDecodeOptions } from './Engine.js'
import type { EverythingBatch, EverythingConfig } from './everything.js'
import type { Prompt, RgbaImage, Segmentation } from './types.js'
import { serializeError, type Request, type Response } from './workerProtocol.js'

let engine: Engine | undefined
const running = new Map<number, AbortController>()
const scope = self as unknown as { postMessage(message: Response, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<Request>) => void) | null }

function transfers(value: unknown): Transferable[] {
  const result = value as Segmentation | undefined
  if (!result?.masks) return []
  return [...result.masks.map((m) => m.data.buffer), ...result.lowRes.map((m) => m.data.buffer)] as Transferable[]
}

/** Everything's masks cross once, in their batch, their pixels moved rather than copied. */
const everythingTransfers = (masks: EverythingBatch['added']) => masks.map((m) => m.mask.data.buffer as ArrayBuffer)

async function call({ id, method, args }: Request, signal: AbortSignal): Promise<unknown> {
  if (method === 'ping') return true
  if (method === 'cancel') return running.get(args[0] as number)?.abort()
  if (method === 'create') {
    engine = await Engine.create(args[0] as EngineConfig, (progress) => scope.postMessage({ progress }))
    return { device: engine.device, prompts: engine.prompts, threads: engine.threads }
  }
  if (!engine) throw new Error(`The anymask worker got '${method}' (request ${id}) before its engine was created.`)
  if (method === 'encode') return engine.encode(args[0] as RgbaImage, signal)
  if (method === 'decode') return engine.decode(args[0] as string, args[1] as Prompt, args[2] as EngineDecodeOptions)
  if (method === 'everything') {
    const onBatch = (batch: EverythingBatch) => scope.postMessage({ id, batch }, everythingTransfers(batch.added))
    return engine.everything(args[0] as string, args[1] as EverythingConfig, onBatch, signal)
  }
  if (method === 'release') return engine.release(args[0] as string)
  return engine.dispose()
}

/**
 * onnxruntime-web starts its WASM threads from its own module's URL. A bundler that puts onnxruntime-web inside
 * this worker's file (Vite does, with its default worker format) makes that URL this file, so each thread loads
 * this code: it must start onnxruntime's thread code, which takes over onmessage, and not answer as an anymask
 * worker (else the threads never start and the model never loads). The inlined import runs before any message.
 */
const isOrtThread = (self as { name?: string }).name?.startsWith('em-pthread') ?? false

function answer(event: MessageEvent<Request>) {
  const request = event.data
  const controller = new AbortController()
  running.set(request.id, controller)
  call(request, controller.signal)
    .then(
      (value) =>
        scope.postMessage(
          { id: request.id, ok: true, value },
          request.method === 'everything' ? everythingTransfers((value as { replaced: EverythingBatch['added'] }).replaced) : transfers(value),
        ),
      (error) => scope.postMessage({ id: request.id, ok: false, error: serializeError(error) }),
    )
    .finally(() => running.delete(request.id))
}

if (isOrtThread) void import('onnxruntime-web')
else scope.onmessage = answer
