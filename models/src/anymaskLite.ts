/**
 * anymask-lite: a small classical (not learned) segmenter, written as real ONNX graphs in every SAM contract.
 *
 * Encoder: the preprocessed image is turned back into colour, converted to OKLab (a perceptual space), and
 * summarised per 4x4-pixel cell of the 1024 model square: mean L,a,b, their local standard deviations (texture)
 * and the fraction of real (non-padding) pixels. It also finds the image's palette: PALETTE entries of mean colour
 * and texture, by soft k-means from a deterministic farthest-point start, and gives each cell its two nearest
 * entries, and the palette's colours (each entry's mean cell colour) for the decoder's mixtures. The 256x256 cell
 * grid of 16 features is packed into the [1,256,64,64] embedding with SpaceToDepth, so it has exactly the shape of a
 * SAM embedding.
 *
 * Decoder: GrabCut-style colour models (Rother et al. 2004). The object and background models are histograms over
 * the palette of the current soft answer (each cell's weight added into its two nearest entries by a ScatterND),
 * each cell's evidence is the log ratio of its likelihoods under the two (lookups of its entries), 30 % of it
 * replaced by its guided filter by the cells' colours (the evidence of the cell's region, bounded by the image's
 * edges), and mean-field steps smooth the answer; three re-estimations, and three more, smoothed more strongly (in a
 * Loop that a batch of corrections skips), for a prompt without a previous mask, which starts from less. In the three
 * more, GrabCut's Gaussian mixtures, fitted to the palette's colours, give 65 % of the colour evidence (see
 * colourMixtures). In the last of the three and the three more, 70 % of the answer comes from a region cut (GrabCut's
 * graph cut, relaxed to a total variation that convolutions minimise; see regionCut), which keeps or drops a region
 * bounded by strong edges whole. A box:
 * outside is background, a ring around it samples the background (and the rest of the image a tenth as much), its middle leans object and its rim
 * background. Clicks hold their neighbourhood to their label, start the object from cells of about their colour
 * around them, and the region stays connected to the object clicks. A previous mask starts the answer and leans
 * it its way, and the colour regions of correcting clicks lean it theirs, so that a correction changes the part it
 * is about, not the whole image (RITM's protocol on the GrabCut photos: clicks to 85 % 8.67 -> 6.36, to 90 %
 * 9.76 -> 8.06). Three thresholds of the object probability give three candidates, each scored by its stability
 * against the next looser one. Logits are sub-cell accurate at edges: an edge cell's mean colour is unmixed
 * between the object's and the background's colours beside it, so bilinear upscaling puts the edge where it is in the image.
 *
 * Both graphs are written for onnxruntime-web's WebGPU as much as for WASM: on a software adapter every operation
 * costs about its tensor's size, and some (ReduceSum, Softmax, Transpose, reductions over a middle axis, MatMuls
 * with a side of 1) cost far more; the comments at each choice say which it avoids.
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
/** The 256x256 grid of FEATURES goes into the [1,256,64,64] embedding in blocks of PACK x PACK cells. */
const PACK = GRID / 64
const F_VALID = 6
/**
 * Palette: PALETTE colours of the image (soft k-means, PALETTE_ROUNDS rounds). 256, not 64: an entry then rarely
 * holds both an object's colour and a background's (box IoU on the GrabCut photos 0.798 -> 0.813, and 0.822 with
 * the sharper k-means of PALETTE_TEMPERATURE 0.0001, not 0.0003).
 */
const PALETTE = 256
const PALETTE_ROUNDS = 8
/** Farthest-point entries, then splits in two with SPLIT_ROUNDS rounds before each, SPLIT_STEP apart in OKLab. */
const FARTHEST = 16
const SPLIT_ROUNDS = 2
const SPLIT_STEP = 0.02
/** The palette is found on blocks of PALETTE_BLOCK x PALETTE_BLOCK cells (same quality on the photos, 1/16 of the work). */
const PALETTE_BLOCK = 4
const PALETTE_TEMPERATURE = 0.0001
/** Channels of each cell's two nearest palette entries (indices as floats) and the nearer one's share. */
const F_NEAREST = 7
/** The channel whose first PALETTE x 3 values are the palette entries' OKLab colours, for the decoder's mixtures. */
const F_PALETTE = F_NEAREST + 3
/** Temperature (OKLab distance squared) of a cell's shares in its two nearest palette entries. */
const SHARE_TEMPERATURE = 0.0004
/**
 * Cells search their nearest entries in NEAREST_PIECES pieces: onnxruntime's WASM spends more writing one fresh
 * [GG,P] score (67 MB) than computing it, and pieces reuse one another's memory (the encoder's operations at 1024x768,
 * profiled: ~520 -> ~330 ms).
 */
const NEAREST_PIECES = 8
/** Palette entries describe a cell by its mean colour and, TEXTURE_WEIGHT times, its colour's standard deviation. */
const PALETTE_DIMS = 6
const TEXTURE_WEIGHT = 2
/**
 * Growth from the clicks: first over blocks of COARSE x COARSE cells, at most COARSE_TRIPS x COARSE_STEPS_PER_TRIP
 * steps, then over cells, at most GROW_TRIPS x GROW_STEPS_PER_TRIP; each stops after a trip that changed nothing.
 */
const COARSE = 4
const COARSE_TRIPS = 6
const COARSE_STEPS_PER_TRIP = 8
const GROW_TRIPS = 18
const GROW_STEPS_PER_TRIP = 4

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
  'anymask-lite: a classical GrabCut-style colour-model segmenter (not a neural network), ' +
  'built by anymask as real ONNX graphs with the IO of a SAM-family contract.'

/** Per-cell OKLab features [B,16,256,256] of a normalised [B,3,1024,1024] image, with their nearest palette entries. */
function cellFeatures(o: Ops, x: string, contract: Contract): string {
  const { scale, offset } = DENORMALISE[contract]
  // Letterboxed contracts pad with exactly 0 after normalisation, which no real 8-bit pixel can be (the means
  // are not integers); sam2 stretches the image over the whole square.
  const red = o.slice(x, [0], [1], [1])
  const valid = contract === 'sam2' ? o.add(o.mul(red, o.c(0)), o.c(1)) : o.toFloat(o.not(o.eq(red, o.c(0))))
  const rgb = o.clip(o.add(o.mul(x, o.c(scale, [1, 3, 1, 1])), o.c(offset, [1, 3, 1, 1])), 0, 1)
  const linear = o.choose(o.toFloat(o.le(rgb, o.c(0.04045))), o.div(rgb, o.c(12.92)), o.pow(o.div(o.add(rgb, o.c(0.055)), o.c(1.055)), o.c(2.4)))
  const lms = o.pow(o.relu(o.colorMatrix(linear, LINEAR_SRGB_TO_LMS)), o.c(1 / 3))
  const lab = o.colorMatrix(lms, LMS_TO_OKLAB)
  // Means over the real pixels of each cell, so cells cut by the padding edge keep their true colour.
  const validFraction = o.blockMean(valid, CELL)
  const denom = o.max(validFraction, o.c(1e-6))
  const mean = o.div(o.blockMean(o.mul(lab, valid), CELL), denom)
  const meanSq = o.div(o.blockMean(o.mul(o.mul(lab, lab), valid), CELL), denom)
  const std = o.sqrt(o.relu(o.sub(meanSq, o.mul(mean, mean))))
  const described = describe(o, mean, std)
  const palette = imagePalette(o, described, validFraction) // [P,D]
  // The cells as rows [B,GG,D+1], their description and a 1 (for the nearest entries' scores and the member colours).
  const cells = o.reshape(described, [-1, PALETTE_DIMS, GRID * GRID])
  const ones = o.add(o.mul(o.slice(cells, [0], [1], [1]), o.c(0)), o.c(1)) // [B,1,GG]
  const cellRows = o.transpose(o.concat([cells, ones], 1), [0, 2, 1])
  const nearest = nearestEntries(o, cellRows, palette)
  const paletteColours = o.reshape(memberColours(o, cellRows, validFraction, nearest), [1, PALETTE * 3])
  // Added to nothing of the image's batch dimension, so that the embedding keeps it (a contract's batch, not a 1).
  const noBatch = o.mul(validFraction, o.c(0))
  const paletteChannel = o.add(o.reshape(o.g.op('Pad', [paletteColours, o.i([0, 0, 0, GRID * GRID - PALETTE * 3])]), [1, 1, GRID, GRID]), noBatch)
  return o.padChannels(o.concat([mean, std, validFraction, ...nearest, paletteChannel], 1), F_PALETTE + 1, FEATURES)
}

/**
 * The palette entries' OKLab colours [P,3] as the decoder's colour mixtures see them: the mean colour of the real cells
 * counted into each (with their shares in their two nearest), which fits the cells better than the k-means centre.
 * Added up by ScatterND into CHUNKS slots an entry (a cell's by its index mod CHUNKS), summed after: WebGPU adds floats
 * with a compare-and-swap loop per update, and a photo's cells crowd into a few entries.
 */
