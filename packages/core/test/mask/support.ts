import { createMask, type Mask } from '@anymask/core'

/** A mask from rows of '#' (inside) and '.' (outside). */
export function drawn(...rows: string[]): Mask {
  const data = Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 255 : 0))
  return createMask(rows[0].length, rows.length, data)
}

/** The mask back as rows of '#' and '.'. */
export function rows(mask: Mask): string[] {
  return Array.from({ length: mask.height }, (_, y) => Array.from(mask.data.subarray(y * mask.width, (y + 1) * mask.width), (v) => (v ? '#' : '.')).join(''))
}

/** A deterministic random binary mask with blobs. */
export function randomMask(width: number, height: number, seed: number, density = 0.5): Mask {
  let s = seed
  const random = () => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x632be5ab), ((s >>> 0) % 10000) / 10000)
  const data = new Uint8Array(width * height)
  for (let i = 0; i < data.length; i++) data[i] = random() < density ? 255 : 0
  return createMask(width, height, data)
}
