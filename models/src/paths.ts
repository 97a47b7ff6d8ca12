/** Where our built models live (Node only: used by the builders and the tests). */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Contract } from './anymaskLite.js'
import type { BenchContract } from './samDecoder.js'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '')
export const LITE_DIR = join(ROOT, 'models', 'dist', 'anymask-lite')
export const EMBEDDED_LITE = join(ROOT, 'packages', 'core', 'src', 'liteModel.generated.ts')

export const LITE_PREPROCESS_ENCODER = join(LITE_DIR, 'sam-use-preprocess', 'encoder.onnx')

export const LITE_WEBGPU_FAILING_ENCODER = join(LITE_DIR, 'sam-fails-on-webgpu', 'encoder.onnx')

export const liteModelPath = (contract: Contract, part: 'encoder' | 'decoder') => join(LITE_DIR, contract, `${part}.onnx`)

/** The SAM decoder architecture with random weights (benchmarks), per contract. */
export const benchDecoderPath = (contract: BenchContract) => join(ROOT, 'models', 'dist', 'bench', 'sam-decoder', contract, 'decoder.onnx')
