/**
 * Everything mode: SAM's automatic mask generator (segment-anything `SamAutomaticMaskGenerator`, CONTRACTS.md) on
 * an encoded image. A grid of object clicks, three candidates each; candidates kept by predicted IoU and by
 * stability; duplicates removed by box NMS in order of predicted IoU; optionally small holes and islands removed.
 * Filters, boxes and NMS work on the decoder's 256x256 logits: only the survivors are upscaled.
 */
import { AnymaskError } from './AnymaskError.js'
import type { ModelFrame } from './coordinates.js'
import { fillHoles, keepLargestRegion, removeSmallRegions } from './mask/regions.js'
import { toCocoRle, type CocoRle } from './mask/cocoRle.js'
import { checkNumber, checkOptions, invalidOption, optionalBoolean, optionalNumber } from './options.js'
import { LOW_RES, type Candidate } from './postprocess.js'
import { MODEL_SIZE } from './preprocess.js'
import type { Box, Mask } from './types.js'

export interface EverythingOptions {
  /** Grid points along each side (SAM: points_per_side, 32). Default 16 here: a quarter of the decodes, for the browser. */
  pointsPerSide?: number
  /**
   * Grid points decoded in one decoder run where the export takes a batch (hf-sam, hf-sam2, sam2), and in one batch of
   * `onMasks`. The first batches are smaller (1, 2, 4, ...) so the first masks come early. Default 64.
   */
  pointsPerBatch?: number
  /** Candidates whose predicted IoU is not above this are dropped. Default 0.88. */
  predIouThresh?: number
  /** Candidates whose stability score is below this are dropped. Default 0.95. */
  stabilityScoreThresh?: number
  /** The logit offset of the stability score. Default 1. */
  stabilityScoreOffset?: number
  /** Box IoU above which the lower-scored of two masks is a duplicate. Default 0.7. */
  boxNmsThresh?: number
  /**
   * Crop layers (SAM: crop_n_layers): layer i also runs on (2^i)^2 overlapping crops of the image, each encoded
   * anew, for small objects. Default 0: the whole image only.
   */
  cropNLayers?: number
  /** Box IoU above which masks of different crops are duplicates (the smaller crop's is kept). Default 0.7. */
  cropNmsThresh?: number
  /** Crops overlap by this fraction of the image's short side (halved at each layer). Default 512 / 1500. */
  cropOverlapRatio?: number
  /** Layer i has pointsPerSide / factor^i points a side. Default 1. */
  cropNPointsDownscaleFactor?: number
  /** Holes and islands smaller than this many pixels are removed from the final masks (then NMS again). Default 0: off. */
  minMaskRegionArea?: number
  /**
   * Skips grid points that already lie inside an accepted mask (fewer decodes, a few masks fewer: see the README's
   * figures). Default false: SAM's exhaustive grid.
   */
  skipCovered?: boolean
  /** Masks scaled down so that their longest side is at most this (as in decode). Default: the image's size. */
  maxSide?: number
  /** Called with each batch of masks as they are accepted, and those a better mask displaced since. */
  onMasks?: (batch: EverythingBatch) => void
  signal?: AbortSignal
}

/** One mask of everything mode, as SAM's generator describes it. */
export interface EverythingMask {
  /** Stable within one run: `removed` lists refer to it. */
  id: number
  mask: Mask
  /** The decoder's predicted IoU. */
  score: number
  stability: number
  /** The grid point (image pixels) that produced it. */
  point: { x: number; y: number }
}

export interface EverythingBatch {
  added: EverythingMask[]
  /** Ids of masks given in earlier batches that are no longer in the result (a better overlapping mask came). */
  removed: number[]
  /** Grid points done, of `total`. */
  done: number
  total: number
}

export interface EverythingResult {
  /** The NMS-consistent set, best predicted IoU first. */
  masks: EverythingMask[]
  /** Grid points decoded (fewer than the grid's with skipCovered). */
  decoded: number
  total: number
  timings: { decoder: number; total: number }
}

/** The options with SAM's defaults (pointsPerSide: see above), checked. */
export type EverythingConfig = Required<Omit<EverythingOptions, 'onMasks' | 'signal' | 'maxSide'>> & { maxSide?: number }

