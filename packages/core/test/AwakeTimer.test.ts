import { describe, expect, it } from 'vitest'
import { AwakeTimer } from '../src/AwakeTimer.js'

const busy = (ms: number) => {
  const until = performance.now() + ms
  while (performance.now() < until) {}
}

describe('AwakeTimer', () => {
  it('expires once, after at least its limit', async () => {
    const expiries: number[] = []
    const started = performance.now()
    const timer = new AwakeTimer(100, (elapsed) => expiries.push(elapsed))
    timer.restart()
    await new Promise((r) => setTimeout(r, 400))
    expect(expiries).toHaveLength(1)
    expect(expiries[0]).toBeGreaterThanOrEqual(100)
    expect(performance.now() - started).toBeGreaterThanOrEqual(100)
    expect(timer.running).toBe(false)
  })

  it('charges a busy spell of 20 ticks as two: the thread could not have heard an answer in it', async () => {
    let expired = false
    let ticked: () => void = () => {}
    const timer = new AwakeTimer(
      400,
      () => (expired = true),
      () => ticked(),
      100,
    )
    timer.restart()
    busy(2_000)
    await new Promise<void>((r) => (ticked = r))
    expect(timer.elapsed).toBeLessThanOrEqual(200)
    expect(expired).toBe(false)
    timer.stop()
  })

  it('counts from zero again after reset, and an infinite limit with nothing to do never ticks', async () => {
    const timer = new AwakeTimer(200, () => {}, undefined, 20)
    timer.restart()
    await new Promise((r) => setTimeout(r, 100))
    expect(timer.elapsed).toBeGreaterThan(0)
    timer.reset()
    expect(timer.elapsed).toBe(0)
    timer.stop()
    const never = new AwakeTimer(Number.POSITIVE_INFINITY, () => {})
    never.restart()
    expect(never.running).toBe(false)
  })
})
