/**
 * Every public registry entry, loaded through its own spec from a local server in the hub's layout, runs its
 * replica (models/src/replicas.ts): each prompt the export can take, at three aspect ratios, against the masks
 * computed from CONTRACTS.md alone; prompts it cannot take are refused with a message that helps.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  chosenMask,
  createSegmenter,
  mirrorModel,
  models,
  SelectionStore,
  type ImageSession,
  type ModelFile,
  type ModelSpec,
  type Segmenter,
} from '@anymask/core'
import { REPLICA_HUB, REPLICA_VARIANTS, replicaPath } from '../../models/src/paths.js'
import { TOKEN_SCORES } from '../../models/src/replicaGeometry.js'
import { serveFolder, type StaticServer } from '../support/staticServer.js'
import { caseNeeds, casePrompt, REPLICA_CASES, REPLICA_SIZES, runCase } from '../support/replicaCases.js'

const PUBLIC_IDS = Object.keys(models).filter((id) => id !== 'anymask-lite') as Exclude<keyof typeof models, 'anymask-lite'>[]

/** The registry's spec on the local server, with the replica's own sizes and sha256 in place of the real files'. */
function replicaSpec(id: (typeof PUBLIC_IDS)[number], server: StaticServer): ModelSpec {
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

let server: StaticServer
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

    it.each(REPLICA_CASES)("%s: the export's own answer, pixel for pixel", async (kind) => {
      const needs = caseNeeds(kind)
      if (needs && !segmenter.prompts[needs]) {
        const refused =
          kind === 'refine'
            ? session.decode({ ...casePrompt(kind, width, height), mask: { width: 256, height: 256, data: new Float32Array(256 * 256) } })
            : session.decode(casePrompt(kind, width, height))
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

/** A variant replica (models/src/replicas.ts VARIANTS) as bytes. */
const variantSpec = (name: string, contract: ModelSpec['contract']): ModelSpec => ({
  id: name,
  contract,
  encoder: readFileSync(join(REPLICA_VARIANTS, name, 'encoder.onnx')),
  decoder: readFileSync(join(REPLICA_VARIANTS, name, 'decoder.onnx')),
})

describe.each([
  ['sam-single-mask', 'sam', { box: true, mask: true, candidates: 1, singleMask: true }],
  ['sam-extra-metrics', 'sam', { box: true, mask: true, candidates: 3, singleMask: true }],
  ['hf-sam-boxes', 'hf-sam', { box: true, mask: false, candidates: 3, singleMask: false }],
] as const)('export variant %s', (name, contract, prompts) => {
  let segmenter: Segmenter
  let session: ImageSession
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: variantSpec(name, contract), device: 'wasm' })
    session = await segmenter.encode(flatImage(1500, 1000))
  })
  afterAll(() => segmenter?.dispose())

  it('is read for what it can take', () => {
    expect(segmenter.prompts).toEqual(prompts)
  })

  it.each(REPLICA_CASES)("%s: the export's own answer, pixel for pixel", async (kind) => {
    const needs = caseNeeds(kind)
    if (needs && !prompts[needs]) {
      const earlier = await session.decode(casePrompt('point', 1500, 1000))
      return expect(session.decode({ ...casePrompt(kind, 1500, 1000), mask: earlier.lowRes[0] })).rejects.toMatchObject({ code: 'INVALID_PROMPT' })
    }
    const outcome = await runCase(session, contract, prompts, kind)
    expect(outcome.scores).toEqual(outcome.expectedScores.map((s) => expect.closeTo(s, 6)))
    for (const error of outcome.errors) expect(error).toBe(0)
  })
})

describe('a single-mask sam export (--return-single-mask: the graph picks by the number of points)', () => {
  it("gives SAM's single answer (token 0) when asked, even for one point or a box alone, and its best candidate for one point", async () => {
    const segmenter = await createSegmenter({ model: variantSpec('sam-single-mask', 'sam'), device: 'wasm' })
    const session = await segmenter.encode(flatImage(1500, 1000))
    const [token0, best] = [TOKEN_SCORES[0], Math.max(...TOKEN_SCORES.slice(1))]
    const click = casePrompt('point', 1500, 1000)
    const box = casePrompt('box', 1500, 1000)
    expect((await session.decode(click)).scores).toEqual([expect.closeTo(best, 6)]) // one point: multimask, the graph's best
    expect((await session.decode(click, { multimask: false })).scores).toEqual([expect.closeTo(token0, 6)])
    expect((await session.decode(box)).scores).toEqual([expect.closeTo(token0, 6)]) // SAM's rule: a box is unambiguous
    expect((await session.decode(box, { multimask: true })).scores).toEqual([expect.closeTo(best, 6)])
    await segmenter.dispose()
  })
})

it('names the contract a decoder matches when the spec names another', async () => {
  const spec = replicaSpec('sam2.1-tiny', server)
  await expect(createSegmenter({ model: { ...spec, contract: 'hf-sam' }, device: 'wasm' })).rejects.toMatchObject({
    code: 'MODEL_CONTRACT_MISMATCH',
    message: expect.stringContaining("set contract: 'hf-sam2'"),
  })
})

it('an interactive selection (SelectionStore) refines an export without a mask input from its points alone', async () => {
  const segmenter = await createSegmenter({ model: replicaSpec('slimsam-77', server), device: 'wasm' })
  const session = await segmenter.encode(flatImage(1500, 1000))
  const store = new SelectionStore(session)
  const [first, second] = casePrompt('two points', 1500, 1000).points!
  await store.addPoint(first)
  const one = chosenMask(store.getSnapshot().objects[0])!
  await store.addPoint(second)
  const { error, objects } = store.getSnapshot()
  expect(error).toBeNull()
  const two = chosenMask(objects[0])!
  // The second click joins a second disk of the same size to the first: twice the area, to a pixel or two.
  expect(two.area / one.area).toBeCloseTo(2, 2)
  await segmenter.dispose()
})
