/**
 * Every public registry entry in Chromium, as users load it: the built package, its Web Worker, WASM, the registry's
 * own addresses served from this origin in the hub's layout, Cache Storage and sha256. Each prompt the export can
 * take, at three aspect ratios, against the masks computed from CONTRACTS.md alone (test/support/replicaCases.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSegmenter, mirrorModel, models, type ImageSession, type ModelFile, type ModelSpec, type Segmenter } from '@anymask/core'
import { caseNeeds, REPLICA_CASES, REPLICA_SIZES, runCase } from '../support/replicaCases.js'

const HUB = `${location.origin}/models/dist/replicas/hub/`
const PUBLIC_IDS = Object.keys(models).filter((id) => id !== 'anymask-lite') as Exclude<keyof typeof models, 'anymask-lite'>[]

async function sha256(url: string): Promise<string> {
  const bytes = await (await fetch(url)).arrayBuffer()
  return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The registry's spec served from here, checked against the replica's own sha256. */
async function replicaSpec(id: (typeof PUBLIC_IDS)[number]): Promise<ModelSpec> {
  const spec = mirrorModel(models[id], HUB)
  const digests: Partial<Record<ModelFile, string>> = {}
  for (const file of ['encoder', 'decoder', 'encoderData', 'decoderData'] as const) {
    const url = spec[file]
    if (typeof url === 'string') digests[file] = await sha256(url)
  }
  return { ...spec, sha256: digests, bytes: undefined }
}

describe.each(PUBLIC_IDS)('registry entry %s (replica) in the worker', (id) => {
  let segmenter: Segmenter
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: await replicaSpec(id), device: 'wasm' })
  })
  afterAll(() => segmenter?.dispose())

  it('reads what its export can take, as the registry says', () => {
    expect(segmenter.prompts).toEqual((models[id] as ModelSpec).prompts)
  })

  describe.each(REPLICA_SIZES)('%i x %i', (width, height) => {
    let session: ImageSession
    beforeAll(async () => {
      session = await segmenter.encode({ width, height, data: new Uint8ClampedArray(width * height * 4).fill(128) })
    })
    afterAll(() => session?.dispose())

    it('answers every prompt its export takes, pixel for pixel, and refuses the others', async () => {
      for (const kind of REPLICA_CASES) {
        const needs = caseNeeds(kind)
        if (needs && !segmenter.prompts[needs]) continue // refusals are covered in Node, through the same engine
        const outcome = await runCase(session, segmenter.model.contract, segmenter.prompts, kind)
        expect(outcome.scores, kind).toEqual(outcome.expectedScores.map((s) => expect.closeTo(s, 6)))
        expect(outcome.errors, kind).toEqual(outcome.errors.map(() => 0))
      }
      if (!segmenter.prompts.box) {
        await expect(session.decode({ box: { x0: 1, y0: 1, x1: width - 1, y1: height - 1 } })).rejects.toMatchObject({ code: 'INVALID_PROMPT' })
      }
    })
  })
})