function memberColours(o: Ops, cellRows: string, validFraction: string, [first, second, firstShare]: string[]): string {
  const row = (v: string) => o.reshape(v, [1, GRID * GRID])
  const column = (v: string) => o.reshape(v, [GRID * GRID, 1])
  // Constants as Expands, not written out: the encoder's file is embedded.
  const chunk = row(
    o.g.op('Expand', [
      o.c(
        Array.from({ length: CHUNKS }, (_, k) => k),
        [1, CHUNKS],
      ),
      o.i([(GRID * GRID) / CHUNKS, CHUNKS]),
    ]),
  )
  // Each cell's OKLab colour and a 1 [GG,4], from its row (no transpose of its own), times its real fraction.
  const rows = o.reshape(cellRows, [GRID * GRID, PALETTE_DIMS + 1])
  const colourAndOne = o.mul(o.concat([o.slice(rows, [0], [3], [1]), o.slice(rows, [PALETTE_DIMS], [PALETTE_DIMS + 1], [1])], 1), column(validFraction))
  const shares = [column(firstShare), o.sub(o.c(1), column(firstShare))]
  const none = o.g.op('Expand', [o.c([0]), o.i([PALETTE * CHUNKS, 4])])
  const sums = [first, second].reduce((data, entry, k) => {
    const slot = o.reshape(o.toInt64(o.add(o.mul(row(entry), o.c(CHUNKS)), chunk)), [GRID * GRID, 1])
    return o.g.op('ScatterND', [data, slot, o.mul(colourAndOne, shares[k])], { reduction: 'add' })
  }, none)
  const byEntry = total(o, o.reshape(sums, [PALETTE, CHUNKS, 4]), [1], CHUNKS, 0) // [P,4]
  return o.div(o.slice(byEntry, [0], [3], [1]), o.max(o.slice(byEntry, [3], [4], [1]), o.c(1e-6)))
}

/**
 * The two palette entries [P,D] nearest to each cell, given as rows `withOnes` [B,GG,D+1] (its description and a 1),
 * and the nearer one's share (a softmax
 * of the two distances), each [B,1,G,G]: the colour models count cells by entry, and a cell's evidence is a lookup.
 * Two entries, not one, so that a cell between two colours counts for both, as a soft membership would (all of them
 * are too costly per decode on WebGPU). Scores as [B,GG,P], so that minima run over the innermost axis (over another
 * axis onnxruntime-web's WebGPU transposes the scores first).
 */
function nearestEntries(o: Ops, withOnes: string, palette: string): string[] {
  const paletteT = o.transpose(palette, [1, 0]) // [D,P]
  // |c - x|^2 less |x|^2, which is the same for every entry: |c|^2 - 2 x.c, one MatMul of the cells with a row of ones
  // below them (no pass over the scores to add |c|^2).
  const squared = o.matmul(o.c(new Array(PALETTE_DIMS).fill(1), [1, PALETTE_DIMS]), o.mul(paletteT, paletteT)) // [1,P]
  const byEntry = o.concat([o.mul(paletteT, o.c(-2)), squared], 0) // [D+1,P]
  const positions = o.positions(PALETTE)
  const part = (GRID * GRID) / NEAREST_PIECES
  const results = Array.from({ length: NEAREST_PIECES }, (_, k) => {
    const score = o.matmul(o.slice(withOnes, [k * part], [(k + 1) * part], [1]), byEntry) // [B,part,P]
    const first = o.firstIndexAndValue(score, 'min', 2, PALETTE)
    // The nearest entry moved out of reach, so that the next minimum is the second nearest.
    const second = o.firstIndexAndValue(o.add(score, o.mul(o.toFloat(o.eq(positions, first.index)), o.c(1e9))), 'min', 2, PALETTE)
    return o.concat([first.index, second.index, first.value, second.value], 2) // [B,part,4]
  })
  const nearest = concatInPairs(o, results, 1)
  const pick = (k: number) => o.slice(nearest, [k], [k + 1], [2])
  const share = o.g.op('Sigmoid', [o.mul(o.sub(pick(3), pick(2)), o.c(1 / SHARE_TEMPERATURE))])
  const asGrid = (v: string) => o.reshape(v, [-1, 1, GRID, GRID])
  return [asGrid(pick(0)), asGrid(pick(1)), asGrid(share)]
}

/** `parts` concatenated along `axis` two at a time: WebGPU binds at most 8 buffers to a kernel. */
function concatInPairs(o: Ops, parts: string[], axis: number): string {
  if (parts.length === 1) return parts[0]
  return concatInPairs(
    o,
    Array.from({ length: Math.ceil(parts.length / 2) }, (_, k) => (2 * k + 1 < parts.length ? o.concat([parts[2 * k], parts[2 * k + 1]], axis) : parts[2 * k])),
    axis,
  )
}

/** What the palette describes a cell by [1,D,G,G]: mean colour [1,3,G,G] and its standard deviation. */
function describe(o: Ops, mean: string, std: string): string {
  return o.concat([mean, o.mul(std, o.c(TEXTURE_WEIGHT))], 1)
}

/**
 * The image's palette [P,D] (OKLab colour and texture): soft k-means over blocks of cells (weighted by how much of
 * each is real), from a farthest-point start. Soft assignments and a fixed number of rounds, so backends that round
 * differently reach nearly the same palette.
 */
function imagePalette(o: Ops, described: string, validFraction: string): string {
  const D = PALETTE_DIMS
  const side = GRID / PALETTE_BLOCK
  const weightGrid = o.blockMean(validFraction, PALETTE_BLOCK)
  const smooth = o.reshape(o.div(o.blockMean(o.mul(described, validFraction), PALETTE_BLOCK), o.max(weightGrid, o.c(1e-6))), [D, side * side])
  const rows = smooth // [D,SS]
  const weight = o.reshape(weightGrid, [1, side * side])
  // Farthest-point start (deterministic): the mean colour, then again and again the block farthest from every
  // colour chosen so far, so that rare colours (a small object's) get their own entry. Then the entries split in
  // two (Linde-Buzo-Gray) until there are PALETTE: the farthest-point steps are sequential, one kernel each, and
  // many kernels are slow on WebGPU.
  const isReal = o.toFloat(o.gt(weight, o.c(0))) // [1,SS]
  const first = o.div(total(o, o.mul(smooth, weight), [1], side * side), o.max(total(o, weight, [1], side * side), o.c(1e-6))) // [D,1]
  const far = (c: string) => o.matmul(o.c(new Array(D).fill(1), [1, D]), o.mul(o.sub(smooth, c), o.sub(smooth, c))) // [1,SS]
  let chosen = first
  let nearest = o.mul(far(first), isReal)
  for (let k = 1; k < FARTHEST; k++) {
    const at = o.toInt64(o.reshape(o.firstIndexOf(nearest, 'max', 1, side * side), [1]))
    const c = o.gather(smooth, at, 1) // [D,1]
    // One at a time: WebGPU binds at most 8 buffers to a kernel, so no Concat of many inputs.
    chosen = o.concat([chosen, c], 1)
    nearest = o.min(nearest, far(c))
  }
  // Centres as [D,P] throughout: transposes of large tensors are slow on WebGPU.
  let centres = chosen
  const rowsT = o.transpose(rows, [1, 0]) // [SS,D]
  const weighted = o.mul(rows, weight) // [D,SS]
  const refine = (rounds: number, entries: number) => {
    for (let round = 0; round < rounds; round++) {
      const r = memberships(o, rowsT, centres, entries, PALETTE_TEMPERATURE) // [SS,P]
      const mass = o.matmul(weight, r) // [1,P]
      centres = o.div(o.add(o.matmul(weighted, r), o.mul(centres, o.c(1e-3))), o.add(mass, o.c(1e-3)))
    }
  }
  for (let size = FARTHEST, split = 0; size < PALETTE; size *= 2, split++) {
    refine(SPLIT_ROUNDS, size)
    // Apart along lightness, then the colour axes, then texture: k-means pulls the halves to the two sides of a
    // spread cluster; an entry of one flat colour keeps two copies of it.
    const apart = o.c(
      Array.from({ length: D }, (_, d) => (d === split % D ? SPLIT_STEP : 0)),
      [D, 1],
    )
    centres = o.concat([o.add(centres, apart), o.sub(centres, apart)], 1)
  }
  refine(PALETTE_ROUNDS, PALETTE)
  return o.transpose(centres, [1, 0])
}

const sumOf = (o: Ops, terms: string[]) => terms.reduce((s, v) => o.add(s, v))

/**
 * A 5 x 5 max filter as two 3 x 3 ones (the same values): onnxruntime's WASM MaxPool is quickest at 3 x 3, and a first
 * click decodes about 3 % faster than with a 1 x 5 then a 5 x 1 pass.
 */
const max5 = (o: Ops, x: string) => o.maxFilter(o.maxFilter(x, 3), 3)

/**
 * Sum over `axes` of static total size `count`, as ReduceMean (axes an attribute) times `count`: onnxruntime-web's
 * WebGPU ReduceSum (axes an input) is hundreds of times slower on large tensors.
 */
const total = (o: Ops, x: string, axes: number[], count: number, keepdims = 1) => o.mul(o.g.op('ReduceMean', [x], { axes, keepdims }), o.c(count))

/**
 * Soft memberships [N,P] of the rows `rowsT` [N,D] to the P = `entries` colours `centresT` [D,P]: a softmax of squared distances,
 * written out (exp of the distance beyond the nearest, over its sum) because onnxruntime-web's WebGPU Softmax is
 * slow. |x|^2 is the same for every entry of a row and cancels.
 */
function memberships(o: Ops, rowsT: string, centresT: string, entries: number, temperature: number): string {
  const cc = o.matmul(o.c(new Array(PALETTE_DIMS).fill(1), [1, PALETTE_DIMS]), o.mul(centresT, centresT)) // [1,P]
  const d2 = o.sub(cc, o.mul(o.matmul(rowsT, centresT), o.c(2))) // [N,P], less |x|^2
  const beyond = o.sub(d2, rowReduce(o, 'ReduceMin', d2))
  const e = o.g.op('Exp', [o.mul(beyond, o.c(-1 / temperature))])
  return o.div(e, o.mul(rowReduce(o, 'ReduceMean', e), o.c(entries)))
}

