import { checkOptions, optionalNumber } from '../options.js'
import type { Mask } from '../types.js'
import { assertMask } from './assertMask.js'

/** A closed outline along pixel edges, in image pixels; `hole` outlines run the other way round. */
export interface Polygon {
  points: [number, number][]
  hole: boolean
}

/**
 * Traces the outlines of a mask (non-zero = inside) along pixel edges: every region gives an outer polygon
 * (clockwise on screen) and one per hole. Diagonal neighbours belong to one region (8-connectivity), matching
 * labelRegions. With `tolerance` > 0, outlines are simplified (Ramer-Douglas-Peucker) to within that many pixels.
 *
 * @example
 * const polygons = maskToPolygons(mask, { tolerance: 1 })
 */
export function maskToPolygons(mask: Mask, options: { tolerance?: number } = {}): Polygon[] {
  assertMask(mask, 'maskToPolygons')
  const tolerance = optionalNumber(checkOptions(options, 'maskToPolygons').tolerance, 0, 'maskToPolygons', 'options.tolerance', { min: 0 })
  return outlines(mask).map(({ corners, hole }) => {
    const points: [number, number][] = []
    for (let i = 0; i < corners.length; i += 2) points.push([corners[i], corners[i + 1]])
    return { points: tolerance > 0 ? simplifyClosed(points, tolerance) : points, hole }
  })
}

/** The outlines' corners as flat [x0, y0, x1, y1, ...] lists (no tuple per pixel edge: hover previews trace often). */
function outlines(mask: Mask): { corners: number[]; hole: boolean }[] {
  const { width, data } = mask
  // The work is confined to the non-zero pixels' bounds (a hover preview's object is a small part of the frame):
  // vertices are numbered within them, and moved back to the mask's coordinates at the end.
  const { left, top, right, bottom } = bounds(mask)
  if (right < left) return []
  const w = right - left + 1
  const h = bottom - top + 1
  const stride = w + 1
  // Boundary edges, directed so that the inside is on the right (y down): out[vertex] = up to two next vertices.
  const next = new Int32Array(stride * (h + 1) * 2).fill(-1)
  const addEdge = (x0: number, y0: number, x1: number, y1: number) => {
    const v = (y0 * stride + x0) * 2
    next[next[v] < 0 ? v : v + 1] = y1 * stride + x1
  }
  // Plain indexing (this loop visits every pixel in the bounds): a hover preview is traced for each pointer move.
  for (let y = 0; y < h; y++) {
    const row = (top + y) * width + left
    for (let x = 0; x < w; x++) {
      if (data[row + x] === 0) continue
      if (y === 0 || data[row - width + x] === 0) addEdge(x, y, x + 1, y)
      if (x === w - 1 || data[row + x + 1] === 0) addEdge(x + 1, y, x + 1, y + 1)
      if (y === h - 1 || data[row + width + x] === 0) addEdge(x + 1, y + 1, x, y + 1)
      if (x === 0 || data[row + x - 1] === 0) addEdge(x, y + 1, x, y)
    }
  }
  const found: { corners: number[]; hole: boolean }[] = []
  for (let start = 0; start < next.length; start++) {
    if (next[start] < 0) continue
    const vertices: number[] = []
    let from = start >> 1
    let slot = start
    let dx = 0
    let dy = 0
    for (;;) {
      const to = next[slot]
      next[slot] = -1
      vertices.push(from)
      const ndx = (to % stride) - (from % stride)
      const ndy = Math.floor(to / stride) - Math.floor(from / stride)
      dx = ndx
      dy = ndy
      from = to
      const a = from * 2
      if (next[a] < 0 && next[a + 1] < 0) break
      // At a saddle (two ways on), turn left, onto the diagonal neighbour's edge: one outline for both pixels.
      if (next[a] >= 0 && next[a + 1] >= 0) {
        const turnsLeft = (v: number) => (v % stride) - (from % stride) === dy && Math.floor(v / stride) - Math.floor(from / stride) === -dx
        slot = turnsLeft(next[a + 1]) ? a + 1 : a
      } else {
        slot = next[a] >= 0 ? a : a + 1
      }
    }
    // Only the corners: the vertices where the outline turns.
    const n = vertices.length
    const corners: number[] = []
    for (let i = 0; i < n; i++) {
      const a = vertices[(i + n - 1) % n]
      const p = vertices[i]
      const b = vertices[(i + 1) % n]
      const px = p % stride
      const py = (p - px) / stride
      const ax = a % stride
      const bx = b % stride
      if ((px - ax) * ((b - bx) / stride - py) - (py - (a - ax) / stride) * (bx - px) === 0) continue
      corners.push(px + left, py + top)
    }
    found.push({ corners, hole: flatSignedArea(corners) < 0 })
  }
  return found
}

