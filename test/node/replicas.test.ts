/**
 * Every public registry entry, loaded through its own spec from a local server in the hub's layout, runs its
 * replica (models/src/replicas.ts): each prompt the export can take, at three aspect ratios, against the masks
 * computed from CONTRACTS.md alone; prompts it cannot take are refused with a message that helps.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSegmenter, mirrorModel, models, type ImageSession, type ModelFile, type ModelSpec, type Segmenter } from '@anymask/core'
import { REPLICA_HUB, replicaPath } from '../../models/src/paths.js'
import { serveFolder, type HubServer } from '../support/hubServer.js'
import { caseNeeds, casePrompt, REPLICA_CASES, REPLICA_SIZES, runCase } from '../support/replicaCases.js'

const PUBLIC_IDS = Object.keys(models).filter((id) => id !== 'anymask-lite') as Exclude<keyof typeof models, 'anymask-lite'>[]

/** The registry's spec on the local server, with the replica's own sizes and sha256 in place of the real files'. */
export function replicaSpec(id: (typeof PUBLIC_IDS)[number], server: HubServer): ModelSpec {
  const spec: ModelSpec = models[id]
  const sha256: Partial<Record<ModelFile, string>> = {}
  const bytes: Partial<Record<ModelFile, number>> = {}
  for (const file of ['encoder', 'decoder', 'encoderData', 'decoderData'] as const) {
    const url = spec[file]
    if (typeof url !== 'string') continue
    const data = readFileSync(replicaPath(url))
    sha256[file] = createHash('sha256').update(data).digest('hex')
    bytes[file] = data.length
  }
  return { ...mirrorModel(spec, server.url), sha256, bytes }
}

const flatImage = (width: number, height: number) => ({ width, height, data: new Uint8ClampedArray(width * height * 4).fill(128) })

let server: HubServer
beforeAll(async () => {
  server = await serveFolder(REPLICA_HUB)
})
afterAll(() => server?.close())

describe.each(PUBLIC_IDS)('registry entry %s (replica)', (id) => {
  let segmenter: Segmenter
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: replicaSpec(id, server), device: 'wasm' })
  })
  afterAll(() => segmenter?.dispose())

  it('loads from its registry addresses (each file once) and reads what its export can take, as the registry says', () => {
    const spec = models[id] as ModelSpec
    const files = [spec.encoder, spec.decoder, spec.encoderData, spec.decoderData].filter((f): f is string => typeof f === 'string')
    for (const url of files) expect(server.requests).toContain(`/${url.replace('https://huggingface.co/', '')}`)
    expect(segmenter.prompts).toEqual(spec.prompts)
  })

  describe.each(REPLICA_SIZES)('%i x %i', (width, height) => {
    let session: ImageSession
    beforeAll(async () => {
      session = await segmenter.encode(flatImage(width, height))
    })
    afterAll(() => session?.dispose())

    it.each(REPLICA_CASES)('%s: the export\'s own answer, pixel for pixel', async (kind) => {
      const needs = caseNeeds(kind)
      if (needs && !segmenter.prompts[needs]) {
        const refused = kind === 'refine' ? session.decode({ ...casePrompt(kind, width, height), mask: { width: 256, height: 256, data: new Float32Array(256 * 256) } }) : session.decode(casePrompt(kind, width, height))
        const others = PUBLIC_IDS.filter((other) => (models[other] as ModelSpec).prompts?.[needs])
        await expect(refused).rejects.toMatchObject({ code: 'INVALID_PROMPT', message: expect.stringContaining(`"${id}" cannot take`) })
        await expect(refused).rejects.toThrow(others.join(', '))
        return
      }
      const outcome = await runCase(session, segmenter.model.contract, segmenter.prompts, kind)
      expect(outcome.scores).toEqual(outcome.expectedScores.map((s) => expect.closeTo(s, 6)))
      for (const error of outcome.errors) expect(error).toBe(0)
    })
  })
})
