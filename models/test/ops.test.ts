import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import { encodeModel, GraphBuilder } from '../src/onnxGraph.js'
import { Ops } from '../src/ops.js'

/** Plain first-occurrence arg-extreme of each row, the reference for Ops.firstIndexOf. */
function firstIndexOfRows(values: Float32Array, rows: number, n: number, extreme: 'min' | 'max'): number[] {
  const better = (a: number, b: number) => (extreme === 'min' ? a < b : a > b)
  return Array.from({ length: rows }, (_, r) => {
    let best = 0
    for (let j = 1; j < n; j++) if (better(values[r * n + j], values[r * n + best])) best = j
    return best
  })
}

describe('Ops.firstIndexOf (ArgMin / ArgMax without ArgMin / ArgMax)', () => {
  it.each(['min', 'max'] as const)('gives the first %s of each row, ties included', async (extreme) => {
    const rows = 7
    const n = 40
    const g = new GraphBuilder('first_index')
    const o = new Ops(g)
    const x = g.input('x', 'float', ['rows', n])
    g.output(o.firstIndexOf(x, extreme, 1, n), 'index', 'float')
    const session = await ort.InferenceSession.create(encodeModel(g, { producer: 'anymask-test', docString: 'firstIndexOf' }))
    // Few distinct values, so most rows hold their extreme more than once; row 0 is constant (every index ties).
    let seed = 7
    const values = Float32Array.from({ length: rows * n }, (_, i) => (i < n ? 3 : ((seed = (seed * 1103515245 + 12345) % 2147483648) % 5) - 2))
    const expected = firstIndexOfRows(values, rows, n, extreme)
    expect(new Set(expected).size).toBeGreaterThan(2)
    const { index } = await session.run({ x: new ort.Tensor('float32', values, [rows, n]) })
    expect(index.dims).toEqual([rows, 1])
    expect(Array.from(index.data as Float32Array)).toEqual(expected)
    await session.release()
  })
})