/** The first and last rows and columns holding a non-zero pixel (right < left when there is none). */
function bounds({ width, height, data }: Mask): { left: number; top: number; right: number; bottom: number } {
  let left = width
  let right = -1
  let top = height
  let bottom = -1
  for (let y = 0; y < height; y++) {
    const row = y * width
    let x = 0
    while (x < width && data[row + x] === 0) x++
    if (x === width) continue
    let end = width - 1
    while (data[row + end] === 0) end--
    if (x < left) left = x
    if (end > right) right = end
    if (y < top) top = y
    bottom = y
  }
  return { left, top, right, bottom }
}

/** Shoelace area; positive for clockwise outlines on screen (y down). */
export const signedArea = (points: [number, number][]): number => flatSignedArea(points.flat())

/** `signedArea` of a flat [x0, y0, x1, y1, ...] outline. */
function flatSignedArea(xy: number[]): number {
  let sum = 0
  for (let i = 0; i < xy.length; i += 2) {
    const j = (i + 2) % xy.length
    sum += xy[i] * xy[j + 1] - xy[j] * xy[i + 1]
  }
  return sum / 2
}

function distanceToSegment(p: [number, number], a: [number, number], b: [number, number]): number {
  const vx = b[0] - a[0]
  const vy = b[1] - a[1]
  const len2 = vx * vx + vy * vy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / len2))
  return Math.hypot(p[0] - a[0] - t * vx, p[1] - a[1] - t * vy)
}

/** Points per RDP run: splitting longer outlines there keeps simplification linear in the outline's length. */
const RUN = 256

/**
 * Ramer-Douglas-Peucker on points[from..to] (both kept), with an explicit stack instead of recursion: marks in `keep`
 * the points the simplified run keeps.
 */
function simplifyRun(points: [number, number][], from: number, to: number, tolerance: number, keep: Uint8Array): void {
  const stack = [from, to]
  while (stack.length) {
    const b = stack.pop()!
    const a = stack.pop()!
    let farthest = 0
    let index = -1
    for (let i = a + 1; i < b; i++) {
      const d = distanceToSegment(points[i], points[a], points[b])
      if (d > farthest) {
        farthest = d
        index = i
      }
    }
    if (index < 0 || farthest <= tolerance) continue
    keep[index] = 1
    stack.push(a, index, index, b)
  }
}

/**
 * Ramer-Douglas-Peucker on a closed outline, split at its first point and the point farthest from it, and into runs
 * of at most RUN points (each run's ends are kept): every dropped point is within `tolerance` of the outline kept,
 * and the cost is linear in the outline's length, however long and jagged.
 */
function simplifyClosed(points: [number, number][], tolerance: number): [number, number][] {
  if (points.length <= 4) return points
  let far = 0
  let best = -1
  points.forEach((p, i) => {
    const d = Math.hypot(p[0] - points[0][0], p[1] - points[0][1])
    if (d > best) {
      best = d
      far = i
    }
  })
  const ring = [...points, points[0]]
  const keep = new Uint8Array(ring.length)
  keep[0] = keep[far] = keep[ring.length - 1] = 1
  for (const [start, end] of [
    [0, far],
    [far, ring.length - 1],
  ]) {
    for (let a = start; a < end; a += RUN) {
      const b = Math.min(a + RUN, end)
      keep[a] = keep[b] = 1
      simplifyRun(ring, a, b, tolerance, keep)
    }
  }
  return points.filter((_, i) => keep[i] === 1)
}

/**
 * An SVG path of the mask's outlines (holes included; use fill-rule="evenodd" or the default nonzero: holes
 * run the other way).
 *
 * @example
 * `<path d="${maskToSvgPath(mask, { tolerance: 0.5 })}" />`
 */
export function maskToSvgPath(mask: Mask, options: { tolerance?: number } = {}): string {
  // Options are checked as maskToPolygons' (this is its drawing); unsimplified outlines skip its [x, y] pairs.
  const tolerance = optionalNumber(checkOptions(options, 'maskToPolygons').tolerance, 0, 'maskToPolygons', 'options.tolerance', { min: 0 })
  assertMask(mask, 'maskToPolygons')
  const rings = tolerance > 0 ? maskToPolygons(mask, options).map(({ points }) => points.flat()) : outlines(mask).map((o) => o.corners)
  let path = ''
  for (const xy of rings) {
    path += `M${xy[0]} ${xy[1]}`
    for (let i = 2; i < xy.length; i += 2) path += `L${xy[i]} ${xy[i + 1]}`
    path += 'Z'
  }
  return path
}
