/**
 * A timeout that counts only the time this thread was free to run. It ticks every `every` ms, and a tick that comes
 * late (a long task on the page, a frozen tab, a computer that slept) counts at most two ticks: what the timeout
 * waits for (a download's next bytes, a worker's answer) may have come during that pause, unread, and the browser
 * may run the overdue timer before it (seen in Chromium), so the pause is not charged to the network or the worker.
 *
 * @example
 * const stall = new AwakeTimer(30_000, () => controller.abort())
 * stall.restart() // on each chunk; stall.stop() when done
 */
export class AwakeTimer {
  /** Milliseconds counted since the last restart or reset. */
  elapsed = 0
  private last = 0
  private interval: ReturnType<typeof setInterval> | undefined

  constructor(
    private readonly limit: number,
    private readonly onExpire: (elapsed: number) => void,
    /** Called on each tick that does not expire (a worker's ping). */
    private readonly onTick?: () => void,
    private readonly every = Math.min(1_000, limit / 4),
  ) {}

  get running(): boolean {
    return this.interval !== undefined
  }

  /** Counts from zero, ticking if it was not. An infinite limit with nothing to do on ticks never ticks. */
  restart(): void {
    this.reset()
    if (this.interval || (!Number.isFinite(this.limit) && !this.onTick)) return
    this.interval = setInterval(() => this.tick(), this.every)
  }

  /** Counts from zero, without starting. */
  reset(): void {
    this.elapsed = 0
    this.last = performance.now()
  }

  stop(): void {
    clearInterval(this.interval)
    this.interval = undefined
  }

  private tick(): void {
    const now = performance.now()
    this.elapsed += Math.min(now - this.last, 2 * this.every)
    this.last = now
    if (this.elapsed < this.limit) {
      this.onTick?.()
      return
    }
    this.stop()
    this.onExpire(this.elapsed)
  }
}
