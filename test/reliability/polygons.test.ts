/** Class 7 of the reliability issue: outlines of any length simplify without recursion, within their tolerance. */
import { describe, expect, it } from 'vitest'
import { createMask, maskToPolygons, maskToSvgPath } from '@anymask/core'

/** Distance from p to the segment a-b. */
function toSegment(p: [number, number], a: [number, number], b: [number, number]): number {
  const vx = b[0] - a[0]
  const vy = b[1] - a[1]
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / (vx * vx + vy * vy || 1)))
  return Math.hypot(p[0] - a[0] - t * vx, p[1] - a[1] - t * vy)
}

describe('polygon simplification', () => {
  it('takes a 4000 px diagonal staircase with a small tolerance (it overflowed the stack), keeping every corner within it', () => {
    const size = 4000
    const data = new Uint8Array(size * size)
    for (let y = 0; y < size; y++) data.fill(255, y * size, y * size + Math.min(size, y + 1)) // a staircase triangle
    const mask = createMask(size, size, data)
    const [exact] = maskToPolygons(mask)
    const [simple] = maskToPolygons(mask, { tolerance: 0.4 })
    expect(exact.points.length).toBeGreaterThan(7000)
    expect(simple.points.length).toBeLessThanOrEqual(exact.points.length)
    // The simplified outline keeps a subsequence of the corners; every corner dropped between two kept ones lies
    // within the tolerance of the segment joining them.
    const key = (p: [number, number]) => `${p[0]},${p[1]}`
    const index = new Map(exact.points.map((p, i) => [key(p), i]))
    const kept = [...simple.points.map((p) => index.get(key(p))!), exact.points.length]
    expect(kept.slice(0, -1)).toEqual([...kept.slice(0, -1)].sort((a, b) => a - b))
    let worst = 0
    for (let k = 0; k < kept.length - 1; k++) {
      const a = exact.points[kept[k]]
      const b = exact.points[kept[k + 1] % exact.points.length]
      for (let i = kept[k] + 1; i < kept[k + 1]; i++) worst = Math.max(worst, toSegment(exact.points[i], a, b))
    }
    expect(worst).toBeLessThanOrEqual(0.4 + 1e-9)
    expect(maskToSvgPath(mask, { tolerance: 1 })).toMatch(/^M/)
  })
})
