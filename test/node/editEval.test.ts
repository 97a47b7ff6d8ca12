/**
 * @anymask/edit on real photographs (../shared/data/grabcut, read in place). Skips, saying so, where the folder is
 * absent. `npm run eval:edit` prints the per-image table.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { evaluateEdit, mean, type ImageFigures } from '../eval/editEval.js'
import { GRABCUT_DIR, hasGrabcut } from '../eval/grabcut.js'

if (!hasGrabcut()) console.warn(`editEval: ${GRABCUT_DIR} is absent; the evaluations on real photographs are skipped.`)

describe.skipIf(!hasGrabcut())('edit helpers on the 33 GrabCut photographs', () => {
  let rows: ImageFigures[]
  beforeAll(() => {
    rows = evaluateEdit()
  }, 120_000)

  it('reads all 33 photographs with their ground truth', () => {
    expect(rows).toHaveLength(33)
  })

  it('refineEdges raises the mean IoU of a coarse (256 px, bilinear) mask against the truth', () => {
    expect(mean(rows, 'refinedIou')).toBeGreaterThan(mean(rows, 'coarseIou'))
  })

  it('refineEdges raises the mean boundary F-measure (2 px) of the coarse mask, and lowers it on no photograph', () => {
    expect(mean(rows, 'refinedF')).toBeGreaterThan(mean(rows, 'coarseF'))
    expect(rows.filter((r) => r.refinedF < r.coarseF).map((r) => r.name)).toEqual([])
  })

  it('decontaminate leaves less green spill in the edge band when compositing onto green', () => {
    expect(mean(rows, 'haloClean')).toBeLessThan(mean(rows, 'haloPlain'))
  })

  it('recolour keeps lightness (mean |dL| <= 0.01 inside) and changes no byte outside the mask', () => {
    expect(mean(rows, 'recolorLightness')).toBeLessThanOrEqual(0.01)
    expect(rows.every((r) => r.recolorOutsideChanged === 0)).toBe(true)
  })
})
