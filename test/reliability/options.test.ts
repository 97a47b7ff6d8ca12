/**
 * Class 1 and 8 of the reliability issue: every public option of every public function, given values it cannot use,
 * is refused with INVALID_OPTION (INVALID_IMAGE for images) naming the function and the option; never a silent
 * black, empty or ignored result, never a raw TypeError / RangeError. One list of cases, values generated per kind.
 */
import { describe, expect, it } from 'vitest'
import {
  AnymaskError,
  createMask,
  createSegmenter,
  describeValue,
  dilate,
  erode,
  feather,
  fillHoles,
  maskToPolygons,
  maskToRgba,
  maskToSvgPath,
  regionAt,
  removeSmallRegions,
  resizeMask,
  SelectionStore,
  toCocoRle,
  trimMask,
  type ImageSession,
  type RgbaImage,
} from '@anymask/core'
import { boxFilter, cutout, estimateForeground, encodePng, inpaintMask, recolor, refineEdges, replaceBackground, toBlob } from '@anymask/edit'

/** Bad values for each kind of option; `undefined` is never among them (it means "the default"). */
const BAD = {
  /** A finite number >= 0 (radii, feathers, areas, tolerances). */
  nonNegative: [Number.NaN, -1, Number.POSITIVE_INFINITY, '3', null, {}, [2], true],
  /** A finite number > 0. */
  positive: [Number.NaN, 0, -2, Number.POSITIVE_INFINITY, '1'],
  /** A number >= 0 where Infinity means "no limit" (areas). */
  area: [Number.NaN, -1, '3', null, Number.NEGATIVE_INFINITY],
  /** A number > 0 where Infinity means "never" (timeouts). */
  timeout: [Number.NaN, 0, -5, '30000', null],
  /** A number >= 1 (guided-filter radius, in pixels). */
  atLeastOne: [0.5, 0, -3, Number.NaN, '2', Number.POSITIVE_INFINITY],
  /** A whole number >= 0 (paddings, counts). */
  count: [Number.NaN, -1, 1.5, '2', Number.POSITIVE_INFINITY, null],
  /** A whole number >= 1 (sizes). */
  size: [0, -3, 2.5, Number.NaN, '100', Number.POSITIVE_INFINITY],
  /** 0..1 (strengths, opacities, quality). */
  unit: [Number.NaN, -0.1, 1.5, '0.5', null],
  /** An sRGB colour [r, g, b], 0..255. */
  color: [[0.2, 0.5, 1], [300, 0, 0], [-1, 0, 0], '#ff0000', [1, 2], [Number.NaN, 0, 0], null, { r: 1, g: 2, b: 3 }],
  boolean: ['yes', 1, null, 'false'],
  choice: ['nope', 1, null],
  options: ['fast', 3, null, [1]],
} as const satisfies Record<string, readonly unknown[]>

const image = (w: number, h: number): RgbaImage => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4).fill(120) })
const photo = image(24, 16)
const mask = createMask(
  24,
  16,
  Uint8Array.from({ length: 24 * 16 }, (_, i) => (i % 24 > 6 && i % 24 < 16 ? 255 : 0)),
)
const plane = new Float32Array(24 * 16)
/** An encoded image of the embedded model, made once for the decode and preview cases. */
let encoded: Promise<ImageSession> | undefined
const session = () => (encoded ??= createSegmenter({ device: 'wasm' }).then((s) => s.encode(photo)))
const click = { points: [{ x: 12, y: 8, label: 1 as const }] }

