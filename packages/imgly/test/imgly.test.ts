import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMask, createSegmenter, type ImageSession, type Segmenter } from '@anymask/core'
import { refineWithSam, removeBackground, selectSubject } from '@anymask/imgly'
import { iou, makeScene } from '../../../test/support/scenes.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const image = { data: new Uint8ClampedArray(8 * 6 * 4), width: 8, height: 6 }

describe('@anymask/imgly options are checked before anything loads', () => {
  it.each([
    [{ model: 'isnet' }, 'INVALID_OPTION', "'isnet_fp16' or 'isnet_quint8'"],
    [{ device: 'webgpu' }, 'UNSUPPORTED_DEVICE', 'WASM only'],
    [{ device: 'gpu' }, 'INVALID_OPTION', 'options.device'],
    [{ publicpath: '/data/' }, 'INVALID_OPTION', 'options.publicpath is not known'],
    [{ publicPath: '' }, 'INVALID_OPTION', 'options.publicPath'],
    [{ publicPath: '/data/' }, 'INVALID_OPTION', 'must be absolute'],
    [{ worker: 'yes' }, 'INVALID_OPTION', 'options.worker'],
  ])('%o is %s', async (options, code, words) => {
    await expect(selectSubject(image, options as never)).rejects.toMatchObject({ code, message: expect.stringContaining(words) })
  })

  it("removeBackground takes cutout's options too, and still refuses unknown ones", async () => {
    await expect(removeBackground(image, { trim: true, model: 'isnet' } as never)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('removeBackground'),
    })
    await expect(removeBackground(image, { trimm: true } as never)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('options.trimm'),
    })
  })

  it('an aborted signal rejects with ABORTED before anything loads', async () => {
    await expect(selectSubject(image, { publicPath: 'http://localhost:9/', signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' })
  })
})

describe('subject then SAM (anymask-lite in Node)', () => {
  const scene = makeScene(800, 600)
  let segmenter: Segmenter
  let session: ImageSession
  beforeAll(async () => {
    segmenter = await createSegmenter({ model: 'anymask-lite', device: 'wasm' })
    session = await segmenter.encode(scene)
  })
  afterAll(() => segmenter.dispose())

  it.each(scene.objects.map((o, k) => [o.name, k] as const))(
    '%s: a soft subject mask becomes a box and a mask prompt, and SAM gives the object',
    async (_name, k) => {
      const object = scene.objects[k]
      // A subject matte as ISNet gives it: soft, and a little off (alpha 200 inside, 100 on a ring around it).
      const soft = object.mask.map((v, i) => (v ? 200 : object.mask[i - 3] || object.mask[i + 3] ? 100 : 0))
      const subject = createMask(scene.width, scene.height, soft)
      const prompt = session.maskPrompt(subject)
      const truthBox = createMask(
        scene.width,
        scene.height,
        object.mask.map((v) => v * 255),
      ).bbox
      expect(prompt.box).toEqual(truthBox) // the box of alpha >= 128: the object, not the ring
      expect(prompt.mask?.data).toHaveLength(256 * 256)
      const result = await refineWithSam(session, subject)
      expect(result.masks).toHaveLength(1)
      expect(iou(result.masks[0].data, object.mask)).toBeGreaterThanOrEqual(0.97)
    },
  )

  it('an empty subject is INVALID_PROMPT', async () => {
    await expect(refineWithSam(session, createMask(scene.width, scene.height, new Uint8Array(scene.width * scene.height).fill(90)))).rejects.toMatchObject({
      code: 'INVALID_PROMPT',
    })
  })
})

describe('@anymask/imgly is opt-in (AGPL-3.0)', () => {
  const others = readdirSync(join(root, 'packages')).filter((p) => p !== 'imgly')

  it('is AGPL-3.0, and no other package depends on it or on @imgly/*', () => {
    expect(JSON.parse(readFileSync(join(root, 'packages/imgly/package.json'), 'utf8')).license).toBe('AGPL-3.0-only')
    expect(others.length).toBeGreaterThanOrEqual(4)
    for (const name of others) {
      const pkg = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'))
      const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies })
      expect(
        deps.filter((d) => d === '@anymask/imgly' || d.startsWith('@imgly/')),
        name,
      ).toEqual([])
    }
  })

  it('no source file of another package imports it', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
      )
    const files = others.flatMap((name) => sources(join(root, 'packages', name, 'src')))
    expect(files.length).toBeGreaterThan(20)
    const importers = files.filter((f) => /from ['"](@anymask\/imgly|@imgly\/)/.test(readFileSync(f, 'utf8')))
    expect(importers).toEqual([])
  })
})

describe('outside a browser', () => {
  it('selectSubject is UNSUPPORTED_DEVICE that says it runs in browsers (the module itself imports fine)', async () => {
    await expect(selectSubject(image, { publicPath: 'http://localhost:9/' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_DEVICE',
      message: expect.stringContaining('runs in browsers'),
    })
  })
})
