import { readFileSync } from 'node:fs'
import onnxProto from 'onnx-proto'
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import { buildDecoder, buildEncoder, colourMixtures, DECODER_DEFAULTS, regionCut } from '../src/anymaskLite.js'
import { encodeModel, GraphBuilder } from '../src/onnxGraph.js'
import { Ops } from '../src/ops.js'
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

describe('anymask-lite decoder: the first iterations', () => {
  // A prompt without a previous mask (a first click, a box) gets DECODER_DEFAULTS.firstIterations more re-estimations
  // than a correction, in a Loop that runs only when the batch holds such a prompt. Against decoders that unroll a
  // fixed number of iterations, prompt by prompt, in one mixed batch.
  it('a correction runs `iterations`, a first prompt `iterations + firstIterations`, side by side in one run', async () => {
    const { iterations, firstIterations } = DECODER_DEFAULTS
    expect(firstIterations).toBeGreaterThan(0)
    const session = (bytes: Uint8Array) => ort.InferenceSession.create(bytes)
    const enc = await session(buildEncoder('sam2'))
    // The first prompt's extra re-estimations smooth more strongly (firstSmoothing), add the colour mixtures, and they
    // and the last usual one add the region cut; with the usual smoothing, no mixtures and no cut they are the same
    // re-estimations as the others, so that unrolling them all gives the first prompt's answer.
    const noCut = { regionWeight: 0, mixtureComponents: 0 }
    const usualSmoothing = { firstSmoothing: DECODER_DEFAULTS.smoothing, firstSmoothingSteps: DECODER_DEFAULTS.smoothingSteps, ...noCut }
    const decoders = {
      gated: await session(buildDecoder('sam2')),
      gatedUsualSmoothing: await session(buildDecoder('sam2', usualSmoothing)),
      correction: await session(buildDecoder('sam2', { firstIterations: 0 })),
      correctionNoCut: await session(buildDecoder('sam2', { firstIterations: 0, ...noCut })),
      first: await session(buildDecoder('sam2', { iterations: iterations + firstIterations, firstIterations: 0, ...noCut })),
    }
    // Blotches of colour (products and sums of slow sines) whose shades meander into one another: each
    // re-estimation takes in more of them. (On a plain ramp the 256-entry palette holds the answer to the click's
    // shades from the first re-estimation on.)
    const image = new Float32Array(3 * 1024 * 1024)
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 1024; y++)
        for (let x = 0; x < 1024; x++)
          image[c * 1024 * 1024 + y * 1024 + x] =
            0.8 * Math.sin(x / (37 + 11 * c) + 2.1 * c) * Math.cos(y / (53 - 7 * c) + c) + 0.4 * Math.sin((x + y) / 23 + c)
    const e = await enc.run({ image: new ort.Tensor('float32', image, [1, 3, 1024, 1024]) })
    const previous = new Float32Array(65536).map((_, i) => (i % 256 < 30 ? 5 : -5))
    const prompts = (count: number, withMask: boolean[]) => ({
      ...e,
      point_coords: new ort.Tensor(
        'float32',
        Float32Array.from({ length: count * 2 }, (_, k) => (k % 2 ? 512 : 40)),
        [count, 1, 2],
      ),
      point_labels: new ort.Tensor('float32', new Float32Array(count).fill(1), [count, 1]),
      mask_input: new ort.Tensor('float32', Float32Array.from(withMask.flatMap((m) => (m ? [...previous] : new Array(65536).fill(0)))), [count, 1, 256, 256]),
      has_mask_input: new ort.Tensor('float32', Float32Array.from(withMask.map(Number)), [count]),
    })
    const masks = async (name: keyof typeof decoders, count: number, withMask: boolean[]) =>
      (await decoders[name].run(prompts(count, withMask))).masks.data as Float32Array
    const mixed = await masks('gated', 2, [true, false])
    const mixedUsual = await masks('gatedUsualSmoothing', 2, [true, false])
    const asCorrection = await masks('correction', 1, [true])
    const asFirst = await masks('first', 1, [false])
    const size = 3 * 65536
    expect(Array.from(mixed.subarray(0, size))).toEqual(Array.from(asCorrection))
    expect(Array.from(mixedUsual.subarray(size))).toEqual(Array.from(asFirst))
    // The stronger smoothing, the mixtures and the cut change the first prompt's answer.
    expect(Array.from(mixed.subarray(size))).not.toEqual(Array.from(asFirst))
    // Not a check of nothing: the extra iterations change the first prompt's answer.
    expect(Array.from(await masks('correctionNoCut', 1, [false]))).not.toEqual(Array.from(asFirst))
  })
})

