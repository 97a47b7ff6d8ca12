/**
 * The standard interactive-segmentation evaluation (RITM, Sofiiuk et al. 2022, and the papers after it), for any
 * model @anymask/core loads: a box prompt (the truth's bounding box), and clicks placed by a simulated user. The
 * first click goes to the object's interior point farthest from its edge; each next one to the point farthest from
 * the edge of the worse error region (missed object: an object click; wrongly taken background: a background click),
 * the image border counting as edge. Every decode gets all clicks so far and the previous low-res mask when the
 * export takes one. IoU leaves the truth's undecided band (128) out. `npm run eval:select` prints it.
 */
import { createSegmenter, type ImageSession, type LowResMask, type ModelSpec, type PromptPoint, type RgbaImage } from '@anymask/core'
import { squaredDistanceTransform } from '../../packages/core/src/mask/distanceTransform.js'
import { pixelBounds } from '../support/scenes.js'
import { scoredIou } from './metrics.js'

export const MAX_CLICKS = 20

/**
 * The next simulated click for `prediction` (non-zero = object) against `truth` (255 object, 0 background, 128
 * undecided): at the point deepest inside the error region whose deepest point is deepest, or null if none is left.
 */
export function nextClick(prediction: ArrayLike<number>, truth: Uint8Array, width: number, height: number): PromptPoint | null {
  const missed = (i: number) => truth[i] === 255 && prediction[i] === 0
  const extra = (i: number) => truth[i] === 0 && prediction[i] !== 0
  const deepest = (inError: (i: number) => boolean) => {
    const d = squaredDistanceTransform(width, height, (i) => !inError(i))
    let best = -1
    let at = -1
    for (let i = 0; i < d.length; i++) {
      if (!inError(i)) continue
      const x = i % width
      const y = (i - x) / width
      // Outside the image counts as edge: one pixel beyond each border.
      const depth = Math.min(d[i], (x + 1) ** 2, (width - x) ** 2, (y + 1) ** 2, (height - y) ** 2)
      if (depth > best) (best = depth), (at = i)
    }
    return { depth: best, at }
  }
  const fn = deepest(missed)
  const fp = deepest(extra)
  if (fn.at < 0 && fp.at < 0) return null
  const positive = fn.depth > fp.depth
  const at = positive ? fn.at : fp.at
  return { x: at % width, y: Math.floor(at / width), label: positive ? 1 : 0 }
}

/** The truth's object bounding box (undecided pixels left out). */
export const truthBox = (truth: Uint8Array, width: number) => pixelBounds(truth, width, (v) => v === 255)

export interface SelectionFigures {
  name: string
  boxIou: number
  /** IoU after each click: ious[0] after the first. */
  ious: number[]
  /** The clicks given, in order. */
  clicks: PromptPoint[]
  /** Clicks to reach IoU 0.85 / 0.90; MAX_CLICKS when never reached. */
  noc85: number
  noc90: number
}

const binary = (data: Uint8Array) => data.map((v) => (v >= 128 ? 1 : 0))
const clicksTo = (ious: number[], target: number) => {
  const k = ious.findIndex((v) => v >= target)
  return k < 0 ? MAX_CLICKS : k + 1
}

/** Box and click figures for one photo on an encoded session. */
export async function evaluatePhoto(session: ImageSession, name: string, truth: Uint8Array, maxClicks = MAX_CLICKS): Promise<SelectionFigures> {
  const { width, height } = session
  const box = truthBox(truth, width)
  const boxed = await session.decode({ box }, { multimask: false })
  const boxIou = scoredIou(binary(boxed.masks[boxed.best].data), truth)

  const clicks: PromptPoint[] = []
  const ious: number[] = []
  let prediction: Uint8Array = new Uint8Array(width * height)
  let previous: LowResMask | undefined
  for (let k = 0; k < maxClicks; k++) {
    const click = nextClick(prediction, truth, width, height)
    if (!click) break
    clicks.push(click)
    // SAM's rule: the first click is ambiguous (three candidates, the best scored one kept), later ones are not.
    const result = await session.decode({ points: clicks, ...(previous && session.prompts.mask ? { mask: previous } : {}) }, { multimask: k === 0 })
    prediction = binary(result.masks[result.best].data)
    previous = result.lowRes[result.best]
    ious.push(scoredIou(prediction, truth))
  }
  // Past a perfect answer no click is left to give: it stays perfect.
  while (ious.length < maxClicks) ious.push(ious.at(-1) ?? 0)
  return { name, boxIou, ious, clicks, noc85: clicksTo(ious, 0.85), noc90: clicksTo(ious, 0.9) }
}

export interface Photo {
  name: string
  image: RgbaImage
  truth: Uint8Array
}

/** Every photo through one segmenter of `model` (a registry id or a ModelSpec). */
export async function evaluateSelection(
  model: string | ModelSpec,
  photos: Iterable<Photo>,
  onPhoto?: (f: SelectionFigures) => void,
): Promise<SelectionFigures[]> {
  const segmenter = await createSegmenter({ model, device: 'wasm' })
  const rows: SelectionFigures[] = []
  try {
    for (const photo of photos) {
      const session = await segmenter.encode(photo.image)
      try {
        const row = await evaluatePhoto(session, photo.name, photo.truth)
        rows.push(row)
        onPhoto?.(row)
      } finally {
        session.dispose()
      }
    }
  } finally {
    await segmenter.dispose()
  }
  return rows
}

/** Means over photos, and how many photos never reach 0.85 / 0.90. */
export function summarise(rows: SelectionFigures[]) {
  const mean = (f: (r: SelectionFigures) => number) => rows.reduce((n, r) => n + f(r), 0) / rows.length
  return {
    photos: rows.length,
    boxIou: mean((r) => r.boxIou),
    iou1: mean((r) => r.ious[0]),
    iou3: mean((r) => r.ious[2]),
    iou5: mean((r) => r.ious[4]),
    noc85: mean((r) => r.noc85),
    noc90: mean((r) => r.noc90),
    never85: rows.filter((r) => !r.ious.some((v) => v >= 0.85)).length,
    never90: rows.filter((r) => !r.ious.some((v) => v >= 0.9)).length,
  }
}
