/**
 * Runs `task` for the latest request only: one run at a time, at most one request waiting; a waiting request
 * replaced by a newer one resolves to null. Made for hover previews that must keep up with the pointer.
 *
 * @example
 * const preview = new LatestWins((p: Prompt) => session.decode(p))
 * onPointerMove((p) => preview.request(p).then((r) => r && draw(r)))
 */
export class LatestWins<A, R> {
  private waiting: { arg: A; resolve: (r: R | null) => void; reject: (e: unknown) => void } | null = null
  private running = false

  constructor(private readonly task: (arg: A) => Promise<R>) {}

  /** Whether a run is in progress, and whether a request waits: for tests and instrumentation. */
  get state(): { running: boolean; waiting: boolean } {
    return { running: this.running, waiting: this.waiting !== null }
  }

  request(arg: A): Promise<R | null> {
    return new Promise((resolve, reject) => {
      this.waiting?.resolve(null)
      this.waiting = { arg, resolve, reject }
      if (!this.running) void this.pump()
    })
  }

  /** Drops the waiting request (it resolves to null); a run in progress finishes. */
  cancel(): void {
    this.waiting?.resolve(null)
    this.waiting = null
  }

  private async pump(): Promise<void> {
    this.running = true
    while (this.waiting) {
      const job = this.waiting
      this.waiting = null
      try {
        job.resolve(await this.task(job.arg))
      } catch (error) {
        job.reject(error)
      }
    }
    this.running = false
  }
}