describe('anymask-lite decoder: the region cut', () => {
  // A square of one colour on a background of another, so that every edge inside either costs the region weight and
  // the edges between them almost nothing. The square's evidence is +1 in its left half and `right` in its right
  // half, the background's -1, per cell and so per block of cells. Splitting the square down the middle costs 32 rows
  // of block edges across, each 4 (1 + sqrt 2) (309 in all), and gains -right on each of its right half's 512 blocks:
  // at -0.25 (128) the cheapest cut keeps the square whole, at -0.75 (384) it drops the right half. Given steps enough
  // to converge, the relaxed cut must find both (the decoder's 30 steps a re-estimation, warm-started, do not).
  it.each([
    [-0.25, 'keeps the square whole', true],
    [-0.75, 'drops its right half', false],
  ])('right half %s: %s, as the minimum cut', async (right, _, rightIsObject) => {
    const G = 256
    const g = new GraphBuilder('region_cut_test')
    const o = new Ops(g)
    const lab = g.input('lab', 'float', [1, 3, G, G])
    const valid = g.input('valid', 'float', [1, 1, G, G])
    const evidence = g.input('evidence', 'float', [1, 1, G, G])
    const start = g.input('start', 'float', [1, 1, G, G])
    g.output(regionCut(o, lab, valid, { ...DECODER_DEFAULTS, regionSteps: 300 })(o, evidence, start), 'answer', 'float', [1, 1, G, G])
    const session = await ort.InferenceSession.create(encodeModel(g, { producer: 'anymask-test', docString: 'the region cut alone' }))
    const inSquare = (y: number, x: number) => y >= 64 && y < 192 && x >= 64 && x < 192
    const at = (k: number) => [Math.floor(k / G), k % G]
    // Lightness 0.8 in the square, 0.3 around it; no chroma.
    const colour = new Float32Array(3 * G * G).map((_, i) => (i >= G * G ? 0 : inSquare(at(i)[0], at(i)[1]) ? 0.8 : 0.3))
    const values = new Float32Array(G * G).map((_, k) => {
      const [y, x] = at(k)
      return inSquare(y, x) ? (x < 128 ? 1 : right) : -1
    })
    const tensor = (data: Float32Array, channels = 1) => new ort.Tensor('float32', data, [1, channels, G, G])
    const { answer } = await session.run({
      lab: tensor(colour, 3),
      valid: tensor(new Float32Array(G * G).fill(1)),
      evidence: tensor(values),
      start: tensor(new Float32Array(G * G).fill(0.5)),
    })
    const expected = (y: number, x: number) => inSquare(y, x) && (x < 128 || rightIsObject)
    // Away from the answer's edges (where the bilinear upscale of blocks blends), each cell is its side's answer.
    const wrong = Array.from(answer.data as Float32Array).filter((v, k) => {
      const [y, x] = at(k)
      const nearEdge = [y, x].some((c) => Math.abs(c - 64) < 4 || Math.abs(c - 192) < 4) || Math.abs(x - 128) < 4
      return !nearEdge && v > 0.5 !== expected(y, x)
    })
    expect(wrong.length, `${wrong.length} cells on the wrong side`).toBe(0)
    await session.release()
  })
})