const KNOWN = [
  'pointsPerSide',
  'pointsPerBatch',
  'predIouThresh',
  'stabilityScoreThresh',
  'stabilityScoreOffset',
  'boxNmsThresh',
  'cropNLayers',
  'cropNmsThresh',
  'cropOverlapRatio',
  'cropNPointsDownscaleFactor',
  'minMaskRegionArea',
  'skipCovered',
  'maxSide',
  'onMasks',
  'signal',
] as const

/** The options of `session.everything`, checked (INVALID_OPTION naming the option), with their defaults. */
export function checkEverythingOptions(options: EverythingOptions | undefined): EverythingConfig & Pick<EverythingOptions, 'onMasks' | 'signal'> {
  const where = 'everything'
  const given = checkOptions(options, where, 'options', KNOWN)
  const unit = (name: keyof EverythingOptions, fallback: number) => optionalNumber(given[name], fallback, where, `options.${name}`, { min: 0, max: 1 })
  if (given.onMasks !== undefined && typeof given.onMasks !== 'function') throw invalidOption(where, 'options.onMasks', given.onMasks, 'a function')
  if (given.signal !== undefined && !(given.signal instanceof AbortSignal)) throw invalidOption(where, 'options.signal', given.signal, 'an AbortSignal')
  return {
    pointsPerSide: optionalNumber(given.pointsPerSide, 16, where, 'options.pointsPerSide', { min: 1, max: 256, integer: true }),
    pointsPerBatch: optionalNumber(given.pointsPerBatch, 64, where, 'options.pointsPerBatch', { min: 1, max: 1024, integer: true }),
    predIouThresh: unit('predIouThresh', 0.88),
    stabilityScoreThresh: unit('stabilityScoreThresh', 0.95),
    stabilityScoreOffset: optionalNumber(given.stabilityScoreOffset, 1, where, 'options.stabilityScoreOffset', { min: 0 }),
    boxNmsThresh: unit('boxNmsThresh', 0.7),
    cropNLayers: optionalNumber(given.cropNLayers, 0, where, 'options.cropNLayers', { min: 0, max: 4, integer: true }),
    cropNmsThresh: unit('cropNmsThresh', 0.7),
    cropOverlapRatio: optionalNumber(given.cropOverlapRatio, 512 / 1500, where, 'options.cropOverlapRatio', { min: 0, max: 1 }),
    cropNPointsDownscaleFactor: optionalNumber(given.cropNPointsDownscaleFactor, 1, where, 'options.cropNPointsDownscaleFactor', {
      min: 1,
      integer: true,
    }),
    minMaskRegionArea: optionalNumber(given.minMaskRegionArea, 0, where, 'options.minMaskRegionArea', { min: 0, integer: true }),
    skipCovered: optionalBoolean(given.skipCovered, false, where, 'options.skipCovered'),
    maxSide: given.maxSide === undefined ? undefined : checkNumber(given.maxSide, where, 'options.maxSide', { min: 1, integer: true }),
    onMasks: given.onMasks,
    signal: given.signal,
  }
}

/** SAM's grid: `n` x `n` points at the centres of equal cells, row by row, in image pixels. */
export function gridPoints(width: number, height: number, n: number): { x: number; y: number }[] {
  const points: { x: number; y: number }[] = []
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) points.push({ x: ((i + 0.5) / n) * width, y: ((j + 0.5) / n) * height })
  return points
}

/** The 256-grid cells that hold the image (the rest is the letterbox's padding), as [columns, rows]. */
export function lowResExtent(frame: ModelFrame): [number, number] {
  const step = MODEL_SIZE / LOW_RES
  return [Math.min(LOW_RES, Math.ceil(frame.resizedWidth / step)), Math.min(LOW_RES, Math.ceil(frame.resizedHeight / step))]
}

/** SAM's stability score: cells above +offset over cells above -offset, within the image's cells. */
export function stabilityScore(logits: Float32Array, offset: number, [columns, rows]: [number, number]): number {
  let inner = 0
  let outer = 0
  for (let v = 0; v < rows; v++) {
    for (let u = v * LOW_RES, end = u + columns; u < end; u++) {
      const x = logits[u]
      if (x > offset) inner++
      if (x > -offset) outer++
    }
  }
  return outer === 0 ? 0 : inner / outer
}

