import { describe, expect, it } from 'vitest'
import { LatestWins } from '../src/LatestWins.js'

describe('LatestWins', () => {
  it('under a burst of 50 calls runs the first and the last, one at a time; the rest resolve to null', async () => {
    let running = 0
    let maxRunning = 0
    const ran: number[] = []
    const scheduler = new LatestWins(async (n: number) => {
      running++
      maxRunning = Math.max(maxRunning, running)
      ran.push(n)
      await new Promise((r) => setTimeout(r, 5))
      running--
      return n * 10
    })
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => scheduler.request(i)))
    expect(ran).toEqual([0, 49])
    expect(maxRunning).toBe(1)
    expect(results[0]).toBe(0)
    expect(results[49]).toBe(490)
    expect(results.slice(1, 49).every((r) => r === null)).toBe(true)
    expect(scheduler.state).toEqual({ running: false, waiting: false })
  })

  it('keeps at most one request waiting while a run is in progress', async () => {
    let release!: () => void
    const scheduler = new LatestWins((n: number) => new Promise<number>((r) => (release = () => r(n))))
    const first = scheduler.request(1)
    const second = scheduler.request(2)
    const third = scheduler.request(3)
    expect(scheduler.state).toEqual({ running: true, waiting: true })
    expect(await second).toBeNull()
    release()
    expect(await first).toBe(1)
    await new Promise((r) => setTimeout(r, 0))
    release()
    expect(await third).toBe(3)
  })

  it('passes errors to the caller whose run failed and keeps going', async () => {
    const scheduler = new LatestWins(async (n: number) => {
      if (n === 1) throw new Error('boom')
      return n
    })
    await expect(scheduler.request(1)).rejects.toThrow('boom')
    expect(await scheduler.request(2)).toBe(2)
  })
})
