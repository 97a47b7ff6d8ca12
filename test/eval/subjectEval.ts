/**
 * @anymask/imgly on the GrabCut photographs, in a browser (ISNet runs on onnxruntime-web there only): the subject
 * mask at alpha 0.5, after refineEdges, and after subject-then-SAM with anymask-lite; IoU and boundary F (2 px),
 * the truth's undecided band left out; and the halo of a new background behind the soft subject (eval:edit's green
 * spill), with and without decontamination. The browser test asserts on it; `npm run eval:subject` prints it.
 */
import { createMask, type Mask, type RgbaImage, type Segmenter } from '@anymask/core'
import { refineEdges, replaceBackground } from '@anymask/edit'
import { refineWithSam, selectSubject, type SubjectOptions } from '@anymask/imgly'
import { boundaryF, greenExcess, scoredIou } from './metrics.js'

export interface SubjectSample {
  name: string
  image: RgbaImage
  /** 0, 128 (undecided) or 255 per pixel. */
  truth: Uint8Array
}

export interface SubjectFigures {
  name: string
  subjectIou: number
  refinedIou: number
  samIou: number
  subjectF: number
  refinedF: number
  samF: number
  /** Green spill (0..255) in the matte's soft pixels, the subject composited over green plain and decontaminated. */
  haloPlain: number
  haloClean: number
  /** selectSubject's own time, ms (the first photo's includes loading the weights). */
  ms: number
}

/** A GrabCut photograph as it crosses from Node to a page (test/eval/grabcut.ts, photoMessage). */
export interface PhotoMessage {
  count: number
  name: string
  width: number
  height: number
  rgba: string
  truth: string
}

const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))

/** The sample a PhotoMessage carries. */
export const sampleOf = (photo: PhotoMessage): SubjectSample => ({
  name: photo.name,
  image: { data: bytes(photo.rgba), width: photo.width, height: photo.height },
  truth: bytes(photo.truth),
})

const atHalf = (mask: Mask) =>
  createMask(
    mask.width,
    mask.height,
    mask.data.map((v) => (v >= 128 ? 255 : 0)),
  )

/** The figures of one photograph; `segmenter` (anymask-lite) for subject-then-SAM. */
export async function subjectFigures(sample: SubjectSample, segmenter: Segmenter, options: SubjectOptions): Promise<SubjectFigures> {
  const { image, truth, name } = sample
  const { width, height } = image
  const start = performance.now()
  const subject = await selectSubject(image, options)
  const ms = performance.now() - start
  const binary = atHalf(subject)
  const refined = atHalf(refineEdges(image, subject))
  const session = await segmenter.encode(image)
  const sam = await refineWithSam(session, subject)
  session.dispose()
  const samMask = sam.masks[sam.best]
  const green = { color: [0, 255, 0] as [number, number, number] }
  const soft = (i: number) => subject.data[i] > 0 && subject.data[i] < 255
  return {
    name,
    subjectIou: scoredIou(binary.data, truth),
    refinedIou: scoredIou(refined.data, truth),
    samIou: scoredIou(samMask.data, truth),
    subjectF: boundaryF(binary.data, truth, width, height),
    refinedF: boundaryF(refined.data, truth, width, height),
    samF: boundaryF(samMask.data, truth, width, height),
    haloPlain: greenExcess(replaceBackground(image, subject, green), soft),
    haloClean: greenExcess(replaceBackground(image, subject, green, { decontaminate: true }), soft),
    ms,
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)

/** Means of every figure over the photographs. */
export function meanFigures(rows: SubjectFigures[]): Omit<SubjectFigures, 'name'> {
  const keys = ['subjectIou', 'refinedIou', 'samIou', 'subjectF', 'refinedF', 'samF', 'haloPlain', 'haloClean', 'ms'] as const
  return Object.fromEntries(keys.map((k) => [k, mean(rows.map((r) => r[k]))])) as Omit<SubjectFigures, 'name'>
}
