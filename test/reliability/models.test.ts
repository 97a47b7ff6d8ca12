/**
 * Classes 4, 5 and 8 of the reliability issue, on real graphs: a decoder whose outputs are wrong is refused at load
 * or at its first decode (never empty masks with a good score); an image too narrow for the model's frame is refused
 * with the limit; a low-res mask from another image or model is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSegmenter, type ModelSpec, type Segmenter } from '@anymask/core'
import { hfSamDecoderInputs } from '../../models/src/contractIO.js'
import { encodeModel, GraphBuilder } from '../../models/src/onnxGraph.js'
import { Ops } from '../../models/src/ops.js'
import { liteSpec } from '../support/liteModels.js'

const flat = (width: number, height: number) => ({ width, height, data: new Uint8ClampedArray(width * height * 4).fill(90) })

/** An hf-sam decoder with the right inputs whose outputs are `outputs(o, embedding)`. */
function brokenDecoder(outputs: (g: GraphBuilder, o: Ops, embedding: string) => void): Uint8Array {
  const g = new GraphBuilder('broken_decoder')
  const o = new Ops(g)
  const { embedding } = hfSamDecoderInputs(g, o, { boxInput: false, maskInput: false })
  outputs(g, o, embedding)
  return encodeModel(g, { producer: 'anymask-test', docString: 'a decoder with wrong outputs' })
}
const zeros = (o: Ops, embedding: string, dims: number[]) =>
  o.add(o.mul(o.slice(o.reshape(embedding, [-1]), [0], [1], [0]), o.c(0)), o.c(new Array(dims.reduce((a, b) => a * b, 1)).fill(0), dims))
const withDecoder = (decoder: Uint8Array): ModelSpec => ({ ...liteSpec('hf-sam'), id: 'broken', decoder })
const click = { points: [{ x: 50, y: 40, label: 1 as const }] }

describe('model outputs are checked, not trusted', () => {
  it("a decoder without the contract's outputs is refused at load, naming them", async () => {
    const decoder = brokenDecoder((g, o, e) => g.output(zeros(o, e, [1, 1, 3]), 'scores', 'float'))
    await expect(createSegmenter({ model: withDecoder(decoder), device: 'wasm' })).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_MISMATCH',
      message: expect.stringContaining('missing outputs [iou_scores, pred_masks]'),
    })
  })

  it('masks of the wrong shape are MODEL_CONTRACT_MISMATCH at the first decode', async () => {
    const decoder = brokenDecoder((g, o, e) => {
      g.output(zeros(o, e, [1, 1, 3]), 'iou_scores', 'float')
      g.output(zeros(o, e, [1, 1, 3, 128, 128]), 'pred_masks', 'float')
    })
    const segmenter = await createSegmenter({ model: withDecoder(decoder), device: 'wasm' })
    const session = await segmenter.encode(flat(100, 80))
    await expect(session.decode(click)).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_MISMATCH',
      message: expect.stringContaining('pred_masks [1, 1, 3, 128, 128]'),
    })
    await segmenter.dispose()
  })

  it('NaN scores are INFERENCE_FAILED, not a mask with best = -1', async () => {
    const decoder = brokenDecoder((g, o, e) => {
      g.output(o.div(zeros(o, e, [1, 1, 3]), o.c(0)), 'iou_scores', 'float') // 0 / 0
      g.output(zeros(o, e, [1, 1, 3, 256, 256]), 'pred_masks', 'float')
    })
    const segmenter = await createSegmenter({ model: withDecoder(decoder), device: 'wasm' })
    const session = await segmenter.encode(flat(100, 80))
    await expect(session.decode(click)).rejects.toMatchObject({ code: 'INFERENCE_FAILED', message: expect.stringContaining('NaN') })
    await segmenter.dispose()
  })
})

describe('inputs the model cannot hold, prompts from elsewhere', () => {
  let segmenter: Segmenter
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
  })
  afterAll(() => segmenter?.dispose())

  it('refuses an image beyond 2048:1 with INVALID_IMAGE saying the limit; 2000:1 works', async () => {
    await expect(segmenter.encode(flat(4100, 2))).rejects.toMatchObject({ code: 'INVALID_IMAGE', message: expect.stringContaining('2048:1') })
    await expect(segmenter.encode(flat(1, 3000))).rejects.toMatchObject({ code: 'INVALID_IMAGE' })
    const session = await segmenter.encode(flat(4000, 2))
    expect((await session.decode({ box: { x0: 10, y0: 0, x1: 3990, y1: 2 } })).masks[0].width).toBe(4000)
  })

  it('refuses a low-res mask from another image or another model (INVALID_PROMPT), takes its own', async () => {
    const a = await segmenter.encode(flat(120, 90))
    const b = await segmenter.encode({ ...flat(120, 90), data: new Uint8ClampedArray(120 * 90 * 4).fill(200) })
    const first = await a.decode({ points: [{ x: 60, y: 45, label: 1 }] })
    await expect(a.decode({ points: [{ x: 61, y: 45, label: 1 }], mask: first.lowRes[0] })).resolves.toBeDefined()
    await expect(b.decode({ points: [{ x: 60, y: 45, label: 1 }], mask: first.lowRes[0] })).rejects.toMatchObject({
      code: 'INVALID_PROMPT',
      message: expect.stringContaining('another image'),
    })
    const other = await createSegmenter({ model: { ...liteSpec('sam'), id: 'other-model' }, device: 'wasm' })
    const c = await other.encode(flat(120, 90))
    await expect(c.decode({ points: [{ x: 60, y: 45, label: 1 }], mask: first.lowRes[0] })).rejects.toMatchObject({
      code: 'INVALID_PROMPT',
      message: expect.stringContaining('anymask-lite-sam'),
    })
    await other.dispose()
  })
})

it('refuses onnxruntime settings a page already started it with differently (they would be ignored)', async () => {
  const first = await createSegmenter({ model: liteSpec('sam'), device: 'wasm', threads: 1 })
  await expect(createSegmenter({ model: liteSpec('sam'), device: 'wasm', threads: 2 })).rejects.toMatchObject({
    code: 'INVALID_OPTION',
    message: expect.stringContaining('onnxruntime already started on this page with 1'),
  })
  await (await createSegmenter({ model: liteSpec('sam'), device: 'wasm', threads: 1 })).dispose()
  await first.dispose()
})