/**
 * ReduceMin or ReduceMean over the last axis of [N,M] as [N,1], reduced as [1,N,M]. For [N > 1024, M] onnxruntime-web
 * 1.30's WebGPU takes its naive reduce (`useNaiveReduceMethod`), whose shader has M written into it but is cached by
 * the input's rank and the attributes alone (`runReduceProgram`):
 * the palette's rounds over 16, then 32, then 64 entries all ran the 16-entry shader. A leading 1 takes its
 * shared-memory reduce, which reads M from a uniform.
 */
const rowReduce = (o: Ops, op: 'ReduceMin' | 'ReduceMean', x: string) => o.reshape(o.g.op(op, [o.unsqueeze(x, [0])], { axes: [2], keepdims: 1 }), [-1, 1])

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
  const embedding = g.op('SpaceToDepth', [features], { blocksize: PACK })
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

/**
 * The cell features the decoder reads, in this order: mean OKLab (3), the real fraction, the two nearest palette
 * entries and the nearer one's share, the palette's colours; 8 of the 16 the encoder packs, so that it unpacks half
 * the embedding.
 */
const DECODED = [0, 1, 2, F_VALID, F_NEAREST, F_NEAREST + 1, F_NEAREST + 2, F_PALETTE]
const D_VALID = 3
const D_NEAREST = 4
const D_PALETTE = 7

