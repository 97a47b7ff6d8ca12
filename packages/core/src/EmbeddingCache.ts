/**
 * Encoded images by content. Entries that a live ImageSession uses are kept; of the others, the `capacity`
 * most recently used are kept, so encoding an image seen recently is instant.
 */
export class EmbeddingCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; refs: number }>()

  constructor(private readonly capacity: number) {}

  /** The entry for `key` (counted as used), or a new one from `create`. */
  acquire(key: string, create: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key)
    if (!entry) {
      entry = { value: create(), refs: 0 }
      // A failed encode must not stay cached.
      entry.value.catch(() => this.entries.get(key) === entry && this.entries.delete(key))
    }
    this.entries.delete(key) // re-insert: Map order is our recency order
    this.entries.set(key, entry)
    entry.refs++
    return entry.value
  }

  get(key: string): Promise<T> | undefined {
    return this.entries.get(key)?.value
  }

  release(key: string): void {
    const entry = this.entries.get(key)
    if (entry && entry.refs > 0) entry.refs--
    this.evict()
  }

  clear(): void {
    this.entries.clear()
  }

  private evict(): void {
    const idle = [...this.entries].filter(([, e]) => e.refs === 0)
    for (const [key] of idle.slice(0, Math.max(0, idle.length - this.capacity))) this.entries.delete(key)
  }
}

/** A 64-bit content hash (two FNV-1a style lanes over 32-bit words) as hex: fast enough for megapixel images. */
export function hashBytes(bytes: Uint8Array): string {
  let h1 = 0x811c9dc5 ^ bytes.length
  let h2 = 0x01000193 ^ Math.imul(bytes.length, 0x9e3779b1)
  const words = Math.floor(bytes.length / 4)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let i = 0; i < words; i++) {
    const w = view.getUint32(i * 4, true)
    h1 = Math.imul(h1 ^ w, 0x01000193)
    h2 = Math.imul(h2 ^ w, 0x5bd1e995) ^ (h2 >>> 15)
  }
  for (let i = words * 4; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i], 0x01000193)
    h2 = Math.imul(h2 ^ bytes[i], 0x5bd1e995)
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0')
}