/** [function, option, kind, call with the value]: the one list every bad value is generated from. */
const CASES: [string, string, keyof typeof BAD, (v: unknown) => unknown][] = [
  ['dilate', 'radius', 'nonNegative', (v) => dilate(mask, v as number)],
  ['erode', 'radius', 'nonNegative', (v) => erode(mask, v as number)],
  ['feather', 'radius', 'nonNegative', (v) => feather(mask, v as number)],
  ['fillHoles', 'maxArea', 'area', (v) => fillHoles(mask, v as number)],
  ['removeSmallRegions', 'minArea', 'nonNegative', (v) => removeSmallRegions(mask, v as number)],
  ['regionAt', 'x', 'nonNegative', (v) => regionAt(mask, v as number, 3)],
  ['trimMask', 'padding', 'count', (v) => trimMask(mask, v as number)],
  ['resizeMask', 'width', 'size', (v) => resizeMask(mask, v as number, 8)],
  ['resizeMask', 'height', 'size', (v) => resizeMask(mask, 8, v as number)],
  ['maskToRgba', 'options.color', 'color', (v) => maskToRgba(mask, { color: v as never })],
  ['maskToRgba', 'options.opacity', 'unit', (v) => maskToRgba(mask, { opacity: v as number })],
  ['maskToRgba', 'options', 'options', (v) => maskToRgba(mask, v as never)],
  ['maskToPolygons', 'options.tolerance', 'nonNegative', (v) => maskToPolygons(mask, { tolerance: v as number })],
  ['maskToPolygons', 'options.tolerance', 'nonNegative', (v) => maskToSvgPath(mask, { tolerance: v as number })],
  ['toCocoRle', 'options.compressed', 'boolean', (v) => toCocoRle(mask, { compressed: v as boolean })],
  ['cutout', 'options.feather', 'nonNegative', (v) => cutout(photo, mask, { feather: v as number })],
  ['cutout', 'options.padding', 'count', (v) => cutout(photo, mask, { trim: true, padding: v as number })],
  ['cutout', 'options.trim', 'boolean', (v) => cutout(photo, mask, { trim: v as boolean })],
  ['cutout', 'options', 'options', (v) => cutout(photo, mask, v as never)],
  ['recolor', 'options.color', 'color', (v) => recolor(photo, mask, { color: v as never })],
  ['recolor', 'options.strength', 'unit', (v) => recolor(photo, mask, { color: [40, 90, 220], strength: v as number })],
  ['recolor', 'options.mode', 'choice', (v) => recolor(photo, mask, { color: [40, 90, 220], mode: v as never })],
  ['inpaintMask', 'options.dilate', 'nonNegative', (v) => inpaintMask(mask, { dilate: v as number })],
  ['inpaintMask', 'options.feather', 'nonNegative', (v) => inpaintMask(mask, { format: 'soft', feather: v as number })],
  ['inpaintMask', 'options.invert', 'boolean', (v) => inpaintMask(mask, { invert: v as boolean })],
  ['inpaintMask', 'options.format', 'choice', (v) => inpaintMask(mask, { format: v as never })],
  ['replaceBackground', 'background.color', 'color', (v) => replaceBackground(photo, mask, { color: v as never })],
  ['replaceBackground', 'background.blur', 'positive', (v) => replaceBackground(photo, mask, { blur: v as number })],
  ['replaceBackground', 'background.fit', 'choice', (v) => replaceBackground(photo, mask, { image: image(4, 4), fit: v as never })],
  ['replaceBackground', 'options.feather', 'nonNegative', (v) => replaceBackground(photo, mask, { color: [0, 0, 0] }, { feather: v as number })],
  ['replaceBackground', 'options.decontaminate', 'boolean', (v) => replaceBackground(photo, mask, { color: [0, 0, 0] }, { decontaminate: v as boolean })],
  ['refineEdges', 'options.radius', 'atLeastOne', (v) => refineEdges(photo, mask, { radius: v as number })],
  ['refineEdges', 'options.epsilon', 'positive', (v) => refineEdges(photo, mask, { epsilon: v as number })],
  ['refineEdges', 'options.band', 'nonNegative', (v) => refineEdges(photo, mask, { band: v as number })],
  ['estimateForeground', 'radii[0]', 'size', (v) => estimateForeground(photo, mask, [v as number, 6])],
  ['boxFilter', 'r', 'nonNegative', (v) => boxFilter(plane, 24, 16, v as number)],
  ['boxFilter', 'width', 'size', (v) => boxFilter(plane, v as number, 16, 1)],
  ['toBlob', 'quality', 'unit', (v) => toBlob(photo, 'image/png', v as number)],
  ['toBlob', 'type', 'choice', (v) => toBlob(photo, v as never)],
  ['createSegmenter', 'options.cacheSize', 'count', (v) => createSegmenter({ cacheSize: v as number, device: 'wasm' })],
  ['createSegmenter', 'options.threads', 'size', (v) => createSegmenter({ threads: v as number, device: 'wasm' })],
  ['createSegmenter', 'options.stallTimeout', 'timeout', (v) => createSegmenter({ stallTimeout: v as number, device: 'wasm' })],
  ['createSegmenter', 'options.workerTimeout', 'positive', (v) => createSegmenter({ workerTimeout: v as number, device: 'wasm' })],
  ['createSegmenter', 'options.worker', 'boolean', (v) => createSegmenter({ worker: v as boolean, device: 'wasm' })],
  ['createSegmenter', 'options', 'options', (v) => createSegmenter(v as never)],
  ['decode', 'options.maxSide', 'size', async (v) => (await session()).decode(click, { maxSide: v as number })],
  ['decode', 'options.multimask', 'boolean', async (v) => (await session()).decode(click, { multimask: v as boolean })],
  ['decode', 'options', 'options', async (v) => (await session()).decode(click, v as never)],
  ['preview', 'options.maxSide', 'size', async (v) => (await session()).preview(click, { maxSide: v as number })],
]

