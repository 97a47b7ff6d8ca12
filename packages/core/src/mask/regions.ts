import { AnymaskError } from '../AnymaskError.js'
import { checkNumber } from '../options.js'
import type { Mask } from '../types.js'
import { assertMask } from './assertMask.js'
import { createMask } from './createMask.js'

/** Connected regions of pixels where `inside` holds: a label per pixel (0 = none, 1.. = region) and sizes. */
export interface Regions {
  labels: Int32Array
  /** sizes[label] = pixel count (sizes[0] unused). */
  sizes: number[]
  /** Whether each region touches the image border. */
  touchesBorder: boolean[]
}

/**
 * Labels connected regions: 8-connected for the mask, 4-connected for its background, so a diagonal pair of
 * mask pixels is one region and the hole between them is not (the usual digital-topology pairing).
 */
export function labelRegions(mask: Mask, background = false): Regions {
  const { width, height, data } = mask
  const inside = (i: number) => (data[i] !== 0) !== background
  const labels = new Int32Array(width * height)
  const sizes = [0]
  const touchesBorder = [false]
  const stack = new Int32Array(width * height)
  const eight = !background
  for (let start = 0; start < labels.length; start++) {
    if (labels[start] !== 0 || !inside(start)) continue
    const label = sizes.length
    let size = 0
    let border = false
    let top = 0
    stack[top++] = start
    labels[start] = label
    while (top > 0) {
      const i = stack[--top]
      size++
      const x = i % width
      const y = (i - x) / width
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) border = true
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy
        if (ny < 0 || ny >= height) continue
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx === 0 && dy === 0) || (!eight && dx !== 0 && dy !== 0)) continue
          const nx = x + dx
          if (nx < 0 || nx >= width) continue
          const j = ny * width + nx
          if (labels[j] === 0 && inside(j)) {
            labels[j] = label
            stack[top++] = j
          }
        }
      }
    }
    sizes.push(size)
    touchesBorder.push(border)
  }
  return { labels, sizes, touchesBorder }
}

/** A binary mask of the regions `keep` accepts. */
function fromLabels(mask: Mask, regions: Regions, keep: (label: number) => boolean): Mask {
  const kept = regions.sizes.map((_, label) => label !== 0 && keep(label))
  const out = new Uint8Array(mask.data.length)
  for (let i = 0; i < out.length; i++) out[i] = kept[regions.labels[i]] ? 255 : 0
  return createMask(mask.width, mask.height, out)
}

/**
 * Fills holes (background regions that do not reach the border), up to `maxArea` pixels each (default: all).
 *
 * @example
 * const solid = fillHoles(mask)
 */
export function fillHoles(mask: Mask, maxArea = Infinity): Mask {
  assertMask(mask, 'fillHoles')
  checkNumber(maxArea, 'fillHoles', 'maxArea', { min: 0, infinite: true })
  const holes = labelRegions(mask, true)
  const out = new Uint8Array(mask.data.length)
  for (let i = 0; i < out.length; i++) {
    const label = holes.labels[i]
    const filled = label !== 0 && !holes.touchesBorder[label] && holes.sizes[label] <= maxArea
    out[i] = mask.data[i] !== 0 || filled ? 255 : 0
  }
  return createMask(mask.width, mask.height, out)
}

/** Drops regions smaller than `minArea` pixels (SAM's min_mask_region_area clean-up, for islands). */
export function removeSmallRegions(mask: Mask, minArea: number): Mask {
  assertMask(mask, 'removeSmallRegions')
  checkNumber(minArea, 'removeSmallRegions', 'minArea', { min: 0 })
  const regions = labelRegions(mask)
  return fromLabels(mask, regions, (label) => regions.sizes[label] >= minArea)
}

/** Keeps only the largest region (the first of equal ones). */
export function keepLargestRegion(mask: Mask): Mask {
  assertMask(mask, 'keepLargestRegion')
  const regions = labelRegions(mask)
  let largest = 0
  for (let label = 1; label < regions.sizes.length; label++) if (regions.sizes[label] > (regions.sizes[largest] ?? 0)) largest = label
  return fromLabels(mask, regions, (label) => label === largest)
}

/** Keeps only the region under pixel (x, y); an empty mask when that pixel is outside the mask. */
export function regionAt(mask: Mask, x: number, y: number): Mask {
  assertMask(mask, 'regionAt')
  const px = Math.floor(checkNumber(x, 'regionAt', 'x'))
  const py = Math.floor(checkNumber(y, 'regionAt', 'y'))
  if (px < 0 || py < 0 || px >= mask.width || py >= mask.height) {
    throw new AnymaskError('INVALID_OPTION', `regionAt: x, y = (${x}, ${y}) is outside the ${mask.width} x ${mask.height} mask.`)
  }
  const regions = labelRegions(mask)
  const target = regions.labels[py * mask.width + px]
  return fromLabels(mask, regions, (label) => target !== 0 && label === target)
}
