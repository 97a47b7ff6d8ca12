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

/** MobileSAM as published (TinyViT encoder + SAM decoder) with random weights, for the benchmarks, per contract. */
export const BENCH_DIR = join(ROOT, 'models', 'dist', 'bench', 'mobile-sam')

/** The hf-sam model is laid out as a transformers.js model folder, so SamModel.from_pretrained loads the same graphs. */
const BENCH_FILES: Record<BenchContract, Record<'encoder' | 'decoder', string>> = {
  sam: { encoder: 'sam/encoder.onnx', decoder: 'sam/decoder.onnx' },
  'hf-sam': { encoder: 'hf-sam/onnx/vision_encoder.onnx', decoder: 'hf-sam/onnx/prompt_encoder_mask_decoder.onnx' },
}
export const benchModelPath = (contract: BenchContract, part: 'encoder' | 'decoder') => join(BENCH_DIR, BENCH_FILES[contract][part])

/**
 * Replicas of the published exports, laid out as the Hugging Face hub serves them (`<owner>/<repo>/resolve/<revision>/<path>`),
 * so the registry's own addresses work against a local server (see `mirrorModel`).
 */
export const REPLICA_HUB = join(ROOT, 'models', 'dist', 'replicas', 'hub')
/** Export variants outside the registry, one folder each with encoder.onnx and decoder.onnx. */
export const REPLICA_VARIANTS = join(ROOT, 'models', 'dist', 'replicas', 'variants')
/** Where a hub address lives under REPLICA_HUB. */
export const replicaPath = (url: string) => join(REPLICA_HUB, url.replace(/^https:\/\/huggingface\.co\//, ''))
