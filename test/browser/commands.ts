/**
 * Commands the browser tests run in Node (vitest browser `commands`): the same segmentation on onnxruntime-web's
 * Node WASM backend, so browser results can be compared with Node's.
 */
import type { BrowserCommand } from 'vitest/node'
import { createSegmenter, type ImageSession, type Segmenter } from '../../packages/core/src/index.js'
import { liteSpec, type LiteContract } from '../support/liteModels.js'
import { makeScene, type Scene } from '../support/scenes.js'
import { runPrompt, type PromptKind } from '../support/prompts.js'
import { toRuns } from '../support/rle.js'
import { startFaultyServer, type Fault } from '../support/faultyServer.js'
import { hasGrabcut, photoMessage } from '../eval/grabcut.js'

const segmenters = new Map<LiteContract, Promise<Segmenter>>()
const sessions = new Map<string, Promise<{ scene: Scene; session: ImageSession }>>()

function sessionFor(contract: LiteContract, width: number, height: number) {
  const key = `${contract} ${width}x${height}`
  if (!sessions.has(key)) {
    if (!segmenters.has(contract)) segmenters.set(contract, createSegmenter({ model: liteSpec(contract), device: 'wasm' }))
    sessions.set(
      key,
      segmenters.get(contract)!.then(async (segmenter) => {
        const scene = makeScene(width, height)
        return { scene, session: await segmenter.encode(scene) }
      }),
    )
  }
  return sessions.get(key)!
}

/** The Node mask for one prompt, as run lengths. */
export const nodeSegment: BrowserCommand<[LiteContract, number, number, PromptKind, number]> = async (_context, contract, width, height, kind, objectIndex) => {
  const { scene, session } = await sessionFor(contract, width, height)
  return toRuns(await runPrompt(session, kind, scene, objectIndex))
}

let faulty: ReturnType<typeof startFaultyServer> | undefined
/** The base address of a misbehaving loopback server (test/support/faultyServer.ts), started once. */
export const faultyServerUrl: BrowserCommand<[Fault]> = async (_context, fault) => (await (faulty ??= startFaultyServer())).url(fault)

/** GrabCut photograph `index` (sorted by name) for the page, or null where ../shared/data/grabcut is absent. */
export const grabcutPhoto: BrowserCommand<[number]> = async (_context, index) => (hasGrabcut() ? photoMessage(index) : null)
