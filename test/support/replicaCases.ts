/**
 * The prompts every replica is tested with and the masks to expect, computed from CONTRACTS.md and the replicas'
 * geometry alone (not from @anymask/core): where the export puts a prompt in its 1024 square, where each image pixel's
 * centre lands there, and which token answers. Pure code, for the Node and the browser tests alike.
 */
import type { Box, ContractName, Prompt, PromptPoint, PromptSupport, Segmentation } from '@anymask/core'
import { DISK, HOLE, TOKEN_GROWTH, TOKEN_SCORES } from '../../models/src/replicaGeometry.js'

/** Image sizes of the tests: landscape, a tall portrait, and a 12 MP photo. */
export const REPLICA_SIZES: [number, number][] = [
  [1500, 1000],
  [333, 1000],
  [4000, 3000],
]

export type ReplicaCase = 'point' | 'point + background' | 'two points' | 'box' | 'box + points' | 'refine'
export const REPLICA_CASES: ReplicaCase[] = ['point', 'point + background', 'two points', 'box', 'box + points', 'refine']

/** Whether an export can take a case: a box needs a box input, refine a mask input. */
export const caseNeeds = (kind: ReplicaCase): keyof Pick<PromptSupport, 'box' | 'mask'> | undefined =>
  kind.startsWith('box') ? 'box' : kind === 'refine' ? 'mask' : undefined

const point = (width: number, height: number, u: number, v: number, label: 0 | 1): PromptPoint => ({
  x: Math.round(u * width * 10) / 10,
  y: Math.round(v * height * 10) / 10,
  label,
})

/** The prompt of `kind` in a width x height image (fractions of the image, so every size gets the same scene). */
export function casePrompt(kind: ReplicaCase, width: number, height: number): Prompt {
  const object = point(width, height, 0.37, 0.41, 1)
  const background = point(width, height, 0.4, 0.43, 0) // inside the disk: it cuts a hole
  const second = point(width, height, 0.62, 0.55, 1)
  const box: Box = { x0: Math.round(width * 0.2), y0: Math.round(height * 0.25), x1: Math.round(width * 0.71), y1: Math.round(height * 0.8) }
  if (kind === 'point + background') return { points: [object, background] }
  if (kind === 'two points') return { points: [object, second] }
  if (kind === 'box') return { box }
  if (kind === 'box + points') return { box: { ...box, x1: Math.round(width * 0.5) }, points: [second, background] }
  if (kind === 'refine') return { points: [second] } // fed with the mask of the case 'point'
  return { points: [object] }
}

/** Where an export puts the image in its 1024 square (CONTRACTS.md): the content's size there. */
function content(contract: ContractName, width: number, height: number): { cw: number; ch: number } {
  if (contract === 'sam2' || contract === 'hf-sam2') return { cw: 1024, ch: 1024 }
  const scale = 1024 / Math.max(width, height)
  return { cw: Math.floor(width * scale + 0.5), ch: Math.floor(height * scale + 0.5) }
}

/** The replica's signed distance for `prompt` (model pixels, positive inside) at model position (u, v), before token growth. */
function shape(prompt: Prompt, sx: number, sy: number, u: number, v: number): number {
  let object = -1e4
  let hole = -1e4
  for (const p of prompt.points ?? []) {
    const d = Math.hypot(u - (p.x * sx + 0.5), v - (p.y * sy + 0.5))
    if (p.label === 1) object = Math.max(object, DISK - d)
    else hole = Math.max(hole, HOLE - d)
  }
  const { box } = prompt
  if (box) object = Math.max(object, Math.min(u - (box.x0 * sx + 0.5), box.x1 * sx + 0.5 - u, v - (box.y0 * sy + 0.5), box.y1 * sy + 0.5 - v))
  return Math.min(object, -hole)
}

/** One answer to expect: the token, and the earlier answer refined (if any). */
export interface ExpectedAnswer {
  token: number
  previous?: { prompt: Prompt; token: number }
}

/** Source taps of a bilinear resize along one axis: half-pixel centres, clamped edges (PyTorch's align_corners=False). */
function taps(size: number, out: number): { lo: Int32Array; hi: Int32Array; frac: Float64Array } {
  const lo = new Int32Array(out)
  const hi = new Int32Array(out)
  const frac = new Float64Array(out)
  const scale = size / out
  for (let o = 0; o < out; o++) {
    const s = Math.max(0, (o + 0.5) * scale - 0.5)
    lo[o] = Math.min(Math.floor(s), size - 1)
    hi[o] = Math.min(lo[o] + 1, size - 1)
    frac[o] = Math.min(s - lo[o], 1)
  }
  return { lo, hi, frac }
}

/** Bilinear resize (see `taps`), float64, of the top-left sw x sh window; the taps are computed once per axis, as a 12 MP image needs. */
function resize(src: Float64Array, stride: number, sw: number, sh: number, dw: number, dh: number): Float64Array {
  const out = new Float64Array(dw * dh)
  const xs = taps(sw, dw)
  const ys = taps(sh, dh)
  for (let y = 0; y < dh; y++) {
    const r0 = ys.lo[y] * stride
    const r1 = ys.hi[y] * stride
    const fy = ys.frac[y]
    for (let x = 0; x < dw; x++) {
      const x0 = xs.lo[x]
      const x1 = xs.hi[x]
      const fx = xs.frac[x]
      const top = src[r0 + x0] * (1 - fx) + src[r0 + x1] * fx
      const bottom = src[r1 + x0] * (1 - fx) + src[r1 + x1] * fx
      out[y * dw + x] = top * (1 - fy) + bottom * fy
    }
  }
  return out
}

