import { checkNumber } from '../options.js'
import type { Box, Mask } from '../types.js'
import { assertMask } from './assertMask.js'
import { createMask } from './createMask.js'

/**
 * Crops a mask to its bounding box grown by `padding` pixels (clamped to the image), and says where the crop
 * sits in the original, so the same box can crop the image.
 *
 * @example
 * const { mask: small, box } = trimMask(mask, 4)
 */
export function trimMask(mask: Mask, padding = 0): { mask: Mask; box: Box } {
  assertMask(mask, 'trimMask')
  checkNumber(padding, 'trimMask', 'padding', { min: 0, integer: true })
  const { bbox, width } = createMask(mask.width, mask.height, mask.data)
  const box =
    bbox.x1 === 0
      ? { x0: 0, y0: 0, x1: 0, y1: 0 }
      : {
          x0: Math.max(0, bbox.x0 - padding),
          y0: Math.max(0, bbox.y0 - padding),
          x1: Math.min(mask.width, bbox.x1 + padding),
          y1: Math.min(mask.height, bbox.y1 + padding),
        }
  const w = box.x1 - box.x0
  const h = box.y1 - box.y0
  const out = new Uint8Array(w * h)
  for (let y = 0; y < h; y++) out.set(mask.data.subarray((box.y0 + y) * width + box.x0, (box.y0 + y) * width + box.x1), y * w)
  return { mask: createMask(w, h, out), box }
}