const generated = CASES.flatMap(([fn, option, kind, call]) => BAD[kind].map((value) => ({ fn, option, kind, value, call })))

describe(`bad options: ${generated.length} cases from ${CASES.length} options`, () => {
  it.each(generated.map((c) => [`${c.fn} ${c.option} = ${describeValue(c.value)}`, c] as const))('%s is INVALID_OPTION naming both', async (_, c) => {
    let error: unknown
    try {
      await c.call(c.value)
    } catch (e) {
      error = e
    }
    expect(error, 'no error: the value was used or ignored').toBeInstanceOf(AnymaskError)
    expect((error as AnymaskError).code).toBe('INVALID_OPTION')
    expect((error as AnymaskError).message).toContain(`${c.fn}: ${c.option.split('[')[0]}`)
  })
})

describe('values that are fine', () => {
  it('rounds fractional colour channels (recolor with [40.5, 90, 220] is recolor with [41, 90, 220], not black)', () => {
    const out = recolor(photo, mask, { color: [40.5, 90, 220] })
    expect(out.data).toEqual(recolor(photo, mask, { color: [41, 90, 220] }).data)
    const inside = mask.data.indexOf(255) * 4
    expect(out.data[inside + 2]).toBeGreaterThan(out.data[inside]) // bluish, not black
  })

  it('names the 0..1 mistake and how to fix it', () => {
    expect(() => recolor(photo, mask, { color: [0.2, 0.4, 0.9] })).toThrow(/looks like 0\.\.1 channels: multiply them by 255/)
  })

  it('quotes strings, so "12" is not shown as 12', () => {
    expect(() => dilate(mask, '12' as never)).toThrow('dilate: radius is "12"; expected a finite number >= 0.')
  })

  it('a missing required colour, an empty background image and a mismatched mask are refused, not drawn black', () => {
    expect(() => recolor(photo, mask, undefined as never)).toThrow(AnymaskError)
    expect(() => recolor(photo, mask, {} as never)).toThrow(/recolor: options\.color is undefined/)
    expect(() => replaceBackground(photo, mask, { image: { width: 0, height: 0, data: new Uint8ClampedArray(0) } })).toThrow(
      expect.objectContaining({ code: 'INVALID_IMAGE', message: expect.stringContaining('replaceBackground: background.image') }),
    )
    expect(() => replaceBackground(photo, mask, { image: { width: 4, height: 4, data: new Uint8ClampedArray(10) } })).toThrow(
      expect.objectContaining({ code: 'INVALID_IMAGE' }),
    )
    expect(() => replaceBackground(photo, mask, {} as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => cutout(photo, createMask(3, 3))).toThrow(expect.objectContaining({ code: 'INVALID_IMAGE' }))
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8ClampedArray(3) })).toThrow(expect.objectContaining({ code: 'INVALID_IMAGE' }))
  })

  it('the selection store refuses a candidate or an object that does not exist with INVALID_OPTION', async () => {
    const store = new SelectionStore(null)
    expect(() => store.select('object-9')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => createMask(3, 3, new Uint8Array(2))).toThrow(expect.objectContaining({ code: 'INVALID_IMAGE' }))
  })
})

it('a lazy model source that fails or gives no bytes says which file of which model', async () => {
  const spec = (encoder: () => Promise<unknown>) => ({
    id: 'lazy',
    contract: 'sam' as const,
    encoder: encoder as () => Promise<Uint8Array>,
    decoder: encoder as () => Promise<Uint8Array>,
  })
  await expect(createSegmenter({ model: spec(() => Promise.reject(new Error('chunk 404'))) })).rejects.toMatchObject({
    code: 'MODEL_LOAD_FAILED',
    message: 'The encoder of "lazy" could not be loaded: chunk 404',
  })
  await expect(createSegmenter({ model: spec(async () => 42) })).rejects.toMatchObject({
    code: 'INVALID_OPTION',
    message: expect.stringMatching(/^createSegmenter: model\.encoder of "lazy" is 42; expected a function resolving to a URL/),
  })
})

it('a ModelSpec without its files is INVALID_OPTION naming what is missing', async () => {
  await expect(createSegmenter({ model: { id: 'mine', contract: 'sam', encoder: '/e.onnx' } as never })).rejects.toMatchObject({
    code: 'INVALID_OPTION',
    message: 'createSegmenter: model.decoder of "mine" is undefined; expected a URL, an ArrayBuffer, a Uint8Array or a function that loads one.',
  })
})
