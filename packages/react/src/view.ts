/**
 * The one place where screen and image coordinates meet (DESIGN.md style 8). A view maps image pixels to CSS
 * pixels of the viewport: screen = image * scale + offset. Zoom and pan change the view, never the encoding.
 */
export interface View {
  scale: number
  x: number
  y: number
}

/** A point in the viewport's CSS pixels. */
export interface ScreenPoint {
  sx: number
  sy: number
}

/** Image pixel under a screen point. */
export const toImagePoint = (view: View, { sx, sy }: ScreenPoint) => ({ x: (sx - view.x) / view.scale, y: (sy - view.y) / view.scale })

/** Screen point of an image pixel position. */
export const toScreenPoint = (view: View, x: number, y: number): ScreenPoint => ({ sx: x * view.scale + view.x, sy: y * view.scale + view.y })

/** The whole image, centred, as large as fits. */
export function fitView(imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number): View {
  const scale = Math.min(viewWidth / imageWidth, viewHeight / imageHeight) || 1
  return { scale, x: (viewWidth - imageWidth * scale) / 2, y: (viewHeight - imageHeight * scale) / 2 }
}

/** Zooms by `factor` keeping the image pixel under `at` where it is; the scale stays within [min, max]. */
export function zoomAt(view: View, factor: number, at: ScreenPoint, min = 0.01, max = 64): View {
  const scale = Math.min(max, Math.max(min, view.scale * factor))
  const k = scale / view.scale
  return { scale, x: at.sx - (at.sx - view.x) * k, y: at.sy - (at.sy - view.y) * k }
}