interface CoreInputs {
  /** The DECODED features [1,8,256,256]. */
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

/**
 * An ONNX Loop of at most `trips` (an int64 scalar) over one float value of shape `dims`, from `start`, if `begin` (a
 * bool scalar; default true): `body` gives the next value and, if it can tell, whether to go on (else the Loop runs
 * all its trips).
 */
function loop(
  o: Ops,
  name: string,
  trips: string,
  start: string,
  dims: (string | number)[],
  body: (b: Ops, value: string) => { value: string; goOn?: string },
  begin = o.g.constant([1], [], 'bool'),
): string {
  const graph = new GraphBuilder(name, `${name}_`)
  const b = new Ops(graph)
  graph.input(`${name}_iter`, 'int64', [])
  const cond = graph.input(`${name}_cond_in`, 'bool', [])
  const next = body(b, graph.input(`${name}_in`, 'float', dims))
  graph.output(next.goOn ?? cond, `${name}_cond_out`, 'bool', [])
  graph.output(next.value, `${name}_out`, 'float', dims)
  return o.g.op('Loop', [trips, begin, start], { body: graph })
}

/**
 * `step` applied to `start` `trips` x `stepsPerTrip` times, or until a trip's last step changes nothing: growths and
 * floods that stop early where a region is small cost that much less. `step` keeps zeros zero (a region grown from
 * nothing is nothing), so a start of zeros runs no trip.
 */
function untilStill(
  o: Ops,
  name: string,
  start: string,
  dims: (string | number)[],
  trips: number,
  stepsPerTrip: number,
  step: (b: Ops, v: string) => string,
): string {
  const trip = (b: Ops, first: string) => {
    let value = first
    let previous = value
    for (let k = 0; k < stepsPerTrip; k++) {
      previous = value
      value = step(b, value)
    }
    return { value, goOn: b.gt(b.rmax(b.abs(b.sub(value, previous)), undefined, 0), b.c(0)) }
  }
  return loop(o, name, o.i([trips], []), start, dims, trip, o.gt(o.rmax(o.abs(start), undefined, 0), o.c(0)))
}

/**
 * Minimum over axis 1 of [L,n,GG] as [L,1,GG], by halving: pad n to even with a large value, take the minimum of the
 * two halves, until one row is left (a Loop, so that a single click's row costs nothing). ReduceMin over a middle
 * axis is slow on WebGPU (one workgroup per output), and these elementwise rounds are fast on every backend.
 */
function minOverRows(o: Ops, x: string): string {
  const moreThanOne = (b: Ops, rows: string) => b.gt(b.reshape(b.slice(b.shape(rows), [1], [2], [0]), []), b.i([1], []))
  const rounds = (b: Ops, rows: string) => {
    const n = b.slice(b.shape(rows), [1], [2], [0]) // [1]
    const odd = b.g.op('Mod', [n, b.i([2])])
    const even = b.g.op('Pad', [rows, b.concat([b.i([0, 0, 0, 0]), odd, b.i([0])], 0), b.c(1000)], { mode: 'constant' })
    const half = b.g.op('Div', [b.add(n, odd), b.i([2])])
    const first = b.g.op('Slice', [even, b.i([0]), half, b.i([1])])
    const second = b.g.op('Slice', [even, half, b.g.op('Mul', [half, b.i([2])]), b.i([1])])
    const value = b.min(first, second)
    return { value, goOn: moreThanOne(b, value) }
  }
  // 64 rounds would halve 2^64 rows: the condition ends the Loop.
  return loop(o, 'halve', o.i([64], []), x, ['L', 'n', GRID * GRID], rounds, moreThanOne(o, x))
}

/** Tunable constants of the decoder (see DECODER_DEFAULTS); `buildDecoder` takes overrides for experiments. */
export interface LiteTuning {
  /**
   * Re-estimations of the colour models, and mean-field steps in each; firstIterations more for prompts without a
   * previous mask (a first click, a box), which start from less and need them, and which corrections, held by their
   * previous mask, do not run.
   */
  iterations: number
  firstIterations: number
  smoothingSteps: number
  /** Weight of the neighbours' agreement in the mean field (uniform: contrast-sensitive weights did worse on the photos). */
  smoothing: number
  /**
   * The same in the first prompt's extra re-estimations: once its colour models have settled, stronger smoothing (given
   * more steps to spread) takes away the islands of background that share the object's colours inside a box.
   */
  firstSmoothing: number
  firstSmoothingSteps: number
  /**
   * The share of each cell's colour evidence taken from its guided filter by the cells' colours (0: none): the
   * evidence of a region of one colour, bounded by the image's edges, instead of its cells' alone.
   */
  guidedShare: number
  /**
   * The region cut (see regionCut) in each decode's last usual re-estimation and a first prompt's extra ones: the
   * weight of its contrast-sensitive boundary cost between blocks of cells (0: no cut), its primal-dual steps, and the
   * share of the answer it gives (the rest is the mean field's).
   */
  regionWeight: number
  regionSteps: number
  regionShare: number
  /**
   * Gaussian mixtures as colour models: components (0: histograms alone), EM rounds, share of the evidence, covariance
   * floor (OKLab^2), and a prior covariance (OKLab^2) worth mixturePriorCells cells that a component of little weight
   * keeps near.
   */
  mixtureComponents: number
  mixtureRounds: number
  mixtureShare: number
  mixtureFloor: number
  mixturePriorCells: number
  mixturePriorVariance: number
  /** Cells around a click held to its label where their colour is within holdSimilar (OKLab) of the click's. */
  clickHold: number
  holdSimilar: number
  /** A click's object starts as the cells of about its colour (within `similar`, OKLab) within clickRadius cells. */
  clickRadius: number
  similar: number
  spreadSigma: number
  /**
   * The same closeness for the first object model, sharper: a background of about the click's colour must not count.
   * The object model is small beside the background's, so even a faint share of a colour wins it for the object once
   * no background cell shares its palette entries (a gradient near the click, which the 256 entries cut into pieces).
   */
  seedSigma: number
  /** Weight of the ring of BOX_RING cells around a box as background sample. */
  ringWeight: number
  /**
   * Weight of the rest of the image outside a box as background sample: a background colour the ring lacks must
   * still count against the object, but all of the outside at the ring's weight pulls to the background what the
   * object shares with a distant background (a penguin's white belly and the surf).
   */
  farWeight: number
  /**
   * Evidence per unit of a cell's depth in a box (0 at its edge, 1 at half its shorter side), less BOX_PRIOR_SHIFT:
   * where colour cannot tell, the middle of a box is object and its rim background.
   */
  boxPrior: number
  /** Evidence (logit) for the previous mask's answer, so that a correction does not re-decide the whole image. */
  previousWeight: number
  /**
   * Evidence for the cells a click's colour spreads to (seedSigma-close): a correcting object click (one with a
   * previous mask) adds its part of the object, and a background click takes away the wrong region it landed in.
   */
  objectSpread: number
  backgroundSpread: number
  /** Object probability thresholds of the tight, medium and loose candidates, then the stability reference. */
  thresholds: number[]
}

export const DECODER_DEFAULTS: LiteTuning = {
  iterations: 3,
  firstIterations: 3,
  smoothingSteps: 5,
  smoothing: 2,
  firstSmoothing: 16,
  firstSmoothingSteps: 3,
  guidedShare: 0.3,
  regionWeight: 4,
  regionSteps: 30,
  regionShare: 0.7,
  mixtureComponents: 8,
  mixtureRounds: 1,
  mixtureShare: 0.65,
  mixtureFloor: 1e-6,
  mixturePriorCells: 2,
  mixturePriorVariance: 1e-3,
  clickHold: 8,
  holdSimilar: 0.1,
  clickRadius: 32,
  similar: 0.26,
  spreadSigma: 0.2,
  seedSigma: 0.12,
  ringWeight: 1,
  farWeight: 0.1,
  boxPrior: 1,
  previousWeight: 1,
  objectSpread: 1,
  backgroundSpread: 2,
  thresholds: [0.75, 0.5, 0.3, 0.15],
}
const BOX_RING = 8
const BOX_PRIOR_SHIFT = 0.3
/** A colour step (OKLab) below which an edge cell is not unmixed (too little contrast to tell proportions). */
const EDGE_STEP = 0.04
/** Steps of a click's colour flood per Loop trip (clickRadius / 2 steps at most, rounded up to whole trips). */
const SPREAD_STEPS_PER_TRIP = 4
/** Slots per palette entry the colour models' counts are added into (see decoderCore). */
const CHUNKS = 64
/** The guided filter of the colour evidence: blocks of GUIDE_SCALE cells, a window of GUIDE_RADIUS blocks, epsilon (OKLab^2). */
const GUIDE_SCALE = 4
const GUIDE_RADIUS = 2
const GUIDE_EPS = 0.0001
/**
 * The region cut's blocks of cells, and its primal-dual step sizes by Pock and Chambolle's diagonal preconditioning
 * (2011, alpha = 1): tau = 1 / 8 (a block's 8 edges), sigma = 1 / 2 (an edge's 2 blocks), which converge.
 */
const REGION_SCALE = 4
const REGION_TAU = 1 / 8
const REGION_SIGMA = 1 / 2
/** The 8-neighbour graph's edges, each direction once (dy, dx), and the distance factor of their weights. */
const EDGE_DIRECTIONS = [
  [0, 1, 1],
  [1, 0, 1],
  [1, 1, Math.SQRT1_2],
  [1, -1, Math.SQRT1_2],
]

/**
 * Means over blocks of `scale` x `scale` cells, weighted by the cells' real fraction `validF` [1,1,G,G]: `weight` is
 * each block's real share [1,1,g,g], `of(b, v)` the mean of `v` over a block's real cells (0 on padding's blocks).
 */
function blockMeans(o: Ops, validF: string, scale: number) {
  const weight = o.blockMean(validF, scale)
  const floor = o.max(weight, o.c(1e-6))
  return { weight, of: (b: Ops, v: string) => b.div(b.blockMean(b.mul(v, validF), scale), floor) }
}

/** The upper triangle of a symmetric 3 x 3 matrix, in the order symmetricCofactors takes it. */
const UPPER_TRIANGLE = [
  [0, 0],
  [0, 1],
  [0, 2],
  [1, 1],
  [1, 2],
  [2, 2],
]

/**
 * The cofactors of symmetric 3 x 3 matrices given element-wise by their upper triangle [s00, s01, s02, s11, s12, s22]
 * (in that order, as are the cofactors returned) and their determinants: the inverse is the cofactors over the
 * determinant.
 */
function symmetricCofactors(o: Ops, [s00, s01, s02, s11, s12, s22]: string[]) {
  const cofactor = (a: string, b: string, c: string, d: string) => o.sub(o.mul(a, b), o.mul(c, d))
  const cofactors = [
    cofactor(s11, s22, s12, s12),
    cofactor(s02, s12, s01, s22),
    cofactor(s01, s12, s02, s11),
    cofactor(s00, s22, s02, s02),
    cofactor(s01, s02, s00, s12),
    cofactor(s00, s11, s01, s01),
  ]
  const determinant = sumOf(o, [o.mul(s00, cofactors[0]), o.mul(s01, cofactors[1]), o.mul(s02, cofactors[2])])
  return { cofactors, determinant }
}

/**
 * A colour-guided filter (He, Sun and Tang, "Guided Image Filtering", 2013) of values [L,1,G,G] by the cells' OKLab
 * colour `lab` [1,3,G,G]: in each window the values are fitted as a linear function of the colour, so the result is
 * smooth within regions of one colour and keeps their edges. Fitted on blocks of GUIDE_SCALE cells and applied at the
 * cells (after He and Sun 2015's fast guided filter), so that most of its operations are on 64 x 64 blocks. The
 * colour's window statistics are computed once a decode; the function returned, `(b, values, share)`, gives `share`
 * times the filtered values.
 */
function guidedFilter(o: Ops, lab: string, validF: string) {
  const windowSide = 2 * GUIDE_RADIUS + 1
  const { weight: blockWeight, of: blockMeanOf } = blockMeans(o, validF, GUIDE_SCALE)
  // Window means weighted by the blocks' real shares; the pools count padding, and the window's size cancels.
  const pool = (b: Ops, v: string) =>
    b.g.op('AveragePool', [v], { kernel_shape: [windowSide, windowSide], pads: Array(4).fill(GUIDE_RADIUS), strides: [1, 1], count_include_pad: 1 })
  const windowWeight = o.max(pool(o, blockWeight), o.c(1e-9))
  const windowMean = (b: Ops, v: string) => b.div(pool(b, b.mul(v, blockWeight)), windowWeight)
  const channel = (b: Ops, v: string, c: number) => b.slice(v, [c], [c + 1], [1])
  const colour = blockMeanOf(o, lab) // [1,3,g,g]
  const colours = [0, 1, 2].map((c) => channel(o, colour, c))
  const meanColour = windowMean(o, colour)
  const meanColours = [0, 1, 2].map((c) => channel(o, meanColour, c))
  // The colour's covariance in each window (plus GUIDE_EPS on the diagonal) and its inverse by cofactors.
  const pairs = UPPER_TRIANGLE
  const products = windowMean(
    o,
    o.concat(
      pairs.map(([c, d]) => o.mul(colours[c], colours[d])),
      1,
    ),
  )
  const [s00, s01, s02, s11, s12, s22] = pairs.map(([c, d], j) => {
    const covariance = o.sub(channel(o, products, j), o.mul(meanColours[c], meanColours[d]))
    return c === d ? o.add(covariance, o.c(GUIDE_EPS)) : covariance
  })
  const { cofactors, determinant } = symmetricCofactors(o, [s00, s01, s02, s11, s12, s22])
  const [c00, c01, c02, c11, c12, c22] = cofactors
  // The inverse's columns [1,3,g,g] (it is symmetric: its rows).
  const inverseColumns = [
    [c00, c01, c02],
    [c01, c11, c12],
    [c02, c12, c22],
  ].map((column) => o.div(o.concat(column, 1), determinant))
  // The cells' colour and their real fraction's flag, 1 on every cell that counts (the answer is 0 on the others):
  // the result A . colour + B is then one Mul and one 1x1 Conv on the cells.
  const colourAndOne = o.concat([lab, validF], 1) // [1,4,G,G]
  // kernel_shape given: onnxruntime-web 1.30's WebGPU Conv rejects a 1x1 Conv that leaves it implicit.
  const sumOfChannels = (b: Ops, v: string, channels: number, weight: number) =>
    b.g.op('Conv', [v, b.c(new Array(channels).fill(weight), [1, channels, 1, 1])], { kernel_shape: [1, 1] })
  return (b: Ops, values: string, share: number) => {
    const blockValues = blockMeanOf(b, values) // [L,1,g,g]
    const means = windowMean(b, b.concat([blockValues, b.mul(colour, blockValues)], 1)) // [L,4,g,g]
    const meanValue = channel(b, means, 0)
    const covariances = b.sub(b.slice(means, [1], [4], [1]), b.mul(meanColour, meanValue)) // [L,3,g,g]
    const slopes = sumOf(
      b,
      inverseColumns.map((column, d) => b.mul(column, channel(b, covariances, d))),
    ) // [L,3,g,g]
    const offset = b.sub(meanValue, sumOfChannels(b, b.mul(slopes, meanColour), 3, 1))
    const model = windowMean(b, b.concat([slopes, offset], 1))
    // Each block's fit at its cells as it is (nearest): the photos' box IoU as with bilinear (0.8366 / 0.8365), for less.
    const atCells = b.g.op('Resize', [model, '', b.c([1, 1, GUIDE_SCALE, GUIDE_SCALE], [4])], { mode: 'nearest' })
    return sumOfChannels(b, b.mul(atCells, colourAndOne), 4, share)
  }
}

/** A 3 x 3 kernel per edge direction [4*9]: `at(dy, dx, row, column)` gives each tap's value (row, column in -1..1). */
const edgeKernels = (at: (dy: number, dx: number, row: number, column: number) => number) =>
  EDGE_DIRECTIONS.flatMap(([dy, dx]) => Array.from({ length: 9 }, (_, k) => at(dy, dx, Math.floor(k / 3) - 1, (k % 3) - 1)))
const tap = (row: number, column: number, y: number, x: number) => (row === y && column === x ? 1 : 0)

/**
 * GrabCut's graph cut (Boykov and Jolly 2001; Rother et al. 2004), on blocks of REGION_SCALE x REGION_SCALE cells and
 * relaxed to be solvable by convolutions: minimise sum_edges w_e |u_i - u_j| + sum_i u_i cost_i over u in [0,1],
 * a weighted total variation whose thresholded minimisers are minimum cuts (Chan, Esedoglu and Nikolova 2006), by
 * Chambolle and Pock's primal-dual steps (2011). Given steps enough it finds the minimum cut (the tests check it); a
 * re-estimation gives it regionSteps, warm-started from the answer so far, which is far from converged but enough.
 * The edges' weights are GrabCut's contrast-sensitive exp(-beta |dz|^2), beta = 1 / (2 mean |dz|^2), over the blocks'
 * OKLab colours. A boundary costs its length, so a region bounded by strong edges is kept or dropped whole, which
 * mean-field steps, whose reach is a few cells, cannot do (the leaves around photo 208001's mushroom). The
 * function returned, `(b, evidence, start)`, gives the relaxed answer at the cells (bilinear) from the cells'
 * evidence (log odds of object) and the answer it starts from.
 */
export function regionCut(o: Ops, lab: string, cellValid: string, t: LiteTuning) {
  const size = GRID / REGION_SCALE
  const { weight: blockWeight, of: toBlocks } = blockMeans(o, cellValid, REGION_SCALE)
  const valid = o.toFloat(o.gt(blockWeight, o.c(0)))
  const conv = (b: Ops, v: string, kernel: string) => b.g.op('Conv', [v, kernel], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })
  // The differences across each direction's edges, d_e(i) = u_i - u_(i+e), and their adjoint, sum_e p_e(i) - p_e(i-e).
  const difference = edgeKernels((dy, dx, r, c) => tap(r, c, 0, 0) - tap(r, c, dy, dx))
  const adjoint = edgeKernels((dy, dx, r, c) => tap(r, c, 0, 0) - tap(r, c, -dy, -dx))
  const neighbour = edgeKernels((dy, dx, r, c) => tap(r, c, dy, dx))
  // Colour steps across the edges, channel by channel as a batch [3,4,g,g]; an edge counts where both blocks do.
  const steps = conv(o, o.reshape(toBlocks(o, lab), [3, 1, size, size]), o.c(difference, [4, 1, 3, 3]))
  const step2 = total(o, o.mul(steps, steps), [0], 3) // [1,4,g,g]
  const edge = o.mul(conv(o, valid, o.c(neighbour, [4, 1, 3, 3])), valid)
  const edges = 4 * size * size
  const meanStep2 = o.div(total(o, o.mul(step2, edge), [0, 1, 2, 3], edges), o.max(total(o, edge, [0, 1, 2, 3], edges), o.c(1)))
  const beta = o.div(o.c(-0.5), o.max(meanStep2, o.c(1e-9)))
  const distance = o.c(
    EDGE_DIRECTIONS.map(([, , f]) => f * t.regionWeight),
    [1, 4, 1, 1],
  )
  const weight = o.mul(o.mul(o.g.op('Exp', [o.mul(beta, step2)]), edge), distance) // [1,4,g,g]
  const [zero, one, two] = [o.c(0), o.c(1), o.c(2)]
  const negativeWeight = o.sub(zero, weight)
  const paddingCost = o.mul(o.sub(one, valid), o.c(1000)) // keeps the padding's blocks at 0
  const minusTauOnReal = o.mul(valid, o.c(-REGION_TAU))
  const upscale = o.c([1, 1, REGION_SCALE, REGION_SCALE], [4])
  // The steps' constants once, outside the Loop bodies that use them (constants a step added 25 KB to the decoder).
  const sigmaDifference = o.c(
    difference.map((v) => v * REGION_SIGMA),
    [4, 1, 3, 3],
  )
  const tauAdjoint = o.c(
    adjoint.map((v) => v * REGION_TAU),
    [1, 4, 3, 3],
  )
  return (b: Ops, evidence: string, start: string) => {
    const tauCost = b.add(b.mul(toBlocks(b, evidence), minusTauOnReal), paddingCost) // tau (cost(object) - cost(background))
    let u = toBlocks(b, start) // [L,1,g,g]
    let extrapolated = u
    let dual: string | undefined // [L,4,g,g], each edge's in [-w, w]
    for (let k = 0; k < t.regionSteps; k++) {
      const d = conv(b, extrapolated, sigmaDifference)
      dual = b.min(b.max(dual ? b.add(dual, d) : d, negativeWeight), weight)
      const next = b.g.op('Clip', [b.sub(b.sub(u, conv(b, dual, tauAdjoint)), tauCost), zero, one])
      extrapolated = b.sub(b.mul(next, two), u)
      u = next
    }
    return b.mul(b.g.op('Resize', [u, '', upscale], { mode: 'linear' }), cellValid)
  }
}

