/**
 * anymask-lite: a small classical (not learned) segmenter, written as real ONNX graphs in every SAM contract.
 *
 * Encoder: the preprocessed image is turned back into colour, converted to OKLab (a perceptual space), and
 * summarised per 4x4-pixel cell of the 1024 model square: mean L,a,b, their local standard deviations (texture)
 * and the fraction of real (non-padding) pixels. The 256x256 cell grid of 16 features is packed into the
 * [1,256,64,64] embedding with SpaceToDepth, so it has exactly the shape of a SAM embedding.
 *
 * Decoder: region growing. Positive points (or the centre of a box, or a previous mask) seed a region that
 * grows over 4-connected-ish (3x3) cells whose features are close to the seeds' features; cells closer to a
 * negative point's features are cut away; a box bounds the region; a previous low-res mask loosens the
 * threshold where it said "inside" and tightens it where it said "outside". Three thresholds give three
 * candidates (tight, medium, loose); each is scored by its stability against the next looser threshold.
 * Logits are made sub-cell accurate at colour edges: a mixed cell's distance from the seed colour says how
 * much of it is object, so bilinear upscaling puts the edge where it is in the image.
 *
 * On synthetic scenes (flat or finely textured objects on textured backgrounds) its masks are known exactly,
 * which makes it the workhorse of the tests: a wrong transform, padding, label code or upscale shows up in IoU.
 */
import { GraphBuilder, encodeModel } from './onnxGraph.js'
import { hfSamDecoderInputs, hfSamDecoderOutputs, samDecoderInputs, samDecoderOutputs, samPreprocessInGraph } from './contractIO.js'
import { Ops } from './ops.js'

export type Contract = 'sam' | 'hf-sam' | 'sam2'
export const CONTRACTS: Contract[] = ['sam', 'hf-sam', 'sam2']

/** Cell grid of the model square: 256 x 256 cells of 4 x 4 model pixels. */
const GRID = 256
const CELL = 4
const FEATURES = 16
const F_VALID = 6
/** Coarse pre-growth: block size in cells and steps; then exact growth steps per loop iteration. */
const COARSE = 4
const COARSE_STEPS = 48
const STEPS_PER_ITERATION = 12

