import { describe, expect, it } from 'vitest'
import { models, type ModelSpec } from '@anymask/core'

describe('models registry', () => {
  it('has the ids of DESIGN.md with their contracts', () => {
    expect(Object.fromEntries(Object.values(models).map((m) => [m.id, m.contract]))).toEqual({
      'anymask-lite': 'sam',
      'slimsam-77': 'hf-sam',
      'sam-vit-b': 'sam',
      mobilesam: 'sam',
      'sam2.1-tiny': 'sam2',
    })
    for (const [id, spec] of Object.entries(models)) expect(spec.id).toBe(id)
  })

  it('gives every public model https addresses, sizes and a licence; the lite model is embedded', () => {
    for (const spec of Object.values(models) as ModelSpec[]) {
      expect(spec.license).toMatch(/^(MIT|Apache-2\.0)$/)
      if (spec.id === 'anymask-lite') {
        expect(spec.encoder).toMatch(/^data:application\/octet-stream;base64,/)
        continue
      }
      expect(spec.encoder).toMatch(/^https:\/\/.+\.onnx$/)
      expect(spec.decoder).toMatch(/^https:\/\/.+\.onnx$/)
      expect(spec.bytes?.encoder).toBeGreaterThan(1_000_000)
      expect(spec.bytes?.decoder).toBeGreaterThan(1_000_000)
    }
  })
})
