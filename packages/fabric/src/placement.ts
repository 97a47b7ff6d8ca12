/**
 * The one place where fabric's scene and the image's own pixels meet. A FabricImage draws its element's pixel
 * (px, py) at (px - cropX - width / 2, py - cropY - height / 2) in its own plane (fabric's `_renderFill`), and
 * `calcTransformMatrix()` takes that plane to the scene (position, rotation, scale, flip, skew);
 * the canvas's viewportTransform then takes the scene to the screen (zoom and pan).
 */
import { type Canvas, type FabricImage, type FabricObject, Point, type TMat2D, util } from 'fabric'
import type { Box } from '@anymask/core'

/** The element pixel position (fractional) under a scene point. */
export function sceneToImage(image: FabricImage, scene: Point): { x: number; y: number } {
  const local = util.transformPoint(scene, util.invertTransform(image.calcTransformMatrix()))
  return { x: local.x + image.width / 2 + image.cropX, y: local.y + image.height / 2 + image.cropY }
}

/** The scene point of an element pixel position. */
export function imageToScene(image: FabricImage, x: number, y: number): Point {
  return util.transformPoint(new Point(x - image.cropX - image.width / 2, y - image.cropY - image.height / 2), image.calcTransformMatrix())
}

/** Screen pixels per element pixel (zoom x the image's own scale), for thresholds given in screen pixels. */
export function screenScale(canvas: Canvas, image: FabricImage): number {
  const [a, b, c, d] = util.multiplyTransformMatrices(canvas.viewportTransform as TMat2D, image.calcTransformMatrix())
  return Math.sqrt(Math.abs(a * d - b * c))
}

/** The part of the element the image shows (its crop), in element pixels. */
export function visibleBox(image: FabricImage): Box {
  return { x0: image.cropX, y0: image.cropY, x1: image.cropX + image.width, y1: image.cropY + image.height }
}

/**
 * Placement for an object whose own plane spans `box` of the image's element, so that it covers exactly those
 * pixels: the image's rotation, scale, flip and skew, centred where the box's centre lands.
 */
export function placeOver(image: FabricImage, box: Box) {
  const centre = imageToScene(image, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
  const { angle, scaleX, scaleY, flipX, flipY, skewX, skewY } = image
  const size = { width: box.x1 - box.x0, height: box.y1 - box.y0 }
  return { left: centre.x, top: centre.y, originX: 'center' as const, originY: 'center' as const, angle, scaleX, scaleY, flipX, flipY, skewX, skewY, ...size }
}

/**
 * Places `target`, an image of the same picture `factor` times the element's size (a mask overlay drawn at
 * display resolution), exactly over `image`, crop included.
 */
export function coverImage(image: FabricImage, target: FabricObject, factor: { x: number; y: number }): void {
  const box = visibleBox(image)
  const place = placeOver(image, box)
  target.set({
    ...place,
    scaleX: place.scaleX / factor.x,
    scaleY: place.scaleY / factor.y,
    cropX: box.x0 * factor.x,
    cropY: box.y0 * factor.y,
    width: place.width * factor.x,
    height: place.height * factor.y,
  })
}