/** The second moments among the mixtures' features, in order, and the feature column of the moment of c and d. */
const SECOND_MOMENTS = [
  [0, 0],
  [1, 1],
  [2, 2],
  [0, 1],
  [0, 2],
  [1, 2],
]
const secondMoment = (c: number, d: number) => 4 + SECOND_MOMENTS.findIndex(([e, f]) => e === c && f === d)

/**
 * GrabCut's colour models (Rother et al. 2004): Gaussian mixtures of `t.mixtureComponents` full-covariance components
 * in OKLab, fitted to the palette's entries (their mean colours `paletteColour` [P,3]) weighted by a model's counts,
 * by `t.mixtureRounds` rounds of EM (one, from the start's hard assignment, as GrabCut fits its components to the
 * pixels it assigned them: two rounds did worse on the photos, box IoU 0.857 against 0.869). A histogram over the
 * entries gives each entry its own count, so a background colour that happens to lie mostly inside a box counts as
 * object; a few components must cover the object's main colours and so leave out the ones the background's model
 * explains better. Started from a deterministic k-means++ choice (the weighted
 * mean, then again and again the entry of most weight times squared distance to the chosen ones). The function
 * returned, `(b, counts)`, gives each model's log density at each entry [M,P] from counts [M,P].
 */
export function colourMixtures(o: Ops, paletteColour: string, t: LiteTuning) {
  const K = t.mixtureComponents
  // Colours about the palette's mean: a tight component's covariance is a small difference of moments, which float32
  // keeps better about a nearby origin (densities do not change with it).
  const entryColour = o.sub(paletteColour, o.matmul(o.c(new Array(PALETTE).fill(1 / PALETTE), [1, PALETTE]), paletteColour))
  const sumOfThree = (b: Ops, v: string) => b.matmul(v, b.c([1, 1, 1], [3, 1])) // [N,3] -> [N,1]
  const squared = o.reshape(sumOfThree(o, o.mul(entryColour, entryColour)), [1, PALETTE]) // [1,P]
  const colourT = o.transpose(entryColour, [1, 0]) // [3,P]
  const channel = (v: string, c: number) => o.slice(v, [c], [c + 1], [-1])
  // The moments' features [P,10]: 1, x, y, z, then the products of SECOND_MOMENTS (xx, yy, zz, xy, xz, yz).
  const xs = [0, 1, 2].map((c) => channel(entryColour, c))
  const features = concatInPairs(o, [o.add(o.mul(xs[0], o.c(0)), o.c(1)), entryColour, ...SECOND_MOMENTS.map(([c, d]) => o.mul(xs[c], xs[d]))], 1)
  const featuresT = o.transpose(features, [1, 0]) // [10,P]
  return (b: Ops, counts: string) => {
    const weight = b.reshape(counts, [-1, PALETTE]) // [M,P]
    // Floors added, not taken by Max: in the sam contract's decoder (M known, 2) onnxruntime-web 1.30's WebGPU gave
    // wrong values downstream of Max(count [M,1,K], 1e-9) (a standalone graph of this function, against WASM), and
    // right ones with Add.
    const mass = b.add(total(b, weight, [1], PALETTE), b.c(1e-6)) // [M,1]
    // k-means++ start: anchors [M,3] one by one, then each entry to its nearest anchor.
    let anchor = b.div(b.matmul(weight, entryColour), mass)
    const anchors = [anchor]
    const distanceTo = (a: string) => b.add(b.sub(squared, b.mul(b.matmul(a, colourT), b.c(2))), sumOfThree(b, b.mul(a, a))) // [M,P]
    let nearest = distanceTo(anchor)
    for (let k = 1; k < K; k++) {
      const at = b.reshape(b.toInt64(b.firstIndexOf(b.mul(nearest, weight), 'max', 1, PALETTE)), [-1])
      anchor = b.gather(entryColour, at, 0) // [M,3]
      anchors.push(anchor)
      if (k < K - 1) nearest = b.min(nearest, distanceTo(anchor))
    }
    const distances = concatInPairs(
      b,
      anchors.map((a) => b.unsqueeze(distanceTo(a), [2])),
      2,
    ) // [M,P,K]
    let responsibility = b.toFloat(b.eq(b.positions(K), b.firstIndexOf(distances, 'min', 2, K))) // [M,P,K]
    let logDensity = ''
    // Components along the last axis throughout ([M,10,K] moments and coefficients): no Transposes.
    for (let round = 0; round < t.mixtureRounds; round++) {
      // M step: each component's weight, mean and covariance from its moments.
      const moments = b.matmul(featuresT, b.mul(responsibility, b.unsqueeze(weight, [2]))) // [M,10,K]
      const count = b.slice(moments, [0], [1], [1])
      const m = b.div(moments, b.add(count, b.c(1e-6)))
      const at = (j: number) => b.slice(m, [j], [j + 1], [1]) // [M,1,K]
      const mean = [1, 2, 3].map(at)
      // A component of few cells' weight keeps near a broad prior covariance (a conjugate prior of mixturePriorCells
      // cells): else one fitted to a few far, faint entries is a spike that outweighs the model's real colours there.
      const dataShare = b.div(count, b.add(count, b.c(t.mixturePriorCells)))
      const priorVariance = b.mul(b.sub(b.c(1), dataShare), b.c(t.mixturePriorVariance))
      const covariance = UPPER_TRIANGLE.map(([c, d]) => {
        const v = b.mul(b.sub(at(secondMoment(c, d)), b.mul(mean[c], mean[d])), dataShare)
        return c === d ? b.add(b.add(v, priorVariance), b.c(t.mixtureFloor)) : v
      })
      const { cofactors, determinant } = symmetricCofactors(b, covariance)
      const [a00, a01, a02, a11, a12, a22] = cofactors.map((v) => b.div(v, determinant)) // the inverse
      const times = [
        [a00, a01, a02],
        [a01, a11, a12],
        [a02, a12, a22],
      ].map((row) =>
        sumOf(
          b,
          row.map((a, d) => b.mul(a, mean[d])),
        ),
      ) // A mean
      const quadratic = sumOf(
        b,
        times.map((v, d) => b.mul(v, mean[d])),
      )
      const logPrior = b.g.op('Log', [b.add(count, b.c(1e-9))]) // less the model's log mass, at the end
      const constant = b.sub(logPrior, b.mul(b.add(quadratic, b.g.op('Log', [b.add(b.abs(determinant), b.c(1e-30))])), b.c(0.5)))
      const coefficients = concatInPairs(
        b,
        [constant, ...times, ...[a00, a11, a22].map((a) => b.mul(a, b.c(-0.5))), ...[a01, a02, a12].map((a) => b.mul(a, b.c(-1)))],
        1,
      ) // [M,10,K]
      // E step: each entry's log joint under each component [M,P,K], the mixture's log density, the responsibilities.
      const joint = b.matmul(features, coefficients)
      const top = b.rmax(joint, [2])
      const share = b.g.op('Exp', [b.sub(joint, top)])
      const sum = total(b, share, [2], K)
      responsibility = b.div(share, sum)
      logDensity = b.sub(b.squeeze(b.add(top, b.g.op('Log', [sum])), [2]), b.g.op('Log', [mass]))
    }
    return logDensity
  }
}