/** Colour-distance thresholds (OKLab units) of the tight, medium and loose candidates, then the stability reference. */
export const THRESHOLDS = [0.045, 0.09, 0.15, 0.22]
/** Weight of each feature channel in the distance: colour 1, texture 0.5, the rest unused. */
const FEATURE_WEIGHTS = [1, 1, 1, 0.5, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
/** Logit scale: an interior cell is +/-LOGIT_SCALE * 0.1, about the size of SAM's logits. */
const LOGIT_SCALE = 60

// OKLab (Ottosson 2020): linear sRGB -> LMS, cube root, -> Lab.
const LINEAR_SRGB_TO_LMS = [
  [0.4122214708, 0.5363325363, 0.0514459929],
  [0.2119034982, 0.6806995451, 0.1073969566],
  [0.0883024619, 0.2817188376, 0.6299787005],
]
const LMS_TO_OKLAB = [
  [0.2104542553, 0.793617785, -0.0040720468],
  [1.9779984951, -2.428592205, 0.4505937099],
  [0.0259040371, 0.7827717662, -0.808675766],
]

/** How each contract normalised the image: colour01 = x * scale + offset, per channel. */
const DENORMALISE: Record<Contract, { scale: number[]; offset: number[] }> = {
  sam: {
    scale: [58.395 / 255, 57.12 / 255, 57.375 / 255],
    offset: [123.675 / 255, 116.28 / 255, 103.53 / 255],
  },
  'hf-sam': {
    scale: [58.395 / 255, 57.12 / 255, 57.375 / 255],
    offset: [123.675 / 255, 116.28 / 255, 103.53 / 255],
  },
  sam2: { scale: [0.229, 0.224, 0.225], offset: [0.485, 0.456, 0.406] },
}

const ENCODER_INPUT: Record<Contract, string> = { sam: 'input_image', 'hf-sam': 'pixel_values', sam2: 'image' }

const DOC =
  'anymask-lite: a classical colour/texture region-growing segmenter (not a neural network), ' +
  'built by anymask as real ONNX graphs with the IO of a SAM-family contract.'

/** Per-cell OKLab features [B,16,256,256] of a normalised [B,3,1024,1024] image. */
function cellFeatures(o: Ops, x: string, contract: Contract): string {
  const { scale, offset } = DENORMALISE[contract]
  // Letterboxed contracts pad with exactly 0 after normalisation, which no real 8-bit pixel can be (the means
  // are not integers); sam2 stretches the image over the whole square.
  const red = o.slice(x, [0], [1], [1])
  const valid = contract === 'sam2' ? o.add(o.mul(red, o.c(0)), o.c(1)) : o.toFloat(o.not(o.eq(red, o.c(0))))
  const rgb = o.clip(o.add(o.mul(x, o.c(scale, [1, 3, 1, 1])), o.c(offset, [1, 3, 1, 1])), 0, 1)
  const linear = o.where(o.le(rgb, o.c(0.04045)), o.div(rgb, o.c(12.92)), o.pow(o.div(o.add(rgb, o.c(0.055)), o.c(1.055)), o.c(2.4)))
  const lms = o.pow(o.relu(o.colorMatrix(linear, LINEAR_SRGB_TO_LMS)), o.c(1 / 3))
  const lab = o.colorMatrix(lms, LMS_TO_OKLAB)
  // Means over the real pixels of each cell, so cells cut by the padding edge keep their true colour.
  const validFraction = o.blockMean(valid, CELL)
  const denom = o.max(validFraction, o.c(1e-6))
  const mean = o.div(o.blockMean(o.mul(lab, valid), CELL), denom)
  const meanSq = o.div(o.blockMean(o.mul(o.mul(lab, lab), valid), CELL), denom)
  const std = o.sqrt(o.relu(o.sub(meanSq, o.mul(mean, mean))))
  return o.padChannels(o.concat([mean, std, validFraction], 1), 7, FEATURES)
}

/**
 * The encoder of `contract`: image in, embedding(s) out, names and shapes as in CONTRACTS.md.
 * `usePreprocess` (sam only) takes the resized image instead, like samexporter's `--use-preprocess` exports.
 */
export function buildEncoder(contract: Contract, options: { usePreprocess?: boolean; failOnWebGpu?: boolean } = {}): Uint8Array {
  const g = new GraphBuilder(`anymask_lite_${contract}_encoder`)
  const o = new Ops(g)
  const batch = contract === 'hf-sam' ? 'batch' : 1
  let x = options.usePreprocess ? samPreprocessInGraph(g, o) : g.input(ENCODER_INPUT[contract], 'float', [batch, 3, 1024, 1024])
  if (options.failOnWebGpu) {
    // An identity 1x1 Conv that leaves ONNX's default attributes implicit: correct everywhere, but onnxruntime-web
    // 1.30's WebGPU Conv rejects it at run time ("dilations should be 2D"). A real graph that fails on WebGPU only,
    // to test the fallback to WASM.
    x = g.op('Conv', [x, o.c([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3, 1, 1])])
  }
  const features = cellFeatures(o, x, contract)
  const embedding = g.op('SpaceToDepth', [features], { blocksize: 64 / 16 })
  if (contract === 'sam') {
    g.output(embedding, 'image_embeddings', 'float', [1, 256, 64, 64])
  } else if (contract === 'hf-sam') {
    g.output(embedding, 'image_embeddings', 'float', [batch, 256, 64, 64])
    // This model indexes cells directly and needs no positional embedding; zeros keep the contract's IO.
    g.output(o.sub(embedding, embedding), 'image_positional_embeddings', 'float', [batch, 256, 64, 64])
  } else {
    g.output(embedding, 'image_embed', 'float', [1, 256, 64, 64])
    g.output(o.padChannels(features, FEATURES, 32), 'high_res_feats_0', 'float', [1, 32, 256, 256])
    g.output(o.padChannels(o.blockMean(features, 2), FEATURES, 64), 'high_res_feats_1', 'float', [1, 64, 128, 128])
  }
  return encodeModel(g, {
    producer: 'anymask',
    docString: `${DOC} Encoder, ${contract} contract.`,
    metadata: { anymask_model: 'anymask-lite', contract, part: 'encoder' },
  })
}

interface CoreInputs {
  /** Features [1,16,256,256]. */
  features: string
  /** Prompt points in model (1024-square) pixels [L,N,2]. */
  coords: string
  /** SAM labels [L,N] as float: 1 object, 0 background, 2/3 box corners, -1 padding. */
  labels: string
  /** Previous low-res logits [L,1,256,256] and whether to use them [L]. */
  prevMask: string
  hasMask: string
}

interface CoreOutputs {
  /** Three candidates' low-res logits [L,3,256,256] and scores [L,3]. */
  lowRes: string
  scores: string
  /** The best candidate [L,1,256,256] and its score [L,1]. */
  best: string
  bestScore: string
}

/** Seed rows the decoder takes the minimum over: up to 200 points, a box centre and a mask (see validatePrompt). */
const MIN_ROUNDS = 8

/**
 * Minimum over axis 1 of [L,n,GG] as [L,1,GG], for n <= 2^MIN_ROUNDS, by halving: pad n to even with a large value,
 * take the minimum of the two halves, repeat. ReduceMin over a middle axis is slow on WebGPU (one workgroup per
 * output), and these elementwise rounds are fast on every backend.
 */
function minOverRows(o: Ops, x: string): string {
  let rows = x
  for (let round = 0; round < MIN_ROUNDS; round++) {
    const n = o.slice(o.shape(rows), [1], [2], [0]) // [1]
    const odd = o.g.op('Mod', [n, o.i([2])])
    const even = o.g.op('Pad', [rows, o.concat([o.i([0, 0, 0, 0]), odd, o.i([0])], 0), o.c(1000)], { mode: 'constant' })
    const half = o.g.op('Div', [o.add(n, odd), o.i([2])])
    const first = o.g.op('Slice', [even, o.i([0]), half, o.i([1])])
    const second = o.g.op('Slice', [even, half, o.g.op('Mul', [half, o.i([2])]), o.i([1])])
    rows = o.min(first, second)
  }
  return o.slice(rows, [0], [1], [1])
}

/** The region-growing decoder shared by every contract. */
function decoderCore(o: Ops, inp: CoreInputs): CoreOutputs {
  const g = o.g
  const K = THRESHOLDS.length
  const F = inp.features
  const valid = o.slice(F, [F_VALID], [F_VALID + 1], [1]) // [1,1,G,G]
  const isValid = o.gt(valid, o.c(0))

  // Seed features are a 3x3-cell average (over real cells only), so one noisy cell does not decide the colour.
  const smoothDenom = o.max(o.boxMean(valid, 3), o.c(1e-6))
  const smoothF = o.div(o.boxMean(o.mul(F, valid), 3), smoothDenom)
  const cellRows = o.reshape(smoothF, [FEATURES, GRID * GRID]) // [16,GG]

  // --- prompt decoding -----------------------------------------------------------------------------
  const x = o.squeeze(o.slice(inp.coords, [0], [1], [2]), [2]) // [L,N]
  const y = o.squeeze(o.slice(inp.coords, [1], [2], [2]), [2])
  const label = (v: number) => o.toFloat(o.eq(inp.labels, o.c(v)))
  const pos = label(1)
  const neg = label(0)
  const tl = label(2)
  const br = label(3)
  const hasPos = o.rmax(pos, [1]) // [L,1]
  const hasBox = o.rmax(tl, [1])
  const x0 = o.sum(o.mul(tl, x), [1])
  const y0 = o.sum(o.mul(tl, y), [1])
  const x1 = o.sum(o.mul(br, x), [1])
  const y1 = o.sum(o.mul(br, y), [1])
  const hasMask = o.reshape(inp.hasMask, [-1, 1]) // [L,1]
  const zero = o.mul(hasBox, o.c(0))
  const one = o.add(zero, o.c(1))

  // A box with no object point seeds at its centre; a mask alone seeds from its own cells and mean colour.
  const boxSeed = o.mul(hasBox, o.sub(one, hasPos))
  const maskSeed = o.mul(o.mul(hasMask, o.sub(one, hasPos)), o.sub(one, hasBox))
  const half = o.c(0.5)
  const seedX = o.concat([x, o.mul(o.add(x0, x1), half)], 1) // [L,N+1]
  const seedY = o.concat([y, o.mul(o.add(y0, y1), half)], 1)
  const posSeeds = o.concat([pos, boxSeed], 1)
  // SAM adds half a pixel to every coordinate; the cell is the 4x4 block that pixel centre falls in.
  const cellOf = (v: string) => o.clip(o.floor(o.div(o.add(v, half), o.c(CELL))), 0, GRID - 1)
  const seedCell = o.toInt64(o.add(o.mul(cellOf(seedY), o.c(GRID)), cellOf(seedX))) // [L,N+1]
  // Gather along the cell axis, then transpose the small result: transposing the whole table is slow on GPUs.
  const pointFeatures = o.transpose(o.gather(cellRows, seedCell, 1), [1, 2, 0]) // [L,N+1,16]

  const prevInside = o.toFloat(o.gt(inp.prevMask, o.c(0))) // [L,1,G,G]
  const prevWeight = o.mul(prevInside, o.reshape(hasMask, [-1, 1, 1, 1]))
  const maskSum = o.matmul(o.reshape(F, [FEATURES, GRID * GRID]), o.reshape(prevWeight, [-1, GRID * GRID, 1])) // [L,16,1]
  const maskMean = o.div(o.reshape(maskSum, [-1, FEATURES]), o.max(o.reshape(o.sum(prevWeight, [1, 2, 3]), [-1, 1]), o.c(1))) // [L,16]
  const seedFeatures = o.concat([pointFeatures, o.unsqueeze(maskMean, [1])], 1) // [L,N+2,16]
  const posWeight = o.concat([posSeeds, maskSeed], 1) // [L,N+2]
  const negWeight = o.concat([neg, zero, zero], 1)

  // --- distances from every cell to every seed: |f|^2 - 2 f.p + |p|^2 -------------------------------
  const sqrtW = o.c(FEATURE_WEIGHTS.map(Math.sqrt), [1, FEATURES, 1, 1])
  const fw = o.reshape(o.mul(F, sqrtW), [FEATURES, GRID * GRID])
  const pw = o.mul(seedFeatures, o.c(FEATURE_WEIGHTS.map(Math.sqrt), [1, 1, FEATURES]))
  const ff = o.matmul(o.c(new Array(FEATURES).fill(1), [1, FEATURES]), o.mul(fw, fw)) // [1,GG]
  const pp = o.sum(o.mul(pw, pw), [2]) // [L,N+2,1]
  const pf = o.matmul(pw, fw) // [L,N+2,GG]
  const dist = o.sqrt(o.relu(o.add(o.sub(ff, o.mul(pf, o.c(2))), pp)))
  const BIG = o.c(1000)
  const nearest = (w: string) => o.reshape(minOverRows(o, o.add(dist, o.mul(o.unsqueeze(o.sub(o.c(1), w), [2]), BIG))), [-1, 1, GRID, GRID])
  const dPos = nearest(posWeight) // [L,1,G,G]
  const dNeg = nearest(negWeight)

  // --- where the region may grow -----------------------------------------------------------------
  const thresholds = o.c(THRESHOLDS, [1, K, 1, 1])
  const bias = o.add(o.c(1), o.mul(o.mul(o.c(0.5), o.reshape(hasMask, [-1, 1, 1, 1])), o.clip(o.div(inp.prevMask, o.c(8)), -1, 1)))
  const cellThreshold = o.mul(thresholds, bias) // [L,K,G,G]
  const centres = o.add(o.mul(o.toFloat(g.op('Range', [o.c(0), o.c(GRID), o.c(1)])), o.c(CELL)), o.c(CELL / 2))
  const cx = o.reshape(centres, [1, 1, 1, GRID])
  const cy = o.reshape(centres, [1, 1, GRID, 1])
  const col = (v: string) => o.reshape(v, [-1, 1, 1, 1])
  const boxDistance = o.min(o.sub(cx, col(x0)), o.sub(col(x1), cx), o.sub(cy, col(y0)), o.sub(col(y1), cy))
  const insideBoxDistance = o.where(o.gt(col(hasBox), o.c(0)), boxDistance, o.c(1000)) // [L,1,G,G] model px
  const allowed = o.toFloat(o.and(o.and(o.lt(dPos, cellThreshold), o.le(dPos, dNeg)), o.and(isValid, o.g.op('GreaterOrEqual', [insideBoxDistance, o.c(0)])))) // [L,K,G,G]

  // --- seeds and growth ---------------------------------------------------------------------------
  const cellIndex = o.reshape(g.op('Range', [o.i([0], []), o.i([GRID * GRID], []), o.i([1], [])]), [1, 1, GRID, GRID])
  const seedHits = o.mul(o.toFloat(o.eq(cellIndex, o.unsqueeze(seedCell, [2, 3]))), o.unsqueeze(posSeeds, [2, 3])) // [L,N+1,G,G]
  const anySeed = o.reshape(o.sub(o.c(0), minOverRows(o, o.reshape(o.sub(o.c(0), seedHits), [0, -1, GRID * GRID]))), [-1, 1, GRID, GRID])
  const seeds = o.max(anySeed, prevWeight)
  const fineSeeds = o.mul(o.maxFilter(seeds, 3), allowed)

  // Coarse pass on a 64x64 grid of 4x4-cell blocks that are allowed throughout: cheap, and everything it reaches
  // is reachable at full resolution, so it only shortens the exact growth that follows (a GPU syncs once per
  // loop iteration, so fewer iterations matter more than fewer operations).
  const blockAllowed = o.sub(o.c(0), o.blockMax(o.sub(o.c(0), allowed), COARSE)) // min over each block
  let coarse = o.mul(o.blockMax(fineSeeds, COARSE), blockAllowed)
  for (let step = 0; step < COARSE_STEPS; step++) coarse = o.mul(o.maxFilter(coarse, 3), blockAllowed)
  const coarseUp = g.op('Resize', [coarse, '', o.c([1, 1, COARSE, COARSE], [4])], { mode: 'nearest' })
  const start = o.max(fineSeeds, o.mul(coarseUp, allowed))

  // Exact growth: R <- dilate3x3(R) * allowed, STEPS_PER_ITERATION at a time, until a step changes nothing
  // (growth is monotone, so one still step means convergence).
  const body = new GraphBuilder('grow', 'grow_')
  const b = new Ops(body)
  body.input('grow_iter', 'int64', [])
  body.input('grow_cond_in', 'bool', [])
  let region = body.input('grow_region_in', 'float', ['L', K, GRID, GRID])
  let previous = region
  for (let step = 0; step < STEPS_PER_ITERATION; step++) {
    previous = region
    region = b.mul(b.maxFilter(region, 3), allowed)
  }
  body.output(b.gt(b.rmax(b.abs(b.sub(region, previous)), undefined, 0), b.c(0)), 'grow_cond_out', 'bool', [])
  body.output(region, 'grow_region_out', 'float', ['L', K, GRID, GRID])
  const grown = g.op('Loop', [o.i([GRID * GRID], []), g.constant([1], [], 'bool'), start], { body })

  // --- logits: +/- inside and outside, sub-cell accurate across colour edges ------------------------
  const region4 = grown
  const outside = o.sub(o.c(1), region4)
  const dCapped = o.min(dPos, o.c(1))
  const farOutside = o.maxFilter(o.mul(dCapped, outside), 3) // farthest outside colour next to a cell
  const colourEdge = o.gt(farOutside, cellThreshold)
  // A mixed cell of object fraction f has distance (1-f)D from the seed, D the colour step: D/2 - d = D(f - 1/2).
  const soft = o.sub(o.mul(farOutside, half), dCapped)
  const innerBand = o.gt(o.mul(region4, o.maxFilter(outside, 3)), o.c(0))
  const outerBand = o.gt(o.mul(outside, o.maxFilter(region4, 3)), o.c(0))
  const insideLogit = o.where(innerBand, o.where(colourEdge, o.clip(soft, -0.1, 0.1), o.c(0.05)), o.c(0.1))
  const outsideLogit = o.where(outerBand, o.where(colourEdge, o.clip(soft, -0.1, 0), o.c(-0.05)), o.c(-0.1))
  const cellLogit = o.where(o.gt(region4, o.c(0)), insideLogit, outsideLogit)
  const boxLogit = o.mul(insideBoxDistance, o.c(0.1 / CELL))
  const logits = o.mul(o.min(cellLogit, boxLogit), o.c(LOGIT_SCALE)) // [L,K,G,G]

  // --- scores: stability against the next looser threshold, less a penalty for flooding the image ---
  const area = o.sum(region4, [2, 3], 0) // [L,K]
  const candidateArea = o.slice(area, [0], [K - 1], [1])
  const looserArea = o.slice(area, [1], [K], [1])
  const stability = o.div(candidateArea, o.max(looserArea, o.c(1)))
  const imageArea = o.max(o.sum(o.toFloat(isValid), [0, 1, 2, 3], 0), o.c(1))
  const flooding = o.relu(o.sub(o.div(candidateArea, imageArea), o.c(0.5)))
  // Ties go to the medium, then the loose candidate: the stable middle is the usual answer.
  const preference = o.c([0, 0.004, 0.002], [1, 3])
  const scores = o.clip(o.add(o.sub(stability, flooding), preference), 0, 1)

  const lowRes = o.slice(logits, [0], [K - 1], [1])
  const bestIndex = g.op('ArgMax', [scores], { axis: 1, keepdims: 1 }) // [L,1]
  const bestOneHot = o.toFloat(o.eq(o.i([0, 1, 2], [1, 3]), bestIndex)) // [L,3]
  const best = o.reshape(o.matmul(o.unsqueeze(bestOneHot, [1]), o.reshape(lowRes, [-1, 3, GRID * GRID])), [-1, 1, GRID, GRID]) // [L,1,G,G]
  const bestScore = o.rmax(scores, [1])
  return { lowRes, scores, best, bestScore }
}

/** Features [1,16,256,256] back from the [1,256,64,64] embedding. */
const unpackEmbedding = (o: Ops, embedding: string) => o.g.op('DepthToSpace', [embedding], { blocksize: 4, mode: 'DCR' })

function buildSamDecoder(g: GraphBuilder, o: Ops) {
  const { embedding, origSize, ...prompts } = samDecoderInputs(g)
  const core = decoderCore(o, { features: unpackEmbedding(o, embedding), ...prompts })
  // Token 0 is the single-mask answer, tokens 1..3 the multimask candidates, as in SAM's export.
  samDecoderOutputs(g, o, o.concat([core.best, core.lowRes], 1), o.concat([core.bestScore, core.scores], 1), origSize)
}

function buildHfSamDecoder(g: GraphBuilder, o: Ops) {
  const { embedding, positional, ...prompts } = hfSamDecoderInputs(g, o)
  void positional // anymask-lite has no use for positions
  const core = decoderCore(o, { features: unpackEmbedding(o, embedding), ...prompts })
  hfSamDecoderOutputs(g, o, core.lowRes, core.scores, embedding)
}

function buildSam2Decoder(g: GraphBuilder, o: Ops) {
  const embed = g.input('image_embed', 'float', [1, 256, 64, 64])
  const feats0 = g.input('high_res_feats_0', 'float', [1, 32, 256, 256])
  const feats1 = g.input('high_res_feats_1', 'float', [1, 64, 128, 128])
  const coords = g.input('point_coords', 'float', ['num_labels', 'num_points', 2])
  const labels = g.input('point_labels', 'float', ['num_labels', 'num_points'])
  const prevMask = g.input('mask_input', 'float', ['num_labels', 1, 256, 256])
  const hasMask = g.input('has_mask_input', 'float', ['num_labels'])
  void embed
  void feats1
  // SAM 2 hands the decoder full-resolution features; ours are the first 16 channels of the 256x256 ones.
  const features = o.slice(feats0, [0], [FEATURES], [1])
  const core = decoderCore(o, { features, coords, labels, prevMask, hasMask })
  g.output(core.lowRes, 'masks', 'float', ['num_labels', 3, 256, 256])
  g.output(core.scores, 'iou_predictions', 'float', ['num_labels', 3])
}

/** The decoder of `contract`: prompts in, low-res logits (and for `sam`, full-size logits) and scores out. */
export function buildDecoder(contract: Contract): Uint8Array {
  const g = new GraphBuilder(`anymask_lite_${contract}_decoder`)
  const o = new Ops(g)
  if (contract === 'sam') buildSamDecoder(g, o)
  else if (contract === 'hf-sam') buildHfSamDecoder(g, o)
  else buildSam2Decoder(g, o)
  return encodeModel(g, {
    producer: 'anymask',
    docString: `${DOC} Decoder, ${contract} contract.`,
    metadata: { anymask_model: 'anymask-lite', contract, part: 'decoder' },
  })
}