describe('anymask-lite decoder: the colour mixtures', () => {
  // Entries in two well-apart clusters of colour, weighted unevenly. The k-means++ start takes the weighted mean,
  // then the entry of most weight times squared distance from it (in the lighter cluster, whose weight is larger),
  // and gives every entry to its nearer anchor: with two components, one per cluster. One EM round then fits each
  // component to its cluster, so the mixture's log density at each entry is, computed here in doubles,
  // log sum_k (n_k / n) N(x; mean_k, covariance_k) (less the (2 pi)^(3/2) that every density shares), the covariance
  // the weighted sample's drawn towards the prior's, plus the floor.
  const P = 256
  const cluster = (k: number) => (k < 96 ? 0 : 1)
  const colours = Array.from({ length: P }, (_, k) => {
    const j = k % 96
    const centre = cluster(k) === 0 ? [0.3, 0.05, -0.02] : [0.8, -0.04, 0.06]
    // The darker cluster spread, the lighter one tight enough that the covariance floor counts.
    const spread = cluster(k) === 0 ? 0.01 : 0.001
    return centre.map((c, d) => c + spread * (Math.sin(j * (d + 1.3) + d) + 0.4 * Math.cos(j * 0.7 * (d + 2))))
  })
  const weights = Array.from({ length: P }, (_, k) => (cluster(k) === 0 ? 1 + (k % 5) : 2 + (k % 7)))
  const gaussian = (members: number[]) => {
    const n = members.reduce((s, k) => s + weights[k], 0)
    const mean = [0, 1, 2].map((d) => members.reduce((s, k) => s + weights[k] * colours[k][d], 0) / n)
    // The sample covariance drawn towards the prior's (mixturePriorVariance I, worth mixturePriorCells cells), plus the floor.
    const { mixturePriorCells: n0, mixturePriorVariance: v0, mixtureFloor: floor } = DECODER_DEFAULTS
    const cov = [0, 1, 2].map((d) =>
      [0, 1, 2].map((e) => {
        const sample = members.reduce((s, k) => s + weights[k] * (colours[k][d] - mean[d]) * (colours[k][e] - mean[e]), 0) / n
        return (n * sample + (d === e ? n0 * v0 : 0)) / (n + n0) + (d === e ? floor : 0)
      }),
    )
    const [[a, b, c], [, d, e], [, , f]] = cov
    const det = a * (d * f - e * e) - b * (b * f - e * c) + c * (b * e - d * c)
    const inv = [
      [d * f - e * e, c * e - b * f, b * e - c * d],
      [c * e - b * f, a * f - c * c, b * c - a * e],
      [b * e - c * d, b * c - a * e, a * d - b * b],
    ].map((row) => row.map((v) => v / det))
    return {
      n,
      logDensity: (x: number[]) =>
        -0.5 * inv.flatMap((row, i) => row.map((v, j) => v * (x[i] - mean[i]) * (x[j] - mean[j]))).reduce((s, v) => s + v) - 0.5 * Math.log(det),
    }
  }
  it.each([1, 2])('%s component(s): the log densities of the Gaussians fitted to the weighted entries', async (components) => {
    const g = new GraphBuilder('colour_mixtures_test')
    const o = new Ops(g)
    const entryColour = g.input('colours', 'float', [P, 3])
    const counts = g.input('counts', 'float', [1, P])
    g.output(colourMixtures(o, entryColour, { ...DECODER_DEFAULTS, mixtureComponents: components, mixtureRounds: 1 })(o, counts), 'logDensity', 'float', [1, P])
    const session = await ort.InferenceSession.create(encodeModel(g, { producer: 'anymask-test', docString: 'the colour mixtures alone' }))
    const { logDensity } = await session.run({
      colours: new ort.Tensor('float32', Float32Array.from(colours.flat()), [P, 3]),
      counts: new ort.Tensor('float32', Float32Array.from(weights), [1, P]),
    })
    const all = Array.from({ length: P }, (_, k) => k)
    const parts = components === 1 ? [all] : [0, 1].map((c) => all.filter((k) => cluster(k) === c))
    const fitted = parts.map(gaussian)
    const total = fitted.reduce((s, f) => s + f.n, 0)
    const expected = colours.map((x) => Math.log(fitted.reduce((s, f) => s + (f.n / total) * Math.exp(f.logDensity(x)), 0)))
    const got = Array.from(logDensity.data as Float32Array)
    // float32 against doubles, relative: the tight cluster's log densities reach 19, and the one component's nearly
    // singular covariance (the clusters lie along a line) costs its determinant digits.
    for (const [k, v] of got.entries())
      expect(Math.abs(v - expected[k]), `entry ${k}: ${v} against ${expected[k]}`).toBeLessThan(1e-2 * Math.max(1, Math.abs(expected[k])))
    await session.release()
  })
})
