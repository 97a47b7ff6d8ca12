import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnymaskError, createSegmenter, type ImageSession, type Segmenter } from '@anymask/core'
import { liteSpec } from '../../../test/support/liteModels.js'
import { makeScene } from '../../../test/support/scenes.js'

/** Awaits `promise` and returns the AnymaskError it rejects with (fails if it resolves or throws another error). */
async function rejection(promise: Promise<unknown>): Promise<AnymaskError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AnymaskError)
  return error as AnymaskError
}

const scene = makeScene(120, 90)
const click = { x: scene.objects[0].inside.x, y: scene.objects[0].inside.y, label: 1 as const }

describe('model errors', () => {
  it('MODEL_CONTRACT_MISMATCH names the missing and unexpected inputs and the contract that fits', async () => {
    const spec = { ...liteSpec('hf-sam'), contract: 'sam' as const }
    const error = await rejection(createSegmenter({ model: spec, device: 'wasm' }))
    expect(error.code).toBe('MODEL_CONTRACT_MISMATCH')
    expect(error.message).toContain('missing inputs [input_image]')
    expect(error.message).toContain('unexpected inputs [pixel_values]')
    expect(error.message).toContain("set contract: 'hf-sam'")
  })

  it('MODEL_CONTRACT_MISMATCH for a decoder of another contract', async () => {
    const spec = { ...liteSpec('sam'), decoder: liteSpec('sam2').decoder }
    const error = await rejection(createSegmenter({ model: spec, device: 'wasm' }))
    expect(error.code).toBe('MODEL_CONTRACT_MISMATCH')
    expect(error.message).toMatch(/decoder .*missing inputs \[image_embeddings, orig_im_size\]/)
    expect(error.message).toContain('high_res_feats_0')
  })

  it('MODEL_LOAD_FAILED for bytes that are not ONNX, saying what they look like', async () => {
    const html = new TextEncoder().encode('<!doctype html><html><body>404 Not Found</body></html>'.padEnd(200, ' '))
    const error = await rejection(createSegmenter({ model: { ...liteSpec('sam'), encoder: html }, device: 'wasm' }))
    expect(error.code).toBe('MODEL_LOAD_FAILED')
    expect(error.message).toMatch(/the encoder of "anymask-lite-sam"/i)
    expect(error.message).toContain('looks like HTML')

    const lfs = new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n')
    const lfsError = await rejection(createSegmenter({ model: { ...liteSpec('sam'), decoder: lfs }, device: 'wasm' }))
    expect(lfsError.message).toContain('Git LFS pointer')
  })

  it('MODEL_LOAD_FAILED for an unknown registry id, listing the known ones', async () => {
    const error = await rejection(createSegmenter({ model: 'sam-vit-z' }))
    expect(error.code).toBe('MODEL_LOAD_FAILED')
    expect(error.message).toContain('slimsam-77')
  })

  it('INTEGRITY_MISMATCH when a file does not have its sha256, and no error when it does', async () => {
    const spec = liteSpec('sam')
    const encoderHash = createHash('sha256')
      .update(spec.encoder as Uint8Array)
      .digest('hex')
    const wrong = encoderHash.replace(/^./, (c) => (c === '0' ? '1' : '0'))
    const error = await rejection(createSegmenter({ model: { ...spec, sha256: { encoder: wrong } }, device: 'wasm' }))
    expect(error.code).toBe('INTEGRITY_MISMATCH')
    expect(error.message).toContain(encoderHash)
    const ok = await createSegmenter({ model: { ...spec, sha256: { encoder: encoderHash.toUpperCase() } }, device: 'wasm' })
    await ok.dispose()
  })

  it('UNSUPPORTED_DEVICE for an unknown device, and for WebGPU where there is none', async () => {
    const unknown = await rejection(createSegmenter({ device: 'cuda' as never }))
    expect(unknown.code).toBe('UNSUPPORTED_DEVICE')
    expect(unknown.message).toContain("'auto'")
    const webgpu = await rejection(createSegmenter({ device: 'webgpu' }))
    expect(webgpu.code).toBe('UNSUPPORTED_DEVICE')
    expect(webgpu.message).toContain('no WebGPU adapter')
  })
})

