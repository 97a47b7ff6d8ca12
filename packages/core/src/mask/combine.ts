import type { Mask } from '../types.js'
import { assertMask } from './assertMask.js'
import { createMask } from './createMask.js'

function pixelwise(what: string, a: Mask, b: Mask, f: (p: number, q: number) => number): Mask {
  assertMask(a, what, b)
  assertMask(b, what)
  const out = new Uint8Array(a.data.length)
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[i], b.data[i])
  return createMask(a.width, a.height, out)
}

/**
 * Set operations on masks. On soft masks they are the fuzzy ones (max, min, min with the complement), so a
 * feathered edge stays feathered.
 *
 * @example
 * const both = union(person, dog); const personOnly = subtract(person, dog)
 */
export const union = (a: Mask, b: Mask): Mask => pixelwise('union', a, b, (p, q) => Math.max(p, q))
export const intersect = (a: Mask, b: Mask): Mask => pixelwise('intersect', a, b, (p, q) => Math.min(p, q))
export const subtract = (a: Mask, b: Mask): Mask => pixelwise('subtract', a, b, (p, q) => Math.min(p, 255 - q))

/** Inside becomes outside: 255 - value. */
export function invert(mask: Mask): Mask {
  assertMask(mask, 'invert')
  const out = new Uint8Array(mask.data.length)
  for (let i = 0; i < out.length; i++) out[i] = 255 - mask.data[i]
  return createMask(mask.width, mask.height, out)
}
