/**
 * The page that `npm run eval:subject` and the imgly bench drive in Chromium: the GrabCut evaluation of
 * @anymask/imgly (photos handed in by the driver, decoded in Node) and selectSubject's cold and warm times.
 */
import { createSegmenter } from '@anymask/core'
import { selectSubject, type SubjectModel } from '@anymask/imgly'
import { sampleOf, subjectFigures, type PhotoMessage, type SubjectFigures } from '../subjectEval.js'

export interface SpeedConfig {
  publicPath: string
  model: SubjectModel
  sizes: [number, number][]
  runs: number
}

/** Per size: the first call (in a fresh page: with the weights' download and the session's start) and warm runs, ms. */
export type SpeedResult = { size: string; cold: number; warm: number[] }[]

declare global {
  interface Window {
    grabcutPhoto(index: number): Promise<PhotoMessage | null>
    subjectEval(config: { publicPath: string; model: SubjectModel }): Promise<SubjectFigures[]>
    subjectSpeed(config: SpeedConfig): Promise<SpeedResult>
  }
}

window.subjectEval = async ({ publicPath, model }) => {
  const segmenter = await createSegmenter({ model: 'anymask-lite', device: 'wasm' })
  const rows: SubjectFigures[] = []
  for (let i = 0; ; i++) {
    const photo = await window.grabcutPhoto(i)
    if (!photo) break
    rows.push(await subjectFigures(sampleOf(photo), segmenter, { publicPath, model }))
  }
  await segmenter.dispose()
  return rows
}

/** A photo-like test card of `width` x `height`: a subject (disc) on a graded wall. */
function card(width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4)
  const r = Math.min(width, height) * 0.3
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < r * r
      const wall = 200 - (40 * y) / height
      data.set(inside ? [160, 60, 40, 255] : [wall, wall, wall - 10, 255], (y * width + x) * 4)
    }
  return { data, width, height }
}

window.subjectSpeed = async ({ publicPath, model, sizes, runs }) => {
  const result: SpeedResult = []
  for (const [width, height] of sizes) {
    const image = card(width, height)
    const time = async () => {
      const start = performance.now()
      await selectSubject(image, { publicPath, model })
      return performance.now() - start
    }
    const cold = await time()
    const warm: number[] = []
    for (let i = 0; i < runs; i++) warm.push(await time())
    result.push({ size: `${width}x${height}`, cold, warm })
  }
  return result
}
