/**
 * The configuration files that make a folder of `hf-sam` graphs a transformers.js model (SamModel + SamProcessor),
 * as in the Xenova/slimsam-77-uniform and Xenova/sam-vit-base repositories: the bench loads our MobileSAM graphs in
 * transformers.js from the same files @anymask/core uses.
 */
/** What SAM and SAM 2 processors share: RGB, bilinear resize, 0..1, ImageNet statistics. */
const IMAGE_PROCESSING = {
  do_convert_rgb: true,
  do_resize: true,
  resample: 2,
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: [0.485, 0.456, 0.406],
  image_std: [0.229, 0.224, 0.225],
}

export const TRANSFORMERS_SAM_FILES: Record<string, object> = {
  'config.json': { model_type: 'sam', architectures: ['SamModel'] },
  'preprocessor_config.json': {
    image_processor_type: 'SamImageProcessor',
    processor_class: 'SamProcessor',
    ...IMAGE_PROCESSING,
    size: { longest_edge: 1024 },
    do_pad: true,
    pad_size: { height: 1024, width: 1024 },
  },
}

/**
 * The same for transformers.js SAM 2 exports (Sam2Model + Sam2Processor), as described by transformers' Sam2
 * image processor defaults: the image stretched to 1024 x 1024 (no padding), ImageNet statistics; three feature
 * levels; each graph's weights in one external-data file.
 */
export const TRANSFORMERS_SAM2_FILES: Record<string, object> = {
  'config.json': {
    model_type: 'sam2',
    architectures: ['Sam2Model'],
    vision_config: { num_feature_levels: 3 },
    'transformers.js_config': { use_external_data_format: true },
  },
  'preprocessor_config.json': {
    image_processor_type: 'Sam2ImageProcessorFast',
    processor_class: 'Sam2Processor',
    ...IMAGE_PROCESSING,
    size: { height: 1024, width: 1024 },
    do_pad: false,
  },
}