/** The box (image pixels, far side exclusive) of the cells above 0, or null when none is. */
export function lowResBox(logits: Float32Array, frame: ModelFrame, [columns, rows]: [number, number]): Box | null {
  let u0 = columns
  let v0 = rows
  let u1 = -1
  let v1 = -1
  for (let v = 0; v < rows; v++) {
    for (let u = 0; u < columns; u++) {
      if (logits[v * LOW_RES + u] <= 0) continue
      if (u < u0) u0 = u
      if (u > u1) u1 = u
      if (v < v0) v0 = v
      v1 = v
    }
  }
  if (u1 < 0) return null
  const sx = (MODEL_SIZE / LOW_RES) * (frame.width / frame.resizedWidth)
  const sy = (MODEL_SIZE / LOW_RES) * (frame.height / frame.resizedHeight)
  return { x0: u0 * sx, y0: v0 * sy, x1: Math.min(frame.width, (u1 + 1) * sx), y1: Math.min(frame.height, (v1 + 1) * sy) }
}

export function boxIou(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0)
  if (w <= 0 || h <= 0) return 0
  const inter = w * h
  return inter / ((a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter)
}

/** Greedy box NMS: indices kept, best score first (ties: the earlier one), as torchvision's `nms`. */
export function boxNms(boxes: readonly Box[], scores: readonly number[], threshold: number): number[] {
  const order = boxes.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b)
  const kept: number[] = []
  for (const i of order) if (kept.every((k) => boxIou(boxes[k], boxes[i]) <= threshold)) kept.push(i)
  return kept
}

/** A candidate that passed the filters, at low resolution. */
export interface Survivor {
  id: number
  lowRes: Float32Array
  box: Box
  score: number
  stability: number
  point: { x: number; y: number }
}

/**
 * The generator's state over a run: every candidate that passed the filters, and the NMS-consistent set of them so
 * far (recomputed over all of them after each batch, so the last set is exactly the NMS of the whole run).
 */
export class MaskGenerator {
  private readonly passed: Survivor[] = []
  private kept: Survivor[] = []
  private readonly extent: [number, number]

  constructor(
    private readonly frame: ModelFrame,
    private readonly config: EverythingConfig,
  ) {
    this.extent = lowResExtent(frame)
  }

  /** Filters one batch's candidates (one list per grid point); returns the survivors that joined and left the set. */
  add(points: readonly { x: number; y: number }[], candidates: readonly Candidate[][]): { added: Survivor[]; removed: Survivor[] } {
    const { predIouThresh, stabilityScoreThresh, stabilityScoreOffset, boxNmsThresh } = this.config
    candidates.forEach((list, p) => {
      for (const { lowRes, score } of list) {
        if (predIouThresh > 0 && !(score > predIouThresh)) continue
        const stability = stabilityScore(lowRes, stabilityScoreOffset, this.extent)
        if (stabilityScoreThresh > 0 && !(stability >= stabilityScoreThresh)) continue
        const box = lowResBox(lowRes, this.frame, this.extent)
        if (box) this.passed.push({ id: this.passed.length, lowRes, box, score, stability, point: points[p] })
      }
    })
    const before = new Set(this.kept)
    this.kept = boxNms(
      this.passed.map((s) => s.box),
      this.passed.map((s) => s.score),
      boxNmsThresh,
    ).map((i) => this.passed[i])
    const now = new Set(this.kept)
    return { added: this.kept.filter((s) => !before.has(s)), removed: [...before].filter((s) => !now.has(s)) }
  }

  /** Whether a point lies in a mask of the current set (skipCovered). */
  covers(point: { x: number; y: number }): boolean {
    const u = Math.floor((point.x * this.frame.resizedWidth) / this.frame.width / (MODEL_SIZE / LOW_RES))
    const v = Math.floor((point.y * this.frame.resizedHeight) / this.frame.height / (MODEL_SIZE / LOW_RES))
    return this.kept.some((s) => s.lowRes[v * LOW_RES + u] > 0)
  }

  get result(): readonly Survivor[] {
    return this.kept
  }
}

/**
 * SAM's small-region clean-up of the final masks: holes and islands under `minArea` pixels removed; then box NMS
 * again, preferring masks that needed no change (SAM's `postprocess_small_regions`). Returns the masks kept.
 */
