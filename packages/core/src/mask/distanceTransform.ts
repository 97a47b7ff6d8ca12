/**
 * Exact squared Euclidean distance from every pixel to the nearest pixel where `isSource` holds
 * (Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions", 2012): two passes of a 1-D lower
 * envelope of parabolas, O(pixels) whatever the distances. Pixels with no source at all get Infinity.
 */
export function squaredDistanceTransform(width: number, height: number, isSource: (i: number) => boolean): Float64Array {
  const d = new Float64Array(width * height)
  for (let i = 0; i < d.length; i++) d[i] = isSource(i) ? 0 : Infinity
  const n = Math.max(width, height)
  const f = new Float64Array(n)
  const out = new Float64Array(n)
  const v = new Int32Array(n)
  const z = new Float64Array(n + 1)
  // Columns, then rows.
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = d[y * width + x]
    envelope(f, height, out, v, z)
    for (let y = 0; y < height; y++) d[y * width + x] = out[y]
  }
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) f[x] = d[row + x]
    envelope(f, width, out, v, z)
    for (let x = 0; x < width; x++) d[row + x] = out[x]
  }
  return d
}

/** 1-D squared distance transform of `f` (first `n` values) into `out`: lower envelope of parabolas at sources. */
function envelope(f: Float64Array, n: number, out: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = -1
  for (let q = 0; q < n; q++) {
    if (f[q] === Infinity) continue
    // Pop the parabolas that the one at q hides, then push it.
    let s = -Infinity
    while (k >= 0) {
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k])
      if (s > z[k]) break
      k--
    }
    k++
    v[k] = q
    z[k] = k === 0 ? -Infinity : s
    z[k + 1] = Infinity
  }
  if (k < 0) {
    out.fill(Infinity, 0, n)
    return
  }
  let j = 0
  for (let q = 0; q < n; q++) {
    while (z[j + 1] < q) j++
    const dq = q - v[j]
    out[q] = dq * dq + f[v[j]]
  }
}