describe('input errors', () => {
  let segmenter: Segmenter
  let session: ImageSession
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
    session = await segmenter.encode(scene)
  })
  afterAll(() => segmenter.dispose())

  it.each([
    ['no data', { width: 10, height: 10 }, 'missing'],
    ['an empty image', { data: new Uint8Array(0), width: 0, height: 0 }, 'above 0'],
    ['a fractional size', { data: new Uint8Array(40), width: 2.5, height: 4 }, 'whole numbers'],
    ['too few bytes', { data: new Uint8Array(10), width: 4, height: 4 }, 'needs 64'],
    ['RGB instead of RGBA', { data: new Uint8Array(48), width: 4, height: 4 }, 'looks like RGB'],
    ['data of the wrong type', { data: [1, 2, 3, 4], width: 1, height: 1 }, 'not a Uint8Array'],
    ['something else', 42, 'Cannot read pixels'],
  ])('INVALID_IMAGE for %s', async (_what, image, message) => {
    const error = await rejection(segmenter.encode(image as never))
    expect(error.code).toBe('INVALID_IMAGE')
    expect(error.message).toContain(message)
  })

  it.each([
    ['a point outside the image', { points: [{ x: 500, y: 10, label: 1 }] }, 'outside the image'],
    ['a negative coordinate', { points: [{ x: -1, y: 10, label: 1 }] }, 'outside the image'],
    ['a NaN coordinate', { points: [{ x: Number.NaN, y: 10, label: 1 }] }, 'finite numbers'],
    ['an inverted box', { box: { x0: 50, y0: 10, x1: 20, y1: 40 } }, 'inverted or empty'],
    ['an empty box', { box: { x0: 20, y0: 10, x1: 20, y1: 40 } }, 'inverted or empty'],
    ['an empty prompt', {}, 'The prompt is empty'],
    ['only background points', { points: [{ x: 5, y: 5, label: 0 }] }, 'only background points'],
    ['a label that is not 0 or 1', { points: [{ x: 5, y: 5, label: 2 }] }, 'use 1 for the object'],
    ['too many points', { points: Array.from({ length: 201 }, () => click) }, 'at most 200'],
    ['a mask of the wrong size', { mask: { width: 64, height: 64, data: new Float32Array(64 * 64) } }, '256x256'],
  ])('INVALID_PROMPT for %s', async (_what, prompt, message) => {
    const error = await rejection(session.decode(prompt as never))
    expect(error.code).toBe('INVALID_PROMPT')
    expect(error.message).toContain(message)
    const previewError = await rejection(session.preview(prompt as never))
    expect(previewError.code).toBe('INVALID_PROMPT')
  })
})

describe('lifetime errors', () => {
  it('DISPOSED after a session or a segmenter is disposed', async () => {
    const segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
    const session = await segmenter.encode(scene)
    await session.decode({ points: [click] })
    session.dispose()
    expect((await rejection(session.decode({ points: [click] }))).code).toBe('DISPOSED')
    expect((await rejection(session.preview({ points: [click] }))).code).toBe('DISPOSED')

    const other = await segmenter.encode(scene)
    await segmenter.dispose()
    expect((await rejection(segmenter.encode(scene))).code).toBe('DISPOSED')
    expect((await rejection(other.decode({ points: [click] }))).code).toBe('DISPOSED')
  })

  it('ABORTED for an aborted signal on createSegmenter, encode and decode', async () => {
    const aborted = AbortSignal.abort()
    expect((await rejection(createSegmenter({ model: liteSpec('sam'), signal: aborted }))).code).toBe('ABORTED')
    const segmenter = await createSegmenter({ model: liteSpec('sam'), device: 'wasm' })
    expect((await rejection(segmenter.encode(scene, { signal: aborted }))).code).toBe('ABORTED')
    const session = await segmenter.encode(scene)
    expect((await rejection(session.decode({ points: [click] }, { signal: aborted }))).code).toBe('ABORTED')
    // Aborting while a decode runs rejects at once; the session stays usable.
    const controller = new AbortController()
    const pending = session.decode({ points: [click] }, { signal: controller.signal })
    controller.abort()
    expect((await rejection(pending)).code).toBe('ABORTED')
    expect((await session.decode({ points: [click] })).masks.length).toBe(3)
    await segmenter.dispose()
  })
})
