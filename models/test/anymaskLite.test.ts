import { readFileSync } from 'node:fs'
import onnxProto from 'onnx-proto'
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import { liteModelPath } from '../src/paths.js'
import { describeIO, EXPECTED } from './expectedIO.js'

describe.each(Object.keys(EXPECTED))('anymask-lite %s graphs', (contract) => {
  it.each(['encoder', 'decoder'] as const)('%s has the IO of CONTRACTS.md', async (part) => {
    const session = await ort.InferenceSession.create(readFileSync(liteModelPath(contract as never, part)))
    expect(describeIO(session.inputMetadata)).toEqual(EXPECTED[contract][part][0])
    expect(describeIO(session.outputMetadata)).toEqual(EXPECTED[contract][part][1])
    await session.release()
  })

  // Ops.choose and Ops.firstIndexOf, not Where, ArgMin or ArgMax: onnxruntime-web 1.30's WebGPU caches their
  // shaders under keys that leave out what the shaders depend on (see both for the why).
  it.each(['encoder', 'decoder'] as const)('%s has no Where, ArgMin or ArgMax node', (part) => {
    const model = onnxProto.onnx.ModelProto.decode(readFileSync(liteModelPath(contract as never, part)))
    const opTypes = new Set(model.graph?.node?.map((n) => n.opType))
    expect(opTypes.size).toBeGreaterThan(10)
    expect(['Where', 'ArgMin', 'ArgMax'].filter((op) => opTypes.has(op))).toEqual([])
  })

  it('the sam2 decoder answers several prompts in one run (L is dynamic)', async () => {
    if (contract !== 'sam2') return
    const enc = await ort.InferenceSession.create(readFileSync(liteModelPath('sam2', 'encoder')))
    const dec = await ort.InferenceSession.create(readFileSync(liteModelPath('sam2', 'decoder')))
    // Left half bright, right half dark (after ImageNet normalisation; exact 0 would read as padding).
    const image = new Float32Array(3 * 1024 * 1024).fill(-1)
    for (let c = 0; c < 3; c++) for (let y = 0; y < 1024; y++) image.fill(c === 0 ? 2 : 1, c * 1024 * 1024 + y * 1024, c * 1024 * 1024 + y * 1024 + 512)
    const e = await enc.run({ image: new ort.Tensor('float32', image, [1, 3, 1024, 1024]) })
    const out = await dec.run({
      ...e,
      point_coords: new ort.Tensor('float32', Float32Array.from([100, 500, 0, 0, 900, 500, 0, 0]), [2, 2, 2]),
      point_labels: new ort.Tensor('float32', Float32Array.from([1, -1, 1, -1]), [2, 2]),
      mask_input: new ort.Tensor('float32', new Float32Array(2 * 65536), [2, 1, 256, 256]),
      has_mask_input: new ort.Tensor('float32', new Float32Array(2), [2]),
    })
    expect(out.masks.dims).toEqual([2, 3, 256, 256])
    const masks = out.masks.data as Float32Array
    // Prompt 0 (left click) selects the left half, prompt 1 (right click) the right half.
    expect(masks[1 * 65536 + 128 * 256 + 10]).toBeGreaterThan(0)
    expect(masks[1 * 65536 + 128 * 256 + 250]).toBeLessThan(0)
    expect(masks[(3 + 1) * 65536 + 128 * 256 + 10]).toBeLessThan(0)
    expect(masks[(3 + 1) * 65536 + 128 * 256 + 250]).toBeGreaterThan(0)
  })
})
