import { describe, expect, it } from 'vitest'
import { maskToPolygons, maskToSvgPath } from '@anymask/core'
import { signedArea } from '../../src/mask/contours.js'
import { drawn, randomMask } from './support.js'

describe('maskToPolygons', () => {
  it('traces a rectangle as its four corners, clockwise on screen', () => {
    const polygons = maskToPolygons(drawn('.....', '.###.', '.###.', '.....'))
    expect(polygons).toEqual([
      {
        points: [
          [1, 1],
          [4, 1],
          [4, 3],
          [1, 3],
        ],
        hole: false,
      },
    ])
    expect(maskToSvgPath(drawn('##', '##'))).toBe('M0 0L2 0L2 2L0 2Z')
  })

  it('gives holes their own reversed outline', () => {
    const polygons = maskToPolygons(drawn('#####', '#...#', '#...#', '#####'))
    expect(polygons.map((p) => p.hole).sort()).toEqual([false, true])
    expect(polygons.map((p) => signedArea(p.points)).sort((a, b) => a - b)).toEqual([-6, 20])
  })

  it('joins diagonal neighbours into one outline (8-connectivity)', () => {
    expect(maskToPolygons(drawn('#.', '.#'))).toHaveLength(1)
  })

  it('outlines enclose exactly the mask: signed areas add up to its area', () => {
    for (const seed of [1, 2, 3]) {
      const mask = randomMask(60, 40, seed, 0.45)
      const total = maskToPolygons(mask).reduce((sum, p) => sum + signedArea(p.points), 0)
      expect(total).toBe(mask.area)
    }
  })

  it('simplifies within the tolerance', () => {
    const disc = drawn(
      ...Array.from({ length: 41 }, (_, y) => Array.from({ length: 41 }, (_, x) => ((x - 20) ** 2 + (y - 20) ** 2 <= 18 ** 2 ? '#' : '.')).join('')),
    )
    const exact = maskToPolygons(disc)[0].points
    const simple = maskToPolygons(disc, { tolerance: 1 })[0].points
    expect(simple.length).toBeLessThan(exact.length / 2)
    expect(Math.abs(signedArea(simple) - disc.area) / disc.area).toBeLessThan(0.03)
  })
})
