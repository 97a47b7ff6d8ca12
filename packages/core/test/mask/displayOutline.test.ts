import { describe, expect, it } from 'vitest'
import { createMask, displayOutline, outlineLevel, resizeMask } from '@anymask/core'

/** A 4000 x 3000 mask holding one disc. */
function disc() {
  const data = new Uint8Array(4000 * 3000)
  for (let y = 0; y < 3000; y++) for (let x = 0; x < 4000; x++) if ((x - 2000) ** 2 + (y - 1500) ** 2 < 1000 ** 2) data[y * 4000 + x] = 255
  return createMask(4000, 3000, data)
}

describe('outlineLevel: outlines traced at the resolution they are shown at', () => {
  const mask = disc()

  it('a 12 MP mask shown at a quarter of its size is traced at 1000 x 750, a quarter of the work per side', () => {
    const { traced, factor } = outlineLevel(mask, 0.25)
    expect([traced.width, traced.height, factor]).toEqual([1000, 750, 4])
    expect(traced.data).toEqual(resizeMask(mask, 1000, 750).data)
  })

  it('between powers of two it keeps at least one traced pixel per screen pixel', () => {
    expect(outlineLevel(mask, 0.3).factor).toBe(2) // 0.3 screen px per pixel: traced at half size, 0.6 px each
    expect(outlineLevel(mask, 0.5).factor).toBe(2)
    expect(outlineLevel(mask, 0.6).factor).toBe(1)
  })

  it('shown at half size or larger (zoomed in), the mask itself is traced', () => {
    for (const scale of [0.51, 1, 8]) expect(outlineLevel(mask, scale)).toEqual({ traced: mask, factor: 1 })
  })
})

describe('displayOutline: the outline a renderer strokes', () => {
  const mask = disc()

  it('is cached per mask and level, and retraced finer when zoomed in', () => {
    const quarter = displayOutline(mask, 0.25)
    expect(displayOutline(mask, 0.2) === quarter).toBe(true) // the same level: the same object
    expect(quarter.factor).toBe(4)
    const full = displayOutline(mask, 1)
    expect(full.factor).toBe(1)
    expect(full.path.length).toBeGreaterThan(quarter.path.length) // more vertices at full resolution
  })
})