export function removeSmallParts(masks: EverythingMask[], minArea: number, threshold: number): EverythingMask[] {
  if (minArea <= 0 || masks.length === 0) return masks
  const cleaned = masks.map((m) => {
    const filled = fillHoles(m.mask, minArea - 1)
    const islands = removeSmallRegions(filled, minArea)
    const mask = islands.area > 0 ? islands : keepLargestRegion(filled) // all islands small: SAM keeps the largest
    const unchanged = mask.area === m.mask.area && mask.data.every((v, i) => v === m.mask.data[i])
    return { entry: unchanged ? m : { ...m, mask: { ...mask, score: m.score } }, unchanged }
  })
  const kept = boxNms(
    cleaned.map((c) => c.entry.mask.bbox),
    cleaned.map((c) => (c.unchanged ? 1 : 0)),
    threshold,
  )
  return kept
    .sort((a, b) => a - b)
    .map((i) => cleaned[i].entry)
    .filter((m) => m.mask.area > 0)
}

/** SAM's crop boxes (`generate_crop_boxes`): the whole image, then (2^i)^2 overlapping crops at each layer i. */
export function cropBoxes(width: number, height: number, layers: number, overlapRatio: number): { box: Box; layer: number }[] {
  const crops = [{ box: { x0: 0, y0: 0, x1: width, y1: height }, layer: 0 }]
  const length = (side: number, n: number, overlap: number) => Math.ceil((overlap * (n - 1) + side) / n)
  for (let layer = 1; layer <= layers; layer++) {
    const n = 2 ** layer
    const overlap = Math.floor(overlapRatio * Math.min(width, height) * (2 / n))
    const w = length(width, n, overlap)
    const h = length(height, n, overlap)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x0 = Math.floor((w - overlap) * i)
        const y0 = Math.floor((h - overlap) * j)
        crops.push({ box: { x0, y0, x1: Math.min(x0 + w, width), y1: Math.min(y0 + h, height) }, layer })
      }
    }
  }
  return crops
}

/**
 * SAM's `is_box_near_crop_edge`: a mask box (far side exclusive) within 20 px of an edge of its crop that is not an
 * edge of the image: the object goes on outside the crop, so another crop or the whole image has it whole.
 */
export function nearCropEdge(box: Box, crop: Box, width: number, height: number): boolean {
  const sides = [box.x0, box.y0, box.x1 - 1, box.y1 - 1] // SAM's boxes hold the last pixel
  const cropSides = [crop.x0, crop.y0, crop.x1, crop.y1]
  const imageSides = [0, 0, width, height]
  return sides.some((v, i) => Math.abs(v - cropSides[i]) <= 20 && Math.abs(v - imageSides[i]) > 20)
}

/** One mask as SAM's generator writes it with output_mode 'coco_rle'. */
export interface SamMaskRecord {
  segmentation: CocoRle
  area: number
  /** XYWH, as SAM's `box_xyxy_to_xywh` of its inclusive box: w = last column - first column. */
  bbox: [number, number, number, number]
  predicted_iou: number
  point_coords: [[number, number]]
  stability_score: number
  crop_box: [number, number, number, number]
}

/**
 * Everything's masks in SAM's output format (`SamAutomaticMaskGenerator.generate` with output_mode 'coco_rle'),
 * e.g. to save as JSON beside the image.
 *
 * @example
 * const { masks } = await session.everything()
 * download(JSON.stringify(toSamRecords(masks)))
 */
export function toSamRecords(masks: readonly EverythingMask[]): SamMaskRecord[] {
  return masks.map(({ mask, score, stability, point }) => {
    const { x0, y0, x1, y1 } = mask.bbox
    if (mask.area === 0) throw new AnymaskError('INVALID_OPTION', 'toSamRecords: an everything mask is empty; pass the masks session.everything() gave.')
    return {
      segmentation: toCocoRle(mask, { compressed: true }),
      area: mask.area,
      bbox: [x0, y0, x1 - 1 - x0, y1 - 1 - y0],
      predicted_iou: score,
      point_coords: [[point.x, point.y]],
      stability_score: stability,
      crop_box: [0, 0, mask.width, mask.height],
    }
  })
}