/**
 * The logits the answer must have at the image's pixels: the replica's 256 x 256 cells (cell centres in model
 * pixels, the export's clamp), then the export's post-processing as CONTRACTS.md gives it: to the 1024 square,
 * crop the padding, to the image size; or straight to the image size (samexporter's SAM 2).
 */
export function expectedLogits(contract: ContractName, width: number, height: number, prompt: Prompt, answer: ExpectedAnswer): Float64Array {
  const { cw, ch } = content(contract, width, height)
  const sx = cw / width
  const sy = ch / height
  const clamp = contract === 'sam2' ? 32 : Infinity
  const cells = new Float64Array(256 * 256)
  for (let j = 0; j < 256; j++) {
    for (let i = 0; i < 256; i++) {
      const u = i * 4 + 2
      const v = j * 4 + 2
      let d = shape(prompt, sx, sy, u, v)
      if (answer.previous) {
        const before = shape(answer.previous.prompt, sx, sy, u, v) + TOKEN_GROWTH[answer.previous.token]
        d = Math.max(d, Math.max(-clamp, Math.min(clamp, before)))
      }
      cells[j * 256 + i] = Math.max(-clamp, Math.min(clamp, d + TOKEN_GROWTH[answer.token]))
    }
  }
  if (contract === 'sam2') return resize(cells, 256, 256, 256, width, height)
  const square = resize(cells, 256, 256, 256, 1024, 1024)
  return resize(square, 1024, cw, ch, width, height)
}

/** Pixels the answer must have (1) or not (0); 2 where the logit is within float32 rounding of 0. */
export function expectedMask(contract: ContractName, width: number, height: number, prompt: Prompt, answer: ExpectedAnswer): Uint8Array {
  const logits = expectedLogits(contract, width, height, prompt, answer)
  const mask = new Uint8Array(logits.length)
  for (let i = 0; i < logits.length; i++) mask[i] = Math.abs(logits[i]) < 1e-3 ? 2 : logits[i] > 0 ? 1 : 0
  return mask
}

/** Pixels of `mask` that contradict `expected` (ignoring its undecided band), and the number decided. */
export function mismatches(mask: Uint8Array, expected: Uint8Array): { wrong: number; decided: number; inside: number } {
  let wrong = 0
  let decided = 0
  let inside = 0
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]
    if (e === 2) continue
    decided++
    if (e === 1) inside++
    if ((mask[i] !== 0 ? 1 : 0) !== e) wrong++
  }
  return { wrong, decided, inside }
}

/**
 * The tokens an export answers with: its three multimask tokens (1..3), or one. A single answer is SAM's token 0
 * where the export has it, else the best-scoring multimask token. A single-mask `sam` export picks itself by the
 * number of points it sees, padding included (CONTRACTS.md): with at most two (one click and its padding point, or a
 * box alone) it gives its best multimask token, so a client asked for the single answer must pad to three.
 */
export function expectedTokens(support: PromptSupport, multimask: boolean, pointsSeen: number): number[] {
  const best = TOKEN_SCORES.indexOf(Math.max(...TOKEN_SCORES.slice(1)))
  if (support.candidates === 1) return [multimask && pointsSeen <= 2 ? best : 0]
  if (multimask) return [1, 2, 3]
  return [support.singleMask ? 0 : best]
}

/** SAM's rule for `multimask` when the caller does not say: several candidates for one point alone. */
export const samMultimask = (prompt: Prompt) => (prompt.points?.length ?? 0) === 1 && !prompt.box

export interface CaseOutcome {
  kind: ReplicaCase
  /** Scores returned and expected. */
  scores: number[]
  expectedScores: number[]
  /** Wrong pixels of each returned mask, as a fraction of the pixels decided inside. */
  errors: number[]
}

/** Runs one case on a session and compares every returned mask with its expectation. */
export async function runCase(
  session: { width: number; height: number; decode(p: Prompt): Promise<Segmentation> },
  contract: ContractName,
  support: PromptSupport,
  kind: ReplicaCase,
): Promise<CaseOutcome> {
  const { width, height } = session
  const prompt = casePrompt(kind, width, height)
  let previous: ExpectedAnswer['previous']
  let fed = prompt
  if (kind === 'refine') {
    const first = casePrompt('point', width, height)
    const earlier = await session.decode(first)
    const tokens = expectedTokens(support, true, 2)
    previous = { prompt: first, token: tokens[earlier.best] }
    fed = { ...prompt, mask: earlier.lowRes[earlier.best] }
  }
  const result = await session.decode(fed)
  const multimask = samMultimask(prompt)
  // Points a sam graph sees before any padding for the single answer: clicks, box corners or one padding point.
  const tokens = expectedTokens(support, multimask, (prompt.points?.length ?? 0) + (prompt.box ? 2 : 1))
  const errors = result.masks.map((mask, i) => {
    const token = tokens[i] ?? tokens[0]
    const { wrong, inside } = mismatches(mask.data, expectedMask(contract, width, height, prompt, { token, previous }))
    return wrong / Math.max(inside, 1)
  })
  return { kind, scores: result.scores, expectedScores: tokens.map((t) => TOKEN_SCORES[t]), errors }
}
