/**
 * Class 2 and 3 of the reliability issue in Chromium, against a misbehaving loopback server (another origin, with
 * CORS): stalls are given up after `stallTimeout`, bad bodies are refused, and none of it reaches Cache Storage.
 */
import { describe, expect, it } from 'vitest'
import { commands } from 'vitest/browser'
import { createSegmenter } from '@anymask/core'

declare module 'vitest/browser' {
  interface BrowserCommands {
    faultyServerUrl(fault: 'stall-before-headers' | 'stall-mid-body' | 'truncated' | 'error-page'): Promise<string>
  }
}

const encoder = `${location.origin}/models/dist/anymask-lite/sam/encoder.onnx`

describe('downloads that go wrong, in the browser', () => {
  it.each([
    ['stall-before-headers', 'stalled: no data for 0.5 s'],
    ['stall-mid-body', 'stalled'],
    ['truncated', 'MODEL_LOAD_FAILED'],
    ['error-page', 'looks like HTML'],
  ] as const)('%s: MODEL_LOAD_FAILED (%s), and nothing is cached', async (fault, says) => {
    const decoder = await commands.faultyServerUrl(fault)
    // A short stall limit only where the stall is the fault: elsewhere a loaded machine must not trip it.
    const stallTimeout = fault.startsWith('stall') ? 500 : 10_000
    const error = await createSegmenter({ model: { id: fault, contract: 'sam', encoder, decoder }, device: 'wasm', stallTimeout }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'MODEL_LOAD_FAILED' })
    expect(`${(error as Error & { code: string }).code} ${(error as Error).message}`).toContain(says)
    expect(await (await caches.open('anymask-models-v1')).match(decoder)).toBeUndefined()
  })
})
