import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import { samUpscaledMasks, samUpscaledMasksLazily } from '../src/contractIO.js'
import { encodeModel, GraphBuilder } from '../src/onnxGraph.js'
import { Ops } from '../src/ops.js'

/**
 * SAM's post-processing of one pixel, from its definition (F.interpolate bilinear, align_corners=False, to 1024 x
 * 1024, crop, then to the original size), in float64: for a 1x1 original the crop is the whole 1024 square and the
 * pixel's centre, 511.5, sits halfway between upscaled rows and columns 511 and 512.
 */
function onePixelReference(logits: Float32Array, k: number): number {
  const low = (y: number, x: number) => logits[k * 65536 + y * 256 + x]
  const upscaled = (y: number, x: number) => {
    const at = (v: number) => {
      const s = Math.max((v + 0.5) / 4 - 0.5, 0)
      const i = Math.floor(s)
      return { i, j: Math.min(i + 1, 255), w: s - i }
    }
    const r = at(y)
    const c = at(x)
    const row = (yy: number) => low(yy, c.i) * (1 - c.w) + low(yy, c.j) * c.w
    return row(r.i) * (1 - r.w) + row(r.j) * r.w
  }
  return (upscaled(511, 511) + upscaled(511, 512) + upscaled(512, 511) + upscaled(512, 512)) / 4
}

describe('samUpscaledMasksLazily (the sam decoder output of anymask-lite)', () => {
  it("gives SAM's upscaled masks bit for bit at every size, and a 1x1 image its reference value", async () => {
    const g = new GraphBuilder('upscale')
    const o = new Ops(g)
    const lowRes = g.input('low_res', 'float', [1, 4, 256, 256])
    const origSize = g.input('orig_im_size', 'float', [2])
    g.output(samUpscaledMasks(o, lowRes, origSize), 'full', 'float')
    g.output(samUpscaledMasksLazily(o, lowRes, origSize), 'lazy', 'float')
    const session = await ort.InferenceSession.create(encodeModel(g, { producer: 'anymask-test', docString: 'upscale' }))
    // Logits that differ in every cell (around the pixel that matters most of all), so any other weight shows.
    let seed = 11
    const logits = Float32Array.from({ length: 4 * 65536 }, () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 40 - 20)
    for (const size of [
      [1, 1],
      [1, 2],
      [3, 1],
      [450, 600],
      [1024, 768],
    ]) {
      const out = await session.run({
        low_res: new ort.Tensor('float32', logits, [1, 4, 256, 256]),
        orig_im_size: new ort.Tensor('float32', Float32Array.from(size), [2]),
      })
      expect(out.lazy.dims).toEqual([1, 4, ...size])
      const [lazy, full] = [out.lazy.data as Float32Array, out.full.data as Float32Array]
      expect(lazy.length).toBe(full.length)
      expect(lazy.findIndex((v, i) => !Object.is(v, full[i]))).toBe(-1) // bit for bit (a plain loop: 3 M values)
      if (size[0] === 1 && size[1] === 1) for (let k = 0; k < 4; k++) expect(lazy[k]).toBeCloseTo(onePixelReference(logits, k), 4)
    }
    await session.release()
  })
})
