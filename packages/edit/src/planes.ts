import { AnymaskError, validateImage, type Mask, type RgbaImage } from '@anymask/core/mask'

/** The three colour planes of an RGBA image as floats 0..1. */
export function toPlanes(image: RgbaImage): [Float32Array, Float32Array, Float32Array] {
  const n = image.width * image.height
  const planes: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)]
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) planes[c][i] = image.data[i * 4 + c] / 255
  return planes
}

/** A mask's values as alpha 0..1. */
export function toAlpha(mask: Mask): Float32Array {
  return Float32Array.from(mask.data, (v) => v / 255)
}

/** Throws INVALID_IMAGE unless `image` is RGBA of the mask's size. */
export function checkImageAndMask(what: string, image: RgbaImage, mask: Mask): void {
  validateImage(image, what)
  if (!mask || mask.width !== image.width || mask.height !== image.height || mask.data?.length !== mask.width * mask.height) {
    throw new AnymaskError(
      'INVALID_IMAGE',
      `${what}: the mask (${mask?.width} x ${mask?.height}) must have the image's size (${image.width} x ${image.height}); resize it with resizeMask.`,
    )
  }
}