/** The colour-model decoder shared by every contract. */
function decoderCore(o: Ops, inp: CoreInputs, t: LiteTuning): CoreOutputs {
  const g = o.g
  const K = t.thresholds.length
  const F = inp.features
  const valid = o.slice(F, [D_VALID], [D_VALID + 1], [1]) // [1,1,G,G]
  const isValid = o.gt(valid, o.c(0))
  const validF = o.toFloat(isValid)
  const lab = o.slice(F, [0], [3], [1]) // [1,3,G,G]
  const rows = o.reshape(lab, [3, GRID * GRID])
  // Each cell's two nearest palette entries and the nearer one's share, as rows [1,GG]: onnxruntime's WASM multiplies
  // [GG,1] by a rank-0 scalar 150 times slower (1.5 ms) than [1,GG] or than [GG,1] by a [1,1].
  const channel = (k: number) => o.reshape(o.slice(F, [D_NEAREST + k], [D_NEAREST + k + 1], [1]), [1, GRID * GRID])
  const entries = [0, 1].map((k) => channel(k))
  const firstShare = channel(2)
  const shares = [firstShare, o.sub(o.c(1), firstShare)]

  // Mean-field smoothing in spins s = 2p - 1 (0 on padding and outside the image, which add nothing): a cell's field
  // is its 8 neighbours' spins, uniformly weighted as strongly in all as the distance-weighted kernel (4 + 4 / sqrt 2),
  // and a damped step s <- (s + tanh(z / 2)) / 2 is p <- (p + sigmoid(z)) / 2; Tanh costs WASM less than Sigmoid.
  const halfField = (smoothing: number) =>
    o.c(
      Array.from({ length: 9 }, (_, k) => (k === 4 ? 0 : (smoothing * (1 + Math.SQRT1_2)) / 4)),
      [1, 1, 3, 3],
    )
  const halfValid = o.mul(validF, o.c(0.5))

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
  const col = (v: string) => o.reshape(v, [-1, 1, 1, 1])
  const half = o.c(0.5)
  // SAM adds half a pixel to every coordinate; the cell is the 4x4 block that pixel centre falls in.
  const cellOf = (v: string) => o.clip(o.floor(o.div(o.add(v, half), o.c(CELL))), 0, GRID - 1)
  const cellX = cellOf(x)
  const cellY = cellOf(y)
  const seedCell = o.toInt64(o.add(o.mul(cellY, o.c(GRID)), cellX)) // [L,N]
  // The cells within `radius` cells of the points that `w` [L,N] picks, at most 1: rows [L,G,N] times columns
  // [L,N,G], one MatMul. The squares around a few clicks this way, not by max filters of their cells: a pass of a
  // 17-cell MaxPool costs onnxruntime's WASM 0.6 ms.
  const gridIndex = Array.from({ length: GRID }, (_, k) => k)
  const rowOffsets = o.abs(o.sub(o.unsqueeze(cellY, [1]), o.c(gridIndex, [1, GRID, 1]))) // [L,G,N]
  const columnOffsets = o.abs(o.sub(o.unsqueeze(cellX, [2]), o.c(gridIndex, [1, 1, GRID]))) // [L,N,G]
  const within = (offsets: string, radius: number) => o.toFloat(o.le(offsets, o.c(radius)))
  const square = (w: string, radius: number) =>
    o.reshape(o.min(o.matmul(o.mul(within(rowOffsets, radius), o.unsqueeze(w, [1])), within(columnOffsets, radius)), o.c(1)), [-1, 1, GRID, GRID]) // [L,1,G,G]

  // Each object click's colour (3x3 cells around it), and how far every cell's colour is from the nearest one.
  const smoothLab = o.div(o.boxSum(o.mul(lab, valid), 3), o.max(o.boxSum(valid, 3), o.c(1e-6)))
  const clickLab = o.transpose(o.gather(o.reshape(smoothLab, [3, GRID * GRID]), seedCell, 1), [1, 2, 0]) // [L,N,3]
  const differences = [0, 1, 2].map((c) => o.sub(o.reshape(o.slice(rows, [c], [c + 1], [0]), [1, 1, GRID * GRID]), o.slice(clickLab, [c], [c + 1], [2])))
  const dist = o.sqrt(
    sumOf(
      o,
      differences.map((d) => o.mul(d, d)),
    ),
  ) // [L,N,GG]
  // Both at once (object clicks, then background clicks): one minimum, half the kernels.
  const others = (w: string) => o.add(dist, o.mul(o.unsqueeze(o.sub(o.c(1), w), [2]), o.c(1000))) // [L,N,GG]
  const nearest = o.reshape(minOverRows(o, o.concat([others(pos), others(neg)], 0)), [2, -1, 1, GRID, GRID])
  const dPos = o.squeeze(o.slice(nearest, [0], [1], [0]), [0]) // [L,1,G,G]
  const dNeg = o.squeeze(o.slice(nearest, [1], [2], [0]), [0])
  // Held to a click's label: its own cell's neighbours, and the cells within clickHold of about its colour (so a hold
  // does not spill over a small object's edge), except another click's own neighbours: a click next to a background
  // click of about its colour was held to neither and got lost.
  const ownPos = square(pos, 1)
  const ownNeg = square(neg, 1)
  const hold = (own: string, w: string, d: string, otherOwn: string) =>
    o.max(own, o.mul(o.mul(square(w, t.clickHold), o.toFloat(o.lt(d, o.c(t.holdSimilar)))), o.sub(o.c(1), otherOwn)))
  const hardPos = hold(ownPos, pos, dPos, ownNeg)
  const hardNeg = hold(ownNeg, neg, dNeg, ownPos)

  // --- where the object may be, and where it starts --------------------------------------------------
  const centres = o.add(o.mul(o.toFloat(g.op('Range', [o.c(0), o.c(GRID), o.c(1)])), o.c(CELL)), o.c(CELL / 2))
  const cx = o.reshape(centres, [1, 1, 1, GRID])
  const cy = o.reshape(centres, [1, 1, GRID, 1])
  const boxFlag = o.toFloat(o.gt(col(hasBox), o.c(0))) // [L,1,1,1], 1 with a box
  const boxDistance = o.min(o.sub(cx, col(x0)), o.sub(col(x1), cx), o.sub(cy, col(y0)), o.sub(col(y1), cy))
  const insideBoxDistance = o.choose(boxFlag, boxDistance, o.c(1000)) // [L,1,G,G] model px
  const inBox = o.mul(o.toFloat(g.op('GreaterOrEqual', [insideBoxDistance, o.c(0)])), validF) // [L,1,G,G]
  const outsideBox = o.mul(o.sub(o.c(1), inBox), validF)
  const ring = o.mul(outsideBox, o.toFloat(g.op('GreaterOrEqual', [insideBoxDistance, o.c(-BOX_RING * CELL)])))
  const prevInside = o.mul(o.toFloat(o.gt(inp.prevMask, o.c(0))), col(hasMask)) // [L,1,G,G]
  // A click's region: the cells of about its colour connected to it within clickRadius cells (a flood fill of 2 cells
  // a step), over cells nearer in colour to it than to a click of the other label. Object and background clicks
  // apart, so that a prompt without clicks of a label costs nothing for it.
  const nearerThan = (d: string, other: string) => o.toFloat(o.and(o.lt(d, o.c(t.similar)), o.lt(d, other)))
  const spreadTrips = Math.ceil(t.clickRadius / 2 / SPREAD_STEPS_PER_TRIP)
  const flood = (name: string, held: string, similar: string) =>
    untilStill(o, name, held, ['L', 1, GRID, GRID], spreadTrips, SPREAD_STEPS_PER_TRIP, (b, v) => b.max(b.mul(max5(b, v), similar), held))
  const spreadPos = flood('spread_object', hardPos, nearerThan(dPos, dNeg))
  const spreadNeg = flood('spread_background', hardNeg, nearerThan(dNeg, dPos))
  const near = (d: string, sigma: number) => g.op('Exp', [o.sub(o.c(0), o.mul(o.div(d, o.c(sigma)), o.div(d, o.c(sigma))))])
  // The object starts as its clicks' regions weighted by colour (a cell of the click's own colour fully, one
  // spreadSigma away about a third): a background of about the object's colour around a click must not outweigh the
  // object in its colour model.
  const closeness = near(dPos, t.spreadSigma)
  const init0 = o.choose(boxFlag, inBox, o.max(o.mul(spreadPos, closeness), hardPos))
  const init = o.mul(o.mul(o.max(init0, o.mul(prevInside, inBox)), validF), o.sub(o.c(1), hardNeg))
  // Evidence every re-estimation adds: clicks hold their neighbourhood; the regions of correcting clicks and the
  // previous answer lean the answer their way (colour can still overrule them); outside the box is out.
  const seedCloseness = near(dPos, t.seedSigma)
  const spreadEvidence = o.sub(
    o.mul(o.mul(spreadPos, seedCloseness), o.mul(col(hasMask), o.c(t.objectSpread))),
    o.mul(o.mul(spreadNeg, near(dNeg, t.seedSigma)), o.c(t.backgroundSpread)),
  )
  const previousEvidence = o.mul(o.sub(o.mul(prevInside, o.c(2)), col(hasMask)), o.c(t.previousWeight)) // +w inside, -w outside
  const boxHalf = o.mul(o.min(o.sub(col(x1), col(x0)), o.sub(col(y1), col(y0))), o.c(0.5))
  const depth = o.clip(o.div(insideBoxDistance, o.max(boxHalf, o.c(1))), 0, 1)
  const centrePrior = o.mul(o.mul(o.sub(depth, o.c(BOX_PRIOR_SHIFT)), o.c(t.boxPrior)), boxFlag)
  const boxEvidence = o.add(o.mul(o.sub(o.c(1), inBox), o.c(-30)), centrePrior)
  const evidence = sumOf(o, [o.mul(o.sub(hardPos, hardNeg), o.c(20)), spreadEvidence, previousEvidence, boxEvidence])

  // --- GrabCut-style re-estimation: palette histograms of object and background, mean-field smoothing ---
  // Each cell's entries, once per row of the colour models' counts [2L,P] (object models, then background models):
  // a lookup is then a GatherElements, on WASM several times faster than a Gather along the last axis.
  const promptCount = o.slice(o.shape(hasMask), [0], [1], [0]) // [1]
  const rowEntries = entries.map((e) => g.op('Expand', [o.toInt64(e), o.concat([o.mul(promptCount, o.i([2])), o.i([GRID * GRID])], 0)])) // [2L,GG]
  // The counts are the cells' weights times their shares added into their entries' slots: a ScatterND per entry of
  // each cell, of the cell's object and background weights together [L,GG,2] (GG adds of two values a prompt), not a
  // MatMul by one-hot memberships [GG,P] (GG x P multiplies a row, and 4 M values built per decode). CHUNKS slots an
  // entry, a cell's by its index mod CHUNKS, summed after: WebGPU adds floats with a compare-and-swap loop per update,
  // and a photo's cells crowd into a few entries.
  const promptStart = o.mul(o.reshape(o.toFloat(g.op('Range', [o.i([0], []), o.reshape(promptCount, []), o.i([1], [])])), [-1, 1, 1]), o.c(PALETTE * CHUNKS))
  const chunkIndices = Array.from({ length: CHUNKS }, (_, k) => k)
  const chunk = o.reshape(g.op('Expand', [o.c(chunkIndices, [1, CHUNKS]), o.i([(GRID * GRID) / CHUNKS, CHUNKS])]), [1, GRID * GRID])
  const column = (v: string) => o.reshape(v, [-1, GRID * GRID, 1])
  const slots = entries.map((e) => o.toInt64(o.add(promptStart, column(o.add(o.mul(e, o.c(CHUNKS)), chunk))))) // [L,GG,1]
  const noCounts = g.op('Expand', [o.c([0]), o.concat([o.mul(promptCount, o.i([PALETTE * CHUNKS])), o.i([2])], 0)]) // [L*P*CHUNKS,2]
  const sharePairs = shares.map((s) => o.concat([column(s), column(s)], 2)) // [1,GG,2]: a cell's share, for its object and background weights
  // Background samples: what the answer leaves out inside the box (or anywhere), and around a box its ring and, less,
  // the rest of the image.
  const bgExtra = o.mul(o.add(o.mul(outsideBox, o.c(t.farWeight)), o.mul(ring, o.c(t.ringWeight - t.farWeight))), col(hasBox))
  const bgArea = o.choose(boxFlag, inBox, validF)
  const withMask = o.toFloat(o.gt(col(hasMask), o.c(0))) // [L,1,1,1]
  const guided = t.guidedShare > 0 ? guidedFilter(o, lab, validF) : undefined
  const paletteColours = o.reshape(o.slice(o.reshape(o.slice(F, [D_PALETTE], [D_PALETTE + 1], [1]), [-1]), [0], [PALETTE * 3], [0]), [PALETTE, 3])
  const mixtures = t.mixtureComponents > 0 ? colourMixtures(o, paletteColours, t) : undefined
  const cut = t.regionWeight > 0 ? regionCut(o, lab, validF, t) : undefined
  // The region cut runs in every decode's last usual re-estimation and in a first prompt's extra ones, the colour
  // mixtures in a first prompt's extra ones alone (in every re-estimation as well: box IoU 0.859 against 0.869).
  const usual = { field: halfField(t.smoothing), steps: t.smoothingSteps, cut: false, mixture: false }
  const smoothings = {
    usual,
    last: { ...usual, cut: true },
    first: { field: halfField(t.firstSmoothing), steps: t.firstSmoothingSteps, cut: true, mixture: true },
  }
  // One re-estimation on `b` (the graph's Ops, or a Loop body's): both colour models at once, entry counts [2L,P] of
  // the object's weights `object` then the background's (what `answer` leaves out), each cell's likelihood under them
  // a lookup of its entries [2,L,1,G,G], then mean-field smoothing.
  const reestimate = (b: Ops, object: string, answer: string, smoothing: { field: string; steps: number; cut: boolean; mixture: boolean }) => {
    const background = b.add(b.mul(bgArea, b.sub(b.c(1), answer)), bgExtra)
    const weights = b.concat([b.reshape(object, [-1, GRID * GRID, 1]), b.reshape(background, [-1, GRID * GRID, 1])], 2) // [L,GG,2]
    const slotted = slots.reduce((data, slot, k) => b.g.op('ScatterND', [data, slot, b.mul(weights, sharePairs[k])], { reduction: 'add' }), noCounts)
    const byEntry = total(b, b.reshape(slotted, [-1, PALETTE, CHUNKS, 2]), [2], CHUNKS, 0) // [L,P,2]
    const entryCounts = b.reshape(b.transpose(byEntry, [2, 0, 1]), [-1, PALETTE]) // [2L,P]
    const counts = b.add(entryCounts, b.c(1e-3))
    // Each cell's value under the object's models and the background's [L,1,G,G]: its entries' values [2L,P], by share.
    const atCells = (values: string) => {
      const lookup = (k: number) => b.mul(b.g.op('GatherElements', [values, rowEntries[k]], { axis: 1 }), shares[k])
      const both = b.reshape(b.add(lookup(0), lookup(1)), [2, -1, 1, GRID, GRID])
      return [0, 1].map((k) => b.squeeze(b.slice(both, [k], [k + 1], [0]), [0]))
    }
    const [objectShare, backgroundShare] = atCells(b.div(counts, total(b, counts, [1], PALETTE))).map((v) => b.add(v, b.c(1e-6)))
    const histogram = b.clip(b.g.op('Log', [b.div(objectShare, backgroundShare)]), -8, 8)
    let colour = histogram
    if (mixtures && smoothing.mixture) {
      // The mixtures' log densities, by share (a geometric mean of a cell's two entries'), and their log ratio.
      const [objectDensity, backgroundDensity] = atCells(mixtures(b, entryCounts))
      const mixture = b.clip(b.sub(objectDensity, backgroundDensity), -8, 8)
      colour = b.add(b.mul(histogram, b.c(1 - t.mixtureShare)), b.mul(mixture, b.c(t.mixtureShare)))
    }
    const regional = guided ? b.add(b.mul(colour, b.c(1 - t.guidedShare)), guided(b, colour, t.guidedShare)) : colour
    const logOdds = b.add(regional, evidence)
    const halfUnary = b.mul(logOdds, b.c(0.5))
    let spin = b.mul(b.g.op('Tanh', [halfUnary]), validF)
    for (let step = 0; step < smoothing.steps; step++) {
      const z = b.add(halfUnary, b.g.op('Conv', [spin, smoothing.field], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }))
      spin = b.mul(b.add(spin, b.g.op('Tanh', [z])), halfValid)
    }
    const meanField = b.mul(b.add(spin, validF), b.c(0.5)) // p
    if (!(cut && smoothing.cut)) return meanField
    // Half the region cut's answer, half the mean field's: the cut decides regions, the mean field keeps the cells' detail.
    return b.add(b.mul(cut(b, logOdds, answer), b.c(t.regionShare)), b.mul(meanField, b.c(1 - t.regionShare)))
  }
  // The first object model comes from what is surely object: a click's held neighbourhood and the cells of nearly its
  // colour (seedSigma; its spread alone can reach a background of about its colour, which would then count as
  // object), a box's inside, a previous mask.
  const seed = o.choose(boxFlag, init, o.mul(o.max(o.mul(spreadPos, seedCloseness), hardPos, prevInside), o.mul(validF, o.sub(o.c(1), hardNeg))))
  let q = init
  for (let iteration = 0; iteration < t.iterations; iteration++)
    q = reestimate(o, iteration === 0 ? seed : q, q, iteration === t.iterations - 1 ? smoothings.last : smoothings.usual)
  // A first prompt's extra re-estimations, in a Loop of no trips when every prompt has a previous mask: corrections
  // pay nothing for them, and in a mixed batch those with a mask keep their answer.
  if (t.firstIterations > 0) {
    const trips = o.toInt64(o.mul(o.rmax(o.sub(o.c(1), withMask), undefined, 0), o.c(t.firstIterations)))
    q = loop(o, 'first', trips, q, ['L', 1, GRID, GRID], (b, answer) => ({
      value: b.choose(withMask, answer, reestimate(b, answer, answer, smoothings.first)),
    }))
  }

  // --- candidates: thresholds of the probability, connected to the object clicks ------------------------
  const thresholds = o.c(t.thresholds, [1, K, 1, 1])
  const allowed = o.toFloat(o.gt(q, thresholds)) // [L,K,G,G]
  const start = o.mul(ownPos, allowed)
  const blockAllowed = o.sub(o.c(0), o.blockMax(o.sub(o.c(0), allowed), COARSE)) // min over each block
  const coarseStart = o.mul(o.blockMax(start, COARSE), blockAllowed)
  const coarse = untilStill(o, 'coarse', coarseStart, ['L', K, GRID / COARSE, GRID / COARSE], COARSE_TRIPS, COARSE_STEPS_PER_TRIP, (b, region) =>
    b.mul(b.maxFilter(region, 3), blockAllowed),
  )
  const coarseUp = g.op('Resize', [coarse, '', o.c([1, 1, COARSE, COARSE], [4])], { mode: 'nearest' })
  const growStart = o.max(start, o.mul(coarseUp, allowed))
  const grown = untilStill(o, 'grow', growStart, ['L', K, GRID, GRID], GROW_TRIPS, GROW_STEPS_PER_TRIP, (b, region) => b.mul(b.maxFilter(region, 3), allowed))
  const region4 = o.choose(o.toFloat(o.gt(col(hasPos), o.c(0))), grown, allowed)

  // --- logits, sub-cell accurate at edges: a cell on the region's edge mixes the colours of the object beside it
  // and of the background beside it, and its mean colour says in which proportion (linear unmixing in OKLab). ---
  // The candidates only: the loosest region serves their stability scores alone.
  const candidates = o.slice(region4, [0], [K - 1], [1]) // [L,K-1,G,G]
  const flatK = (v: string) => o.reshape(v, [-1, 1, GRID, GRID]) // [L*(K-1),1,G,G]
  const R = flatK(candidates)
  const grownBy1 = o.maxFilter(R, 3)
  const inner = o.sub(o.c(1), o.maxFilter(o.sub(o.c(1), R), 3)) // the region less its edge
  const outer = o.mul(o.sub(o.c(1), grownBy1), validF) // the rest less its edge
  // Channel by channel ([LK,1,G,G] each): sums over a middle axis are slow on WebGPU.
  const labChannels = [0, 1, 2].map((c) => o.slice(lab, [c], [c + 1], [1]))
  const meanColour = (w: string) => {
    const mass = o.boxSum(w, 5)
    const norm = o.max(mass, o.c(1e-6))
    return { colour: labChannels.map((l) => o.div(o.boxSum(o.mul(w, l), 5), norm)), present: o.gt(mass, o.c(0)) }
  }
  const objectSide = meanColour(inner)
  const backgroundSide = meanColour(outer)
  const across = objectSide.colour.map((c, k) => o.sub(c, backgroundSide.colour[k]))
  const step2 = sumOf(
    o,
    across.map((a) => o.mul(a, a)),
  )
  const fraction = o.clip(
    o.div(
      sumOf(
        o,
        across.map((a, k) => o.mul(o.sub(labChannels[k], backgroundSide.colour[k]), a)),
      ),
      o.max(step2, o.c(1e-6)),
    ),
    0,
    1,
  )
  const onEdge = o.and(o.and(objectSide.present, backgroundSide.present), o.gt(step2, o.c(EDGE_STEP * EDGE_STEP)))
  const edgeLogit = o.reshape(o.choose(o.toFloat(onEdge), o.mul(o.sub(fraction, half), o.c(0.2)), o.sub(o.mul(R, o.c(0.2)), o.c(0.1))), [-1, K - 1, GRID, GRID])
  const band = o.reshape(o.gt(o.sub(grownBy1, inner), o.c(0)), [-1, K - 1, GRID, GRID]) // [L,K-1,G,G]
  const cellLogit = o.choose(o.toFloat(band), edgeLogit, o.sub(o.mul(candidates, o.c(0.2)), o.c(0.1)))
  const boxLogit = o.mul(insideBoxDistance, o.c(0.1 / CELL))
  const lowRes = o.mul(o.min(cellLogit, boxLogit), o.c(LOGIT_SCALE)) // [L,K-1,G,G]

  // --- scores: stability against the next looser threshold, less a penalty for flooding the image ---
  const area = total(o, region4, [2, 3], GRID * GRID, 0) // [L,K]
  const candidateArea = o.slice(area, [0], [K - 1], [1])
  const looserArea = o.slice(area, [1], [K], [1])
  const stability = o.div(candidateArea, o.max(looserArea, o.c(1)))
  const imageArea = o.max(total(o, validF, [0, 1, 2, 3], GRID * GRID, 0), o.c(1))
  const flooding = o.relu(o.sub(o.div(candidateArea, imageArea), o.c(0.5)))
  // Ties go to the medium, then the loose candidate: the stable middle is the usual answer.
  const preference = o.c([0, 0.004, 0.002], [1, 3])
  const scores = o.clip(o.add(o.sub(stability, flooding), preference), 0, 1)

  const bestOf = o.reshape(o.firstIndexOf(scores, 'max', 1, 3), [-1, 1, 1, 1])
  const candidate = (k: number) => o.slice(lowRes, [k], [k + 1], [1])
  const isBest = (k: number) => o.toFloat(o.eq(bestOf, o.c([k])))
  const best = o.add(o.add(o.mul(isBest(0), candidate(0)), o.mul(isBest(1), candidate(1))), o.mul(isBest(2), candidate(2))) // [L,1,G,G]
  const bestScore = o.rmax(scores, [1])
  return { lowRes, scores, best, bestScore }
}

