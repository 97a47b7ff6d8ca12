/**
 * The one module that touches onnxruntime-web: lazy import, device choice, thread settings, and session creation
 * one at a time with errors that say how to fix them.
 */
import type * as OrtModule from 'onnxruntime-web'
import type { InferenceSession } from 'onnxruntime-web'
import { AnymaskError } from './AnymaskError.js'
import { describeBytes, type ExternalData } from './loadModel.js'
import type { Device } from './types.js'

export type Ort = typeof OrtModule
export type Backend = 'webgpu' | 'wasm'

/** Runtime settings a user may override. */
export interface RuntimeOptions {
  /** Where onnxruntime-web's .wasm/.mjs files are served from, if your bundler does not place them. */
  wasmPaths?: string
  /**
   * WASM threads; default in a worker: up to 4 when the page is cross-origin isolated, else 1. On the page's own
   * thread (`worker: false`) the default is 1: there the threads would only busy-wait beside the UI, and bundlers
   * such as Vite 8 let them load the app's entry code instead of onnxruntime's (README, "Bundlers").
   */
  threads?: number
}

/**
 * Which execution provider runs each device. WebGPU keeps the models' NCHW layout: its default (NHWC) wraps every
 * convolution and pooling in transposes, which cost more than they save for SAM's 1x1-heavy graphs.
 */
const EXECUTION_PROVIDER = {
  webgpu: { name: 'webgpu', preferredLayout: 'NCHW' },
  wasm: { name: 'wasm' },
} as const
const DEVICES: readonly Device[] = ['auto', 'webgpu', 'wasm']

let ortPromise: Promise<Ort> | undefined
/** The settings onnxruntime was started with in this realm (page or worker): they cannot change afterwards. */
let started: RuntimeOptions | undefined

/**
 * Throws INVALID_OPTION when `options` asks for threads or a wasmPaths other than those this page's onnxruntime
 * already started with (it reads them once, so a second value would be silently ignored).
 */
export function checkRuntime(options: RuntimeOptions): void {
  if (!started) return
  for (const key of ['threads', 'wasmPaths'] as const) {
    if (options[key] !== undefined && options[key] !== started[key]) {
      throw new AnymaskError(
        'INVALID_OPTION',
        `createSegmenter: options.${key} is ${JSON.stringify(options[key])}, but onnxruntime already started on this page with ` +
          `${JSON.stringify(started[key])}, and it reads that setting once. Use the same value for every segmenter, or run each in its own worker.`,
      )
    }
  }
}

/** onnxruntime-web, imported on first use so that importing @anymask/core costs nothing. */
export function loadOrt(options: RuntimeOptions = {}): Promise<Ort> {
  if (!started) {
    const onPage = typeof document !== 'undefined'
    const isolated = !onPage && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
    const cores = (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency ?? 1
    started = { threads: options.threads ?? (isolated ? Math.max(1, Math.min(4, cores)) : 1), wasmPaths: options.wasmPaths }
  }
  const { threads, wasmPaths } = started
  ortPromise ??= import('onnxruntime-web').then((ort) => {
    ort.env.wasm.numThreads = threads!
    if (wasmPaths) ort.env.wasm.wasmPaths = wasmPaths
    ort.env.logLevel = 'error'
    return ort
  })
  return ortPromise
}

/** Throws UNSUPPORTED_DEVICE for anything but 'auto' | 'webgpu' | 'wasm'. */
export function checkDevice(device: unknown): asserts device is Device {
  if (!DEVICES.includes(device as Device)) {
    throw new AnymaskError('UNSUPPORTED_DEVICE', `Unknown device ${JSON.stringify(device)}: use 'auto' (WebGPU when available, else WASM), 'webgpu' or 'wasm'.`)
  }
}

async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu
  if (!gpu) return false
  try {
    return (await gpu.requestAdapter()) != null
  } catch {
    return false
  }
}

/** The backend to start on: WebGPU for 'auto' when an adapter exists, else WASM. */
export async function resolveDevice(device: Device): Promise<Backend> {
  checkDevice(device)
  if (device === 'wasm') return 'wasm'
  const gpu = await hasWebGpuAdapter()
  if (device === 'webgpu' && !gpu) {
    throw new AnymaskError(
      'UNSUPPORTED_DEVICE',
      "device 'webgpu' was asked for, but this browser has no WebGPU adapter. Use device: 'auto' to fall back to WASM, or 'wasm'.",
    )
  }
  return gpu ? 'webgpu' : 'wasm'
}

let sessionQueue: Promise<unknown> = Promise.resolve()

/**
 * An inference session on `backend`, created after any other session in creation (creating two at once can
 * exhaust WASM memory and trips WebGPU initialisation).
 */
export function createSession(ort: Ort, bytes: Uint8Array, backend: Backend, what: string, externalData?: ExternalData): Promise<InferenceSession> {
  const create = async () => {
    try {
      return await ort.InferenceSession.create(bytes, {
        executionProviders: [EXECUTION_PROVIDER[backend]],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3, // errors only: node-placement warnings are noise to users
        ...(externalData ? { externalData: [externalData] } : {}),
      })
    } catch (cause) {
      throw new AnymaskError(
        'MODEL_LOAD_FAILED',
        `Could not load ${what} on ${backend}: ${cause instanceof Error ? cause.message : String(cause)}.` +
          (describeBytes(bytes) || ' Check that the file is a complete ONNX model.'),
        { cause },
      )
    }
  }
  const next = sessionQueue.then(create, create)
  sessionQueue = next.catch(() => undefined)
  return next
}
