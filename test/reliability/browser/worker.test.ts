/**
 * Class 3 of the reliability issue in Chromium: workers that die or go silent are noticed (every waiting and later
 * call fails with WORKER_FAILED, dispose() still resolves), aborts reach the worker, and the start can be aborted.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSegmenter } from '@anymask/core'
import { makeScene } from '../../support/scenes.js'

const scene = makeScene(320, 240)
const click = { points: [{ ...scene.objects[0].inside, label: 1 as const }] }
const faulty = (fault: string) => `${location.origin}/test/reliability/browser/fixtures/faultyWorker.js#${fault}`

/** Records the workers the package starts (a subclass: they still run). */
function recordWorkers(): Worker[] {
  const started: Worker[] = []
  const Native = globalThis.Worker
  vi.stubGlobal(
    'Worker',
    class extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options)
        started.push(this)
      }
    },
  )
  return started
}
afterEach(() => vi.unstubAllGlobals())

describe('a worker that fails', () => {
  it.each(['silent', 'crash', 'close'])('%s: the waiting call and every later one fail with WORKER_FAILED; dispose resolves', async (fault) => {
    const segmenter = await createSegmenter({ device: 'wasm', workerUrl: faulty(fault), workerTimeout: 1500 })
    const started = Date.now()
    await expect(segmenter.encode(scene)).rejects.toMatchObject({ code: 'WORKER_FAILED' })
    expect(Date.now() - started).toBeLessThan(10_000)
    await expect(segmenter.encode(scene)).rejects.toMatchObject({ code: 'WORKER_FAILED' })
    await segmenter.dispose()
  })

  it.each([
    ['hang', 'The worker answers pings but reported no progress.'],
    ['mute', 'The worker never answered, not even a ping: its script did not run'],
    ['stuck', "The worker answers pings; its last report was 'init' on wasm."],
  ])('%s: a start that never ends fails with MODEL_LOAD_FAILED after startTimeout, saying how far it got; the worker is stopped', async (fault, state) => {
    const started = recordWorkers()
    const since = Date.now()
    const error = await createSegmenter({ device: 'wasm', workerUrl: faulty(fault), startTimeout: 1500, workerTimeout: 60_000 }).catch((e) => e)
    expect(error).toMatchObject({
      code: 'MODEL_LOAD_FAILED',
      message: expect.stringMatching(/did not start "anymask-lite" within 1500 ms.*Bundlers.*startTimeout/),
    })
    expect(error.message).toContain(state)
    // The worker timeout is far off, so only the start deadline could end the wait.
    expect(Date.now() - since).toBeGreaterThanOrEqual(1500)
    expect(Date.now() - since).toBeLessThan(30_000)
    expect(started).toHaveLength(1)
    const terminated = await new Promise((resolve) => {
      started[0].onmessage = () => resolve(false)
      started[0].postMessage({ id: 99, method: 'ping', args: [] })
      setTimeout(() => resolve(true), 1000)
    })
    expect(terminated).toBe(true) // a terminated worker answers nothing more
  })

  it('terminated under a session: decode fails with WORKER_FAILED instead of waiting for ever', async () => {
    const workers = recordWorkers()
    // The worker answers no ping during a model run, so the timeout must outlast a real encode on a loaded CI
    // machine (one took over 5 s there, and with 20 s this test failed once in a full run beside the storybook
    // project's software-WebGPU encodes): 40 s, and the failure is then seen about 40 s after the termination.
    const segmenter = await createSegmenter({ device: 'wasm', workerTimeout: 40_000 })
    const session = await segmenter.encode(scene)
    workers[0].terminate()
    await expect(session.decode(click)).rejects.toMatchObject({ code: 'WORKER_FAILED' })
    await expect(session.preview(click)).rejects.toMatchObject({ code: 'WORKER_FAILED' })
    await segmenter.dispose()
  })
})

it('a healthy worker idle for longer than workerTimeout is not taken for dead', async () => {
  // 30 s: the decode after the idle must fit in it on a loaded machine (a CI run once saw 15 s pass without an answer).
  const segmenter = await createSegmenter({ device: 'wasm', workerTimeout: 30_000 })
  const session = await segmenter.encode(scene)
  await new Promise((resolve) => setTimeout(resolve, 31_000))
  expect((await session.decode(click)).masks.length).toBeGreaterThan(0)
  await segmenter.dispose()
})

/** Keeps the page's own thread busy, as a long task of the host app (or a computer's sleep) would. */
function blockPage(ms: number): void {
  const until = Date.now() + ms
  while (Date.now() < until) {}
}

it('a page thread blocked for longer than workerTimeout does not take its busy worker for dead', async () => {
  // The worker's encode holds its thread for 7 s. The watchdog ticks once (at 1 s), then the page is blocked from
  // 1.5 s to 6.5 s, as a host app's long task or a computer's sleep would: the tick after the block must not count
  // the time the page could not listen as the worker's silence (5 s, the whole workerTimeout), only a tick's worth.
  const segmenter = await createSegmenter({ device: 'wasm', workerUrl: faulty('busy'), workerTimeout: 5000 })
  const encoding = segmenter.encode(scene)
  await new Promise((resolve) => setTimeout(resolve, 1500))
  blockPage(5000)
  await expect(encoding).resolves.toBeTypeOf('object')
  await segmenter.dispose()
})

describe('aborts', () => {
  it('an aborted encode rejects at once and the segmenter goes on working', async () => {
    const segmenter = await createSegmenter({ device: 'wasm' })
    const controller = new AbortController()
    const encoding = segmenter.encode(makeScene(1600, 1200), { signal: controller.signal })
    controller.abort()
    await expect(encoding).rejects.toMatchObject({ code: 'ABORTED' })
    const session = await segmenter.encode(scene)
    expect((await session.decode(click)).masks.length).toBeGreaterThan(0)
    await segmenter.dispose()
  }, 300_000) // a worker's start and two encodes: 22 s on an idle machine, over 120 s twice on a starved one (CI)

  it('a preview takes a signal', async () => {
    const segmenter = await createSegmenter({ device: 'wasm' })
    const session = await segmenter.encode(scene)
    await expect(session.preview(click, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' })
    const controller = new AbortController()
    const pending = session.preview(click, { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
    await segmenter.dispose()
  })

  it('createSegmenter stops while the worker starts, and the worker is terminated', async () => {
    const workers = recordWorkers()
    const terminate = vi.spyOn(Worker.prototype, 'terminate')
    const controller = new AbortController()
    const pending = createSegmenter({ device: 'wasm', signal: controller.signal })
    await vi.waitFor(() => expect(workers).toHaveLength(1), { timeout: 30_000 }) // 1 s by default: too short on a loaded machine
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
    expect(terminate).toHaveBeenCalled()
  })
})
