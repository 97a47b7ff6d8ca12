/**
 * Synthetic scenes with exact ground truth: objects of distinct colour and fine texture on a textured
 * background, laid out in fractions of the image so that every size shows the same scene.
 * Pure typed-array code: used by the Node tests and, through the same module, by the browser tests.
 */

export interface SceneObject {
  name: string
  /** Exact mask: 1 where the pixel centre is inside the shape. */
  mask: Uint8Array
  /** A point well inside the object, and a tight box around it, in image pixels. */
  inside: { x: number; y: number }
  box: { x0: number; y0: number; x1: number; y1: number }
}

export interface Scene {
  width: number
  height: number
  data: Uint8ClampedArray
  objects: SceneObject[]
  /** A point on the background, far from every object. */
  background: { x: number; y: number }
}

/** Deterministic per-pixel noise in [-1, 1]. */
function noise(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 374761393) + Math.imul(y, 668265263) + Math.imul(seed, 2246822519)
  h = Math.imul(h ^ (h >>> 13), 1274126177)
  return ((h ^ (h >>> 16)) & 0xffff) / 32767.5 - 1
}

interface Shape {
  name: string
  colour: [number, number, number]
  /** Inside test in fractions of the image (u = x / width, v = y / height). */
  contains(u: number, v: number, aspect: number): boolean
  centre: [number, number]
}

function shapes(): Shape[] {
  return [
    {
      name: 'red disc',
      colour: [205, 45, 50],
      // A circle in pixels: radius 0.2 of the short side.
      contains: (u, v, aspect) => {
        const du = (u - 0.3) * Math.max(aspect, 1)
        const dv = (v - 0.5) * Math.max(1 / aspect, 1)
        return du * du + dv * dv < 0.2 * 0.2
      },
      centre: [0.3, 0.5],
    },
    {
      name: 'blue rectangle',
      colour: [40, 70, 200],
      contains: (u, v) => u > 0.6 && u < 0.9 && v > 0.2 && v < 0.75,
      centre: [0.75, 0.475],
    },
  ]
}

/** The tight box (x1, y1 exclusive) of the pixels of a `width`-wide plane for which `inside` holds. */
export function pixelBounds(plane: ArrayLike<number>, width: number, inside: (value: number) => boolean) {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity
  for (let i = 0; i < plane.length; i++) {
    if (!inside(plane[i])) continue
    const x = i % width
    const y = (i - x) / width
    x0 = Math.min(x0, x)
    y0 = Math.min(y0, y)
    x1 = Math.max(x1, x + 1)
    y1 = Math.max(y1, y + 1)
  }
  return { x0, y0, x1, y1 }
}

/** Colours far from each other and from the greenish-grey background. */
const PALETTE: [number, number, number][] = [
  [205, 45, 50],
  [40, 70, 200],
  [235, 215, 40],
  [200, 40, 190],
  [240, 140, 30],
  [30, 200, 220],
  [110, 40, 150],
  [245, 245, 245],
  [25, 25, 25],
]

/**
 * `count` (at most 9) objects on a grid of equal cells, discs and squares in turn, each in a colour of its own and
 * a little off its cell's centre: a scene for everything mode, whose answer is every object.
 */
export function manyObjects(count: number): Shape[] {
  const columns = Math.ceil(Math.sqrt(count))
  const rows = Math.ceil(count / columns)
  return Array.from({ length: count }, (_, k) => {
    const cu = ((k % columns) + 0.5) / columns + 0.02 * ((k % 3) - 1)
    const cv = (Math.floor(k / columns) + 0.5) / rows
    const r = 0.3 / Math.max(columns, rows) // fractions of the image, so objects are apart at any aspect ratio
    const disc = k % 2 === 0
    return {
      name: `${disc ? 'disc' : 'square'} ${k + 1}`,
      colour: PALETTE[k],
      contains: (u: number, v: number) => (disc ? (u - cu) ** 2 + (v - cv) ** 2 < r * r : Math.abs(u - cu) < r && Math.abs(v - cv) < r),
      centre: [cu, cv] as [number, number],
    }
  })
}

/** The scene at `width` x `height`: the red disc and the blue rectangle, or the `list` given. */
export function makeScene(width: number, height: number, list: Shape[] = shapes()): Scene {
  const aspect = width / height
  const data = new Uint8ClampedArray(width * height * 4)
  const masks = list.map(() => new Uint8Array(width * height))
  for (let y = 0; y < height; y++) {
    const v = (y + 0.5) / height
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5) / width
      const i = y * width + x
      const p = i * 4
      const k = list.findIndex((s) => s.contains(u, v, aspect))
      if (k >= 0) {
        masks[k][i] = 1
        const t = noise(x, y, k + 1) * 10 // fine texture on the object
        const [r, g, b] = list[k].colour
        data[p] = r + t
        data[p + 1] = g + t
        data[p + 2] = b + t
      } else {
        // Textured greenish-grey background with a gentle gradient.
        const t = noise(x, y, 99) * 14
        data[p] = 95 + 30 * u + t
        data[p + 1] = 150 - 20 * v + t
        data[p + 2] = 90 + t
      }
      data[p + 3] = 255
    }
  }
  const objects = list.map((s, k) => ({
    name: s.name,
    mask: masks[k],
    inside: { x: s.centre[0] * width, y: s.centre[1] * height },
    box: pixelBounds(masks[k], width, (m) => m !== 0),
  }))
  return { width, height, data, objects, background: { x: 0.47 * width, y: 0.12 * height } }
}

/** Intersection over union of two masks (any non-zero byte is inside). */
export function iou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let inter = 0
  let union = 0
  for (let i = 0; i < a.length; i++) {
    const p = a[i] !== 0
    const q = b[i] !== 0
    if (p && q) inter++
    if (p || q) union++
  }
  return union === 0 ? 1 : inter / union
}

/** The sizes the issue asks for, plus an ordinary photo size. */
export const SCENE_SIZES: [number, number][] = [
  [800, 600],
  [1000, 333],
  [333, 1000],
  [64, 48],
  [4000, 3000],
]
