/** Reading back what a canvas shows: where a colour is drawn, found from the pixels alone. */

/**
 * The centre (pixel centres, x + 0.5) of the opaque pixels within 60 (sum of channel differences) of `colour`, and
 * how many there are. For convex objects the centre lies inside them, wherever a transform put them.
 */
export function colourCentroid(pixels: ArrayLike<number>, width: number, colour: readonly number[]): { x: number; y: number; n: number } {
  let x = 0,
    y = 0,
    n = 0
  for (let i = 0; i < pixels.length; i += 4) {
    const d = Math.abs(pixels[i] - colour[0]) + Math.abs(pixels[i + 1] - colour[1]) + Math.abs(pixels[i + 2] - colour[2])
    if (pixels[i + 3] === 255 && d < 60) (x += (i / 4) % width), (y += Math.floor(i / 4 / width)), n++
  }
  return { x: x / n + 0.5, y: y / n + 0.5, n }
}
