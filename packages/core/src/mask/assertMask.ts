import { AnymaskError } from '../AnymaskError.js'
import type { Mask } from '../types.js'

/** Throws INVALID_IMAGE unless `mask` is a consistent Mask (and, with `other`, of the same size). */
export function assertMask(mask: Mask, what: string, other?: Mask): void {
  if (!mask || !(mask.data instanceof Uint8Array) || mask.data.length !== mask.width * mask.height || !(mask.width > 0)) {
    throw new AnymaskError(
      'INVALID_IMAGE',
      `${what}: expected a Mask { width, height, data: Uint8Array of width * height bytes }, got ` +
        `${mask ? `${mask.width} x ${mask.height} with ${mask.data?.length} bytes` : String(mask)}.`,
    )
  }
  if (other && (other.width !== mask.width || other.height !== mask.height)) {
    throw new AnymaskError(
      'INVALID_IMAGE',
      `${what}: the masks differ in size (${mask.width} x ${mask.height} and ${other.width} x ${other.height}); resize one with resizeMask first.`,
    )
  }
}
