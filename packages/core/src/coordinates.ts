import { MODEL_SIZE } from './preprocess.js'
import type { Box, PromptPoint } from './types.js'

/**
 * How an image maps into the model's 1024 square. Every conversion between image pixels and model pixels goes
 * through one of these, so the two spaces never mix.
 * - `letterbox` (sam, hf-sam): longest side to 1024 keeping the aspect, padding right and below.
 * - `stretch` (sam2): both sides to 1024.
 */
export interface ModelFrame {
  /** Image size. */
  width: number
  height: number
  /** Size of the image's content inside the 1024 square. */
  resizedWidth: number
  resizedHeight: number
}

/** The frame of `width` x `height` (SAM's ResizeLongestSide rounding, see CONTRACTS.md). */
export function letterboxFrame(width: number, height: number): ModelFrame {
  const scale = MODEL_SIZE / Math.max(width, height)
  return {
    width,
    height,
    resizedWidth: Math.floor(width * scale + 0.5),
    resizedHeight: Math.floor(height * scale + 0.5),
  }
}

export function stretchFrame(width: number, height: number): ModelFrame {
  return { width, height, resizedWidth: MODEL_SIZE, resizedHeight: MODEL_SIZE }
}

/**
 * The frame of the masks a decode returns: the image's own size, or (for previews) the image scaled down so that
 * its longest side is `maxSide`, keeping the model-space content size.
 */
export function outputFrame(frame: ModelFrame, maxSide?: number): ModelFrame {
  if (!maxSide || Math.max(frame.width, frame.height) <= maxSide) return frame
  const scale = maxSide / Math.max(frame.width, frame.height)
  return { ...frame, width: Math.max(1, Math.round(frame.width * scale)), height: Math.max(1, Math.round(frame.height * scale)) }
}

/** A point in image pixels to model pixels. */
export function toModelPoint(frame: ModelFrame, p: { x: number; y: number }): [number, number] {
  return [(p.x * frame.resizedWidth) / frame.width, (p.y * frame.resizedHeight) / frame.height]
}

/**
 * Prompt points and box corners in model pixels, with SAM's labels (box corners 2 and 3): clicks then the box, as
 * SAM's prompt encoder orders them, or the box first, as SAM 2's predictor does.
 */
export function modelPromptPoints(frame: ModelFrame, points: readonly PromptPoint[], box?: Box, { boxFirst = false } = {}) {
  const coords: number[] = []
  const labels: number[] = []
  const addBox = () => {
    if (!box) return
    coords.push(...toModelPoint(frame, { x: box.x0, y: box.y0 }), ...toModelPoint(frame, { x: box.x1, y: box.y1 }))
    labels.push(2, 3)
  }
  if (boxFirst) addBox()
  for (const p of points) {
    coords.push(...toModelPoint(frame, p))
    labels.push(p.label)
  }
  if (!boxFirst) addBox()
  return { coords, labels }
}
