import { LITE_DECODER_BASE64, LITE_ENCODER_BASE64 } from './liteModel.generated.js'
import type { ModelSpec } from './types.js'

const HF = 'https://huggingface.co'

/**
 * Known models by id. Public models are fetched from their published addresses on first use and cached;
 * `anymask-lite` is embedded in this package and works offline.
 * Byte sizes are approximate (they drive the progress bar until the server says the exact length).
 *
 * @example
 * const segmenter = await createSegmenter({ model: 'slimsam-77' })
 * Object.values(models).map((m) => `${m.id} (${m.license})`)
 */
export const models = {
  /** Our classical colour/texture region-growing model in the `sam` contract: tiny, offline, for demos and tests. */
  'anymask-lite': {
    id: 'anymask-lite',
    contract: 'sam',
    encoder: `data:application/octet-stream;base64,${LITE_ENCODER_BASE64}`,
    decoder: `data:application/octet-stream;base64,${LITE_DECODER_BASE64}`,
    license: 'MIT',
    homepage: 'https://www.npmjs.com/package/@anymask/core',
  },
  /** SlimSAM-77 (SAM ViT-B pruned to 23% of its weights), transformers.js export, 8-bit weights. */
  'slimsam-77': {
    id: 'slimsam-77',
    contract: 'hf-sam',
    encoder: `${HF}/Xenova/slimsam-77-uniform/resolve/main/onnx/vision_encoder_quantized.onnx`,
    decoder: `${HF}/Xenova/slimsam-77-uniform/resolve/main/onnx/prompt_encoder_mask_decoder_quantized.onnx`,
    license: 'Apache-2.0',
    bytes: { encoder: 10_000_000, decoder: 5_000_000 },
    homepage: `${HF}/Xenova/slimsam-77-uniform`,
  },
  /** Segment Anything ViT-B, 8-bit encoder and the official decoder export. */
  'sam-vit-b': {
    id: 'sam-vit-b',
    contract: 'sam',
    encoder: `${HF}/vietanhdev/segment-anything-onnx-models/resolve/main/sam_vit_b_01ec64.encoder.quant.onnx`,
    decoder: `${HF}/vietanhdev/segment-anything-onnx-models/resolve/main/sam_vit_b_01ec64.decoder.quant.onnx`,
    license: 'Apache-2.0',
    bytes: { encoder: 104_000_000, decoder: 8_700_000 },
    homepage: `${HF}/vietanhdev/segment-anything-onnx-models`,
  },
  /** MobileSAM (TinyViT-5M encoder with SAM's decoder). */
  mobilesam: {
    id: 'mobilesam',
    contract: 'sam',
    encoder: `${HF}/vietanhdev/segment-anything-onnx-models/resolve/main/mobile_sam.encoder.onnx`,
    decoder: `${HF}/vietanhdev/segment-anything-onnx-models/resolve/main/sam_vit_h_4b8939.decoder.onnx`,
    license: 'Apache-2.0',
    bytes: { encoder: 28_000_000, decoder: 16_500_000 },
    homepage: 'https://github.com/ChaoningZhang/MobileSAM',
  },
  /** SAM 2.1 Hiera-Tiny, samexporter export. */
  'sam2.1-tiny': {
    id: 'sam2.1-tiny',
    contract: 'sam2',
    encoder: `${HF}/vietanhdev/segment-anything-2-onnx-models/resolve/main/sam2.1_hiera_tiny.encoder.onnx`,
    decoder: `${HF}/vietanhdev/segment-anything-2-onnx-models/resolve/main/sam2.1_hiera_tiny.decoder.onnx`,
    license: 'Apache-2.0',
    bytes: { encoder: 134_000_000, decoder: 20_600_000 },
    homepage: 'https://github.com/facebookresearch/sam2',
  },
} satisfies Record<string, ModelSpec>

export type ModelId = keyof typeof models