/**
 * The DECODED features [1,8,256,256] back from the [1,256,64,64] embedding: SpaceToDepth put feature c of block
 * position k in channel k x FEATURES + c, so those channels of the DECODED features, in order, give them by DepthToSpace.
 */
const unpackEmbedding = (o: Ops, embedding: string) => {
  const channels = Array.from({ length: PACK * PACK }, (_, k) => DECODED.map((c) => k * FEATURES + c)).flat()
  return o.g.op('DepthToSpace', [o.gather(embedding, o.i(channels), 1)], { blocksize: PACK, mode: 'DCR' })
}

function buildSamDecoder(g: GraphBuilder, o: Ops, t: LiteTuning) {
  const { embedding, origSize, ...prompts } = samDecoderInputs(g)
  const core = decoderCore(o, { features: unpackEmbedding(o, embedding), ...prompts }, t)
  // Token 0 is the single-mask answer, tokens 1..3 the multimask candidates, as in SAM's export.
  samDecoderOutputs(g, o, o.concat([core.best, core.lowRes], 1), o.concat([core.bestScore, core.scores], 1), origSize, 4, true)
}

function buildHfSamDecoder(g: GraphBuilder, o: Ops, t: LiteTuning) {
  const { embedding, positional, ...prompts } = hfSamDecoderInputs(g, o)
  void positional // anymask-lite has no use for positions
  const core = decoderCore(o, { features: unpackEmbedding(o, embedding), ...prompts }, t)
  hfSamDecoderOutputs(g, o, core.lowRes, core.scores, embedding)
}

