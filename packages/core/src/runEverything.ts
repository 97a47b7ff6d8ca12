/**
 * A whole everything run for an ImageSession: the engine's run on the image (in the worker where there is one),
 * and with crop layers, the runs on each crop (encoded anew), their masks placed back in the image, those cut by a
 * crop's edge dropped, and duplicates between crops removed by box NMS that prefers the smaller crop (SAM's
 * `_generate_masks`). The stream of batches follows the set as it is after each step.
 */
import { throwIfAborted } from './AnymaskError.js'
import type { EngineApi } from './Engine.js'
import {
  boxNms,
  checkEverythingOptions,
  cropBoxes,
  nearCropEdge,
  type EverythingBatch,
  type EverythingMask,
  type EverythingOptions,
  type EverythingResult,
} from './everything.js'
import { createMask } from './mask/createMask.js'
import type { Box, Mask, RgbaImage } from './types.js'

/** `image`'s pixels inside `box`. */
function cropImage(image: RgbaImage, box: Box): RgbaImage {
  const width = box.x1 - box.x0
  const height = box.y1 - box.y0
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    const from = ((box.y0 + y) * image.width + box.x0) * 4
    data.set(image.data.subarray(from, from + width * 4), y * width * 4)
  }
  return { data, width, height }
}

/** `mask` placed at (x, y) in an empty `width` x `height` mask (what falls outside is cut). */
function placeMask(mask: Mask, x: number, y: number, width: number, height: number): Mask {
  const data = new Uint8Array(width * height)
  const w = Math.min(mask.width, width - x)
  for (let row = 0; row < Math.min(mask.height, height - y); row++) {
    data.set(mask.data.subarray(row * mask.width, row * mask.width + w), (y + row) * width + x)
  }
  return createMask(width, height, data, mask.score)
}

export async function runEverything(engine: EngineApi, key: string, image: RgbaImage, options: EverythingOptions): Promise<EverythingResult> {
  const { onMasks, signal, maxSide, ...config } = checkEverythingOptions(options)
  throwIfAborted(signal, 'everything')
  const started = performance.now()
  const { width, height } = image
  // Masks come at the output's size: the image's, or scaled down to maxSide.
  const scale = maxSide && Math.max(width, height) > maxSide ? maxSide / Math.max(width, height) : 1
  const outWidth = Math.max(1, Math.round(width * scale))
  const outHeight = Math.max(1, Math.round(height * scale))
  const crops = cropBoxes(width, height, config.cropNLayers, config.cropOverlapRatio)
  const sides = crops.map(({ layer }) => Math.max(1, Math.floor(config.pointsPerSide / config.cropNPointsDownscaleFactor ** layer)))
  const total = sides.reduce((n, side) => n + side * side, 0)

  /** The masks of every crop so far, by id (crop index in the high bits), with the area of their crop. */
  const current = new Map<number, { mask: EverythingMask; cropArea: number }>()
  let shown = new Set<number>()
  let done = 0
  let callbackError: unknown
  const kept = () => {
    const entries = [...current.values()]
    if (crops.length === 1) return entries.map((e) => e.mask)
    const order = boxNms(
      entries.map((e) => e.mask.mask.bbox),
      entries.map((e) => 1 / e.cropArea),
      config.cropNmsThresh,
    )
    return order.map((i) => entries[i].mask)
  }
  /** Sends the changes since the last batch (and the progress: always, unless `onlyChanges`). */
  const publish = (cropDone: number, onlyChanges = false) => {
    const masks = kept()
    const now = new Set(masks.map((m) => m.id))
    const batch: EverythingBatch = {
      added: masks.filter((m) => !shown.has(m.id)),
      removed: [...shown].filter((id) => !now.has(id)),
      done: done + cropDone,
      total,
    }
    if (onlyChanges && !batch.added.length && !batch.removed.length) return
    shown = now
    try {
      onMasks?.(batch)
    } catch (error) {
      callbackError ??= error // reported when the run ends; the run goes on
    }
  }

  let decoded = 0
  let decoder = 0
  for (const [index, { box, layer }] of crops.entries()) {
    throwIfAborted(signal, 'everything')
    const whole = layer === 0
    const cropKey = whole ? key : await engine.encode(cropImage(image, box), signal)
    const cropArea = (box.x1 - box.x0) * (box.y1 - box.y0)
    // A crop's masks at its own share of the output's size, placed back where the crop lies.
    const place = (m: EverythingMask): EverythingMask | null => {
      const id = index * 2 ** 20 + m.id
      if (whole) return { ...m, id }
      const mask = placeMask(m.mask, Math.round(box.x0 * scale), Math.round(box.y0 * scale), outWidth, outHeight)
      const bbox = { x0: mask.bbox.x0 / scale, y0: mask.bbox.y0 / scale, x1: mask.bbox.x1 / scale, y1: mask.bbox.y1 / scale }
      if (mask.area === 0 || nearCropEdge(bbox, box, width, height)) return null
      return { ...m, id, mask, point: { x: m.point.x + box.x0, y: m.point.y + box.y0 } }
    }
    const cropSide = Math.max(1, Math.round(Math.max(box.x1 - box.x0, box.y1 - box.y0) * scale))
    try {
      const result = await engine.everything(
        cropKey,
        { ...config, pointsPerSide: sides[index], maxSide: scale < 1 ? cropSide : undefined },
        (batch) => {
          for (const id of batch.removed) current.delete(index * 2 ** 20 + id)
          for (const m of batch.added) {
            const placed = place(m)
            if (placed) current.set(placed.id, { mask: placed, cropArea })
          }
          publish(batch.done)
        },
        signal,
      )
      // The crop's final set: the small-region clean-up may have changed or dropped some.
      const final = new Set(result.ids.map((id) => index * 2 ** 20 + id))
      for (const id of current.keys()) if (id >> 20 === index && !final.has(id)) current.delete(id)
      for (const m of result.replaced) {
        const placed = place(m)
        if (placed) current.set(placed.id, { mask: placed, cropArea })
        else current.delete(index * 2 ** 20 + m.id)
      }
      decoded += result.decoded
      decoder += result.timings.decoder
      done += sides[index] ** 2
      publish(0, true)
    } finally {
      if (!whole) engine.release(cropKey)
    }
  }
  if (callbackError) throw callbackError
  const masks = kept().sort((a, b) => b.score - a.score)
  return { masks, decoded, total, timings: { decoder, total: performance.now() - started } }
}
