/** Run lengths of a mask (alternating runs, first of zeros): compact enough to cross from Node to the browser. */
export function toRuns(mask: ArrayLike<number>): number[] {
  const runs: number[] = []
  let value = false
  let length = 0
  for (let i = 0; i < mask.length; i++) {
    const inside = mask[i] !== 0
    if (inside !== value) {
      runs.push(length)
      value = inside
      length = 0
    }
    length++
  }
  runs.push(length)
  return runs
}

export function fromRuns(runs: number[], size: number): Uint8Array {
  const mask = new Uint8Array(size)
  let offset = 0
  runs.forEach((length, k) => {
    if (k % 2 === 1) mask.fill(255, offset, offset + length)
    offset += length
  })
  return mask
}