function buildSam2Decoder(g: GraphBuilder, o: Ops, t: LiteTuning) {
  const embed = g.input('image_embed', 'float', [1, 256, 64, 64])
  const feats0 = g.input('high_res_feats_0', 'float', [1, 32, 256, 256])
  const feats1 = g.input('high_res_feats_1', 'float', [1, 64, 128, 128])
  const coords = g.input('point_coords', 'float', ['num_labels', 'num_points', 2])
  const labels = g.input('point_labels', 'float', ['num_labels', 'num_points'])
  const prevMask = g.input('mask_input', 'float', ['num_labels', 1, 256, 256])
  const hasMask = g.input('has_mask_input', 'float', ['num_labels'])
  void embed
  void feats1
  // SAM 2 hands the decoder full-resolution features; ours are the first 16 channels of the 256x256 ones, of which
  // the decoder reads the DECODED.
  const features = o.gather(feats0, o.i(DECODED), 1)
  // Like the export, the graph appends a (0, 0) padding point (label -1) to every prompt itself, so that a prompt
  // of no points (a mask alone) still has its row: [L,N+1,2] and [L,N+1], L taken from has_mask_input.
  const perPrompt = (dims: number[]) => o.mul(o.reshape(hasMask, [-1, ...dims.map(() => 1)]), o.c(0))
  const padded = {
    coords: o.concat([coords, o.add(perPrompt([1, 2]), o.c([0, 0], [1, 1, 2]))], 1),
    labels: o.concat([labels, o.add(perPrompt([1]), o.c([-1], [1, 1]))], 1),
  }
  const core = decoderCore(o, { features, ...padded, prevMask, hasMask }, t)
  g.output(core.lowRes, 'masks', 'float', ['num_labels', 3, 256, 256])
  g.output(core.scores, 'iou_predictions', 'float', ['num_labels', 3])
}

/** The decoder of `contract`: prompts in, low-res logits (and for `sam`, full-size logits) and scores out. */
export function buildDecoder(contract: Contract, tuning: Partial<LiteTuning> = {}): Uint8Array {
  const t = { ...DECODER_DEFAULTS, ...tuning }
  const g = new GraphBuilder(`anymask_lite_${contract}_decoder`)
  const o = new Ops(g)
  if (contract === 'sam') buildSamDecoder(g, o, t)
  else if (contract === 'hf-sam') buildHfSamDecoder(g, o, t)
  else buildSam2Decoder(g, o, t)
  return encodeModel(g, {
    producer: 'anymask',
    docString: `${DOC} Decoder, ${contract} contract.`,
    metadata: { anymask_model: 'anymask-lite', contract, part: 'decoder' },
  })
}
