import type { ModelSpec } from './types.js'

const HF = 'https://huggingface.co'

/** A file of a Hugging Face repository at a revision, as the hub serves it. */
const hub = (repo: string, revision: string, path: string) => `${HF}/${repo}/resolve/${revision}/${path}`

/**
 * The public models of the registry: single files that exist at a pinned revision, with their exact byte sizes and
 * sha256 (from the repositories' large-file pointers), and what each export can take. Kept apart from the embedded
 * default so that code which only needs these facts does not bundle the default model's bytes.
 * `npm run verify:models` checks every entry against the files themselves (see README).
 */
export const publicModels = {
  /** SlimSAM-77 (SAM ViT-B pruned to 23% of its weights), transformers.js export, 8-bit; the `main` revision takes points only. */
  'slimsam-77': {
    id: 'slimsam-77',
    contract: 'hf-sam',
    encoder: hub('Xenova/slimsam-77-uniform', '5850ab45f587c112167512ffef949107115e26a0', 'onnx/vision_encoder_quantized.onnx'),
    decoder: hub('Xenova/slimsam-77-uniform', '5850ab45f587c112167512ffef949107115e26a0', 'onnx/prompt_encoder_mask_decoder_quantized.onnx'),
    bytes: { encoder: 8_882_165, decoder: 4_903_810 },
    sha256: {
      encoder: 'cce23c7b2e5d4f330932738fb67ba518e04b0d99ccdd1cccd22a7da4e01f2971',
      decoder: 'cb90b279f549d2cab7fd6e20c38522438c65d84bdcca3d2a764cff7d857fdce2',
    },
    prompts: { box: false, mask: false, candidates: 3, singleMask: false },
    license: 'Apache-2.0',
    homepage: `${HF}/Xenova/slimsam-77-uniform`,
  },
  /**
   * Segment Anything ViT-B, transformers.js export, 8-bit; points only. Its decoder is byte for byte SlimSAM's.
   * Pinned by sha256 (no commit of the repository could be read when this entry was written).
   */
  'sam-vit-b': {
    id: 'sam-vit-b',
    contract: 'hf-sam',
    encoder: hub('Xenova/sam-vit-base', 'main', 'onnx/vision_encoder_quantized.onnx'),
    decoder: hub('Xenova/sam-vit-base', 'main', 'onnx/prompt_encoder_mask_decoder_quantized.onnx'),
    bytes: { encoder: 101_088_469, decoder: 4_903_810 },
    sha256: {
      encoder: 'd9d7bca3b256ab71b3b7cdc35839983bc8ebaf68ea9022f15805ac43955cd247',
      decoder: 'cb90b279f549d2cab7fd6e20c38522438c65d84bdcca3d2a764cff7d857fdce2',
    },
    prompts: { box: false, mask: false, candidates: 3, singleMask: false },
    license: 'Apache-2.0',
    homepage: `${HF}/Xenova/sam-vit-base`,
  },
  /**
   * MobileSAM (TinyViT-5M encoder with SAM ViT-H's decoder), Acly's single-file export: the encoder takes the resized
   * image and normalises and pads it itself; the decoder returns all four tokens (SAM's single answer and three).
   */
  mobilesam: {
    id: 'mobilesam',
    contract: 'sam',
    encoder: hub('Acly/MobileSAM', '0d3b403339b4674a82493d5e97964dd78089ddc8', 'mobile_sam_image_encoder.onnx'),
    decoder: hub('Acly/MobileSAM', '0d3b403339b4674a82493d5e97964dd78089ddc8', 'sam_mask_decoder_multi.onnx'),
    bytes: { encoder: 28_157_093, decoder: 16_496_559 },
    sha256: {
      encoder: '580f5fb648ea1062c0aabc26217aed56921985f03f0cbbd852bba81d760cc749',
      decoder: '8976b90a87ba50a6a72217a5ff994f7d25ce16f2229fcc1ed259e1294c622ffe',
    },
    prompts: { box: true, mask: true, candidates: 3, singleMask: true },
    license: 'Apache-2.0',
    homepage: `${HF}/Acly/MobileSAM`,
  },
  /** SAM 2 (2.0) Hiera-Tiny, samexporter export (fp32). */
  'sam2-tiny': {
    id: 'sam2-tiny',
    contract: 'sam2',
    encoder: hub('vietanhdev/segment-anything-2-onnx-models', 'cd5a2fabd994d7b67e98d95df1232276b5cc8c0a', 'sam2_hiera_tiny.encoder.onnx'),
    decoder: hub('vietanhdev/segment-anything-2-onnx-models', 'cd5a2fabd994d7b67e98d95df1232276b5cc8c0a', 'sam2_hiera_tiny.decoder.onnx'),
    bytes: { encoder: 134_261_315, decoder: 20_640_886 },
    sha256: {
      encoder: '4cc015ee18520e93f8c7ddfeaca7436039daaaaf19721b4b96a8810a805e82f7',
      decoder: 'f5a4bd656c143899fb7f52d64ed81e6f6aeb37d477a0b6da50146ac7cf2187bf',
    },
    prompts: { box: true, mask: true, candidates: 3, singleMask: false },
    license: 'Apache-2.0',
    homepage: `${HF}/vietanhdev/segment-anything-2-onnx-models`,
  },
  /**
   * SAM 2.1 Hiera-Tiny, transformers.js export: 8-bit encoder, full-precision decoder, each graph with its weights in
   * an external `.onnx_data` file. Takes points and a box; no previous mask.
   */
  'sam2.1-tiny': {
    id: 'sam2.1-tiny',
    contract: 'hf-sam2',
    encoder: hub('onnx-community/sam2.1-hiera-tiny-ONNX', '814a066640debee5a91e70aa401fb8e17e030503', 'onnx/vision_encoder_quantized.onnx'),
    encoderData: hub('onnx-community/sam2.1-hiera-tiny-ONNX', '814a066640debee5a91e70aa401fb8e17e030503', 'onnx/vision_encoder_quantized.onnx_data'),
    decoder: hub('onnx-community/sam2.1-hiera-tiny-ONNX', '814a066640debee5a91e70aa401fb8e17e030503', 'onnx/prompt_encoder_mask_decoder.onnx'),
    decoderData: hub('onnx-community/sam2.1-hiera-tiny-ONNX', '814a066640debee5a91e70aa401fb8e17e030503', 'onnx/prompt_encoder_mask_decoder.onnx_data'),
    bytes: { encoder: 441_167, encoderData: 52_573_088, decoder: 213_114, decoderData: 20_958_208 },
    sha256: {
      encoder: '8800fdd04b9045cb6060ba8962b83c78ce9bb0976da8f030afa073467a888524',
      encoderData: 'ea1f677596dc82cef0dc317d78135d892f4b26e20a4439f899aa58d84965b324',
      decoder: '874414704c5d686db7d206a35f6e15d26563d50c8c4468fccc6739bd7e491dcf',
      decoderData: 'e9874d900dd4134ed60eab1e97910327c2419e0b2954485d8fd6e7f1a1470f47',
    },
    prompts: { box: true, mask: false, candidates: 3, singleMask: false },
    license: 'Apache-2.0',
    homepage: `${HF}/onnx-community/sam2.1-hiera-tiny-ONNX`,
  },
} satisfies Record<string, ModelSpec>

/** Ids of the public models whose export takes a box or a previous mask, for error messages. */
export function modelsThatTake(kind: 'box' | 'mask'): string[] {
  return Object.values(publicModels as Record<string, ModelSpec>)
    .filter((m) => m.prompts?.[kind])
    .map((m) => m.id)
}

/**
 * A registry entry served from your own server: every address on the Hugging Face hub is moved to `baseUrl`, which
 * must hold the same folders (`<owner>/<repo>/resolve/<revision>/<path>`). Sizes and sha256 still apply.
 *
 * @example
 * const segmenter = await createSegmenter({ model: mirrorModel(models.mobilesam, 'https://cdn.example.com/hf/') })
 */
export function mirrorModel(spec: ModelSpec, baseUrl: string): ModelSpec {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`
  const move = <T>(source: T): T => (typeof source === 'string' && source.startsWith(`${HF}/`) ? (`${base}${source.slice(HF.length + 1)}` as T) : source)
  return {
    ...spec,
    encoder: move(spec.encoder),
    decoder: move(spec.decoder),
    ...(spec.encoderData !== undefined ? { encoderData: move(spec.encoderData) } : {}),
    ...(spec.decoderData !== undefined ? { decoderData: move(spec.decoderData) } : {}),
  }
}
