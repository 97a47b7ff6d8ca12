import { describe, expect, it } from 'vitest'
import { EmbeddingCache, hashBytes } from '../src/EmbeddingCache.js'

describe('EmbeddingCache', () => {
  it('creates once per key, keeps entries in use, and evicts the least recently used idle ones', async () => {
    const cache = new EmbeddingCache<string>(1)
    let created = 0
    const make = (v: string) => () => (created++, Promise.resolve(v))
    expect(await cache.acquire('a', make('A'))).toBe('A')
    expect(await cache.acquire('a', make('other'))).toBe('A')
    expect(created).toBe(1)
    await cache.acquire('b', make('B'))
    cache.release('a')
    cache.release('a')
    cache.release('b') // two idle entries, capacity one: 'a' (older) goes
    expect(cache.get('a')).toBeUndefined()
    expect(await cache.get('b')).toBe('B')
  })

  it('does not keep a failed creation', async () => {
    const cache = new EmbeddingCache<string>(4)
    await expect(cache.acquire('x', () => Promise.reject(new Error('no')))).rejects.toThrow('no')
    await new Promise((r) => setTimeout(r, 0))
    expect(cache.get('x')).toBeUndefined()
  })
})

describe('hashBytes', () => {
  it('is stable, 64-bit hex, and changes with any byte or the length', () => {
    const a = Uint8Array.from({ length: 1001 }, (_, i) => (i * 7) & 255)
    expect(hashBytes(a)).toBe(hashBytes(a.slice()))
    expect(hashBytes(a)).toMatch(/^[0-9a-f]{16}$/)
    for (const i of [0, 500, 1000]) {
      const b = a.slice()
      b[i] ^= 1
      expect(hashBytes(b)).not.toBe(hashBytes(a))
    }
    expect(hashBytes(a.subarray(0, 1000))).not.toBe(hashBytes(a))
  })
})
