/**
 * Our contracts checked by code we did not write: the replicas of the transformers.js exports (SlimSAM / SAM as
 * hf-sam, SAM 2.1 as hf-sam2), loaded by transformers.js (SamModel / Sam2Model + AutoProcessor, as its examples use
 * them) from the same files at the same addresses, give the same masks and scores as @anymask/core for the same
 * prompts, at two aspect ratios.
 */
import { AutoProcessor, env, RawImage, Sam2Model, SamModel, type Processor, type Tensor } from '@huggingface/transformers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSegmenter, mirrorModel, models, type Prompt, type Segmenter } from '@anymask/core'
import { iou } from '../support/scenes.js'
import { casePrompt, type ReplicaCase } from '../support/replicaCases.js'

const HUB = `${location.origin}/models/dist/replicas/hub/`
// transformers.js's own onnxruntime-web build, served from here instead of its CDN.
const ORT = `${location.origin}/node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist`

const FAMILIES = [
  { id: 'slimsam-77', Model: SamModel, dtype: 'q8', cases: ['point', 'point + background', 'two points'] },
  {
    id: 'sam2.1-tiny',
    Model: Sam2Model,
    dtype: { vision_encoder: 'q8', prompt_encoder_mask_decoder: 'fp32' },
    cases: ['point', 'point + background', 'two points', 'box', 'box + points'],
  },
] as const

/** repo and revision of a registry address on the hub. */
const repoOf = (url: string) => {
  const [, repo, revision] = url.match(/^https:\/\/huggingface\.co\/([^/]+\/[^/]+)\/resolve\/([^/]+)\//)!
  return { repo, revision }
}

beforeAll(() => {
  env.allowLocalModels = false
  env.allowRemoteModels = true
  env.remoteHost = HUB
  env.useBrowserCache = false
  const wasm = (env.backends.onnx as { wasm: { wasmPaths: unknown; numThreads: number } }).wasm
  wasm.wasmPaths = { mjs: `${ORT}/ort-wasm-simd-threaded.asyncify.mjs`, wasm: `${ORT}/ort-wasm-simd-threaded.asyncify.wasm` }
  wasm.numThreads = 1
})

describe.each(FAMILIES)('$id: transformers.js and @anymask/core on the same export', ({ id, Model, dtype, cases }) => {
  let ours: Segmenter
  let theirs: { model: (inputs: object) => Promise<{ pred_masks: Tensor; iou_scores: Tensor }>; dispose(): Promise<unknown> }
  let processor: Processor
  beforeAll(async () => {
    ours = await createSegmenter({ model: { ...mirrorModel(models[id], HUB), sha256: undefined }, device: 'wasm' })
    const { repo, revision } = repoOf(models[id].encoder)
    const model = await Model.from_pretrained(repo, { revision, dtype: dtype as never, device: 'wasm' })
    theirs = { model: (inputs) => (model as unknown as (i: object) => Promise<never>)(inputs), dispose: () => model.dispose() }
    processor = await AutoProcessor.from_pretrained(repo, { revision })
  })
  afterAll(async () => {
    await ours?.dispose()
    await theirs?.dispose()
  })

  /** transformers.js's masks and scores for `prompt`, as its SAM examples compute them. */
  async function transformersMasks(image: RawImage, prompt: Prompt) {
    const points = prompt.points ?? []
    const options: Record<string, unknown> = {}
    if (points.length) {
      options.input_points = [[points.map((p) => [p.x, p.y])]]
      options.input_labels = [[points.map((p) => p.label)]]
    }
    if (prompt.box) options.input_boxes = [[[prompt.box.x0, prompt.box.y0, prompt.box.x1, prompt.box.y1]]]
    const inputs = (await processor(image, options)) as Record<string, unknown> & { original_sizes: unknown; reshaped_input_sizes: unknown }
    const { pred_masks, iou_scores } = await theirs.model(inputs)
    const [masks] = (await (processor as unknown as { post_process_masks(...a: unknown[]): Promise<Tensor[]> }).post_process_masks(
      pred_masks,
      inputs.original_sizes,
      inputs.reshaped_input_sizes,
    )) as Tensor[]
    const size = image.width * image.height
    const data = masks.data as Uint8Array
    return { masks: [0, 1, 2].map((k) => data.subarray(k * size, (k + 1) * size)), scores: Array.from(iou_scores.data as Float32Array) }
  }

  it.each([
    [1500, 1000],
    [333, 1000],
  ])('%i x %i: the same three candidates (IoU >= 0.99) with the same scores', async (width, height) => {
    const rgba = new Uint8ClampedArray(width * height * 4).fill(128)
    const session = await ours.encode({ width, height, data: rgba })
    const image = new RawImage(rgba, width, height, 4)
    for (const kind of cases as readonly ReplicaCase[]) {
      const prompt = casePrompt(kind, width, height)
      const mine = await session.decode(prompt, { multimask: true })
      const other = await transformersMasks(image, prompt)
      expect(mine.scores, kind).toEqual(other.scores.map((s) => expect.closeTo(s, 5)))
      for (let k = 0; k < 3; k++) {
        expect(mine.masks[k].area, `${kind}, candidate ${k}`).toBeGreaterThan(0)
        expect(iou(mine.masks[k].data, other.masks[k]), `${kind}, candidate ${k}`).toBeGreaterThanOrEqual(0.99)
      }
    }
    session.dispose()
  })
})
