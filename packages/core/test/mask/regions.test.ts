import { describe, expect, it } from 'vitest'
import { fillHoles, keepLargestRegion, regionAt, removeSmallRegions } from '@anymask/core'
import { drawn, rows } from './support.js'

describe('regions', () => {
  const ring = drawn('.......', '.#####.', '.#...#.', '.#...#.', '.#####.', '.......')

  it('fillHoles fills enclosed background, not background that reaches the border', () => {
    expect(rows(fillHoles(ring))).toEqual(['.......', '.#####.', '.#####.', '.#####.', '.#####.', '.......'])
    const open = drawn('#####', '#...#', '#....', '#####')
    expect(rows(fillHoles(open))).toEqual(rows(open))
    expect(fillHoles(ring, 5).area).toBe(ring.area) // the hole has 6 pixels
    expect(fillHoles(ring, 6).area).toBe(ring.area + 6)
  })

  it('a hole only diagonally open is still a hole (4-connected background)', () => {
    const m = drawn('.###', '#..#', '#..#', '###.')
    expect(fillHoles(m).area).toBe(m.area + 4)
  })

  const islands = drawn('##......', '##...###', '.....###', '#....###')

  it('removeSmallRegions drops islands under the area, keepLargestRegion keeps the biggest', () => {
    expect(rows(removeSmallRegions(islands, 2))).toEqual(['##......', '##...###', '.....###', '.....###'])
    expect(rows(removeSmallRegions(islands, 5))).toEqual(['........', '.....###', '.....###', '.....###'])
    expect(rows(keepLargestRegion(islands))).toEqual(['........', '.....###', '.....###', '.....###'])
  })

  it('regionAt keeps the region under a point; diagonal neighbours are one region', () => {
    expect(rows(regionAt(islands, 0.5, 1.5))).toEqual(['##......', '##......', '........', '........'])
    expect(regionAt(islands, 3, 0).area).toBe(0)
    const diagonal = drawn('#..', '.#.', '..#')
    expect(regionAt(diagonal, 0, 0).area).toBe(3)
    expect(() => regionAt(islands, 8, 0)).toThrow(/outside/)
  })
})
