import { publicModels } from './publicModels.js'
import type { ModelSpec } from './types.js'

// The embedded model (57 KB) is a chunk of its own, imported when it loads: apps that use another model, or only
// mask operations, never download it.
const lite = () => import('./liteModel.generated.js')
const dataUrl = (base64: string) => `data:application/octet-stream;base64,${base64}`

/**
 * Known models by id. Public models are fetched from their published addresses on first use, checked against their
 * sizes and sha256, and cached; `anymask-lite` is embedded in this package and works offline. Each entry says what
 * its export can take (`prompts`).
 *
 * @example
 * const segmenter = await createSegmenter({ model: 'slimsam-77' })
 * Object.values(models).filter((m) => m.prompts.box).map((m) => m.id)
 */
export const models = {
  /** Our classical GrabCut-style colour-model segmenter in the `sam` contract: tiny, offline, for demos and tests. */
  'anymask-lite': {
    id: 'anymask-lite',
    contract: 'sam',
    encoder: async () => dataUrl((await lite()).LITE_ENCODER_BASE64),
    decoder: async () => dataUrl((await lite()).LITE_DECODER_BASE64),
    prompts: { box: true, mask: true, candidates: 3, singleMask: true },
    // Its scores are colour-model stabilities, not SAM's learned IoU predictions, and its logits are softer at edges.
    everything: { predIouThresh: 0.7, stabilityScoreThresh: 0.8 },
    license: 'MIT',
    homepage: 'https://www.npmjs.com/package/@anymask/core',
  },
  ...publicModels,
} satisfies Record<string, ModelSpec>

export type ModelId = keyof typeof models
