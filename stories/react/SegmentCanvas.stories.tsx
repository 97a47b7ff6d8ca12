/**
 * <SegmentCanvas>: the drop-in selection component of @anymask/react, on scenes whose exact masks are known, so
 * every story's play function checks what the user sees (the overlay) against the truth.
 */
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useRef, useState, type CSSProperties, type FormEvent } from 'react'
import { expect, fireEvent, fn, waitFor, within } from 'storybook/test'
import { createMask, models, type ContractName, type ModelSpec, type SelectionObject } from '@anymask/core'
import { cutout } from '@anymask/edit'
import { SegmentCanvas, type PromptPointProps, type SegmentCanvasHandle, type SegmentCanvasProps } from '@anymask/react'
import { scene } from '../support/scenes.js'
import { makeScene, manyObjects } from '../../test/support/scenes.js'
import { click, clientAt, drag, hover, iou, key, overlayMask, overlayPixels, READY_TIMEOUT, readyCanvas, settled } from '../support/play.js'

const W = 480
const H = 360
const small = scene(W, H)
const [disc, rect] = small.objects
const exact: CSSProperties = { width: W, ['--anymask-height' as string]: `${H}px` }

const meta: Meta<typeof SegmentCanvas> = {
  title: 'React/SegmentCanvas',
  component: SegmentCanvas,
  // Its docs page: the first story live, and the props table from SegmentCanvasProps' types (.storybook/preview.tsx).
  tags: ['autodocs'],
  // Pictures come from the render, not from args: Storybook serialises args to its manager, and a photo's pixels
  // are no control (a 12-megapixel one would crash the page).
  render: (args) => <SegmentCanvas {...args} image={small} />,
  args: { style: exact },
  parameters: {
    docs: {
      description: {
        component:
          'Hover to preview, click for an object point, Alt-click or right-click for a background point, drag for a box, Shift for a new object, C for the next candidate, Ctrl+Z / Shift+Ctrl+Z, Esc, wheel to zoom, space-drag or middle button to pan.',
      },
    },
  },
}
export default meta
type Story = StoryObj<typeof SegmentCanvas>

const union = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => v | b[i])
/** A spy passed as a story arg. */
const vi = (f: unknown) => f as ReturnType<typeof fn>

export const Click: Story = {
  args: { onMasksChange: fn(), onReady: fn() },
  play: async ({ args, canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    expect(args.onReady).toHaveBeenCalledWith(expect.objectContaining({ width: W, height: H }))
    await click(c, disc.inside.x, disc.inside.y)
    expect(iou(overlayMask(c), disc.mask)).toBeGreaterThanOrEqual(0.95)
    expect(c.root.querySelector('.anymask-announcer')!.textContent).toMatch(/^Object 1 selected, \d+% of the image$/)
    const reported = vi(args.onMasksChange).mock.lastCall![0] as SelectionObject[]
    expect(reported.map((o) => o.points)).toEqual([[{ ...disc.inside, label: 1 }]])
    expect(iou(reported[0].candidates[reported[0].candidate].data, disc.mask)).toBeGreaterThanOrEqual(0.97)
  },
}

/** Uncontrolled, starting from saved objects (here the disc's exact mask): shown at once, refined by clicks. */
const savedDisc: SelectionObject = {
  id: 'object-1',
  name: 'Saved disc',
  colorIndex: 2,
  hidden: false,
  points: [],
  box: null,
  candidates: [
    createMask(
      W,
      H,
      disc.mask.map((v) => v * 255),
    ),
  ],
  scores: [1],
  candidate: 0,
  lowRes: [],
}

export const DefaultMasks: Story = {
  args: { defaultMasks: [savedDisc], onMasksChange: fn() },
  play: async ({ args, canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await waitFor(() => expect(iou(overlayMask(c), disc.mask)).toBeGreaterThanOrEqual(0.95))
    expect(args.onMasksChange).not.toHaveBeenCalled()
    await click(c, rect.inside.x, rect.inside.y, { shiftKey: true })
    const reported = vi(args.onMasksChange).mock.lastCall![0] as SelectionObject[]
    expect(reported).toHaveLength(2)
    expect(reported[0]).toBe(savedDisc) // untouched objects keep their identity
    expect(reported[1].id).toBe('object-2') // new ids continue after the saved ones
  },
}

export const Hover: Story = {
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await hover(c, disc.inside.x, disc.inside.y)
    await waitFor(() => expect(iou(overlayMask(c), disc.mask)).toBeGreaterThanOrEqual(0.95))
    await hover(c, rect.inside.x, rect.inside.y)
    await waitFor(() => expect(iou(overlayMask(c), rect.mask)).toBeGreaterThanOrEqual(0.95)) // it follows the pointer
    expect(c.root.querySelectorAll('.anymask-point')).toHaveLength(0) // a preview adds no prompt
    expect(c.root.querySelector('[role="toolbar"] ul')!.children).toHaveLength(0) // nor an object
  },
}

export const Box: Story = {
  args: { tool: 'box' },
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await drag(c, { x: rect.box.x0, y: rect.box.y0 }, { x: rect.box.x1, y: rect.box.y1 })
    expect(iou(overlayMask(c), rect.mask)).toBeGreaterThanOrEqual(0.95)
    // The box stays shown over the image, from the first dragged pixel's centre to the last one's.
    const shown = c.root.querySelector('.anymask-box')!.getBoundingClientRect()
    const [a, b] = [clientAt(c, rect.box.x0, rect.box.y0), clientAt(c, rect.box.x1, rect.box.y1)]
    for (const [got, want] of [
      [shown.left, a.clientX],
      [shown.top, a.clientY],
      [shown.right, b.clientX],
      [shown.bottom, b.clientY],
    ])
      expect(got).toBeCloseTo(want, 0)
    expect(c.root.querySelector('.anymask-rubber')).toBeNull() // the drag's rubber band is gone
  },
}

export const NegativePoints: Story = {
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await click(c, disc.inside.x, disc.inside.y)
    await click(c, rect.inside.x, rect.inside.y)
    const both = overlayMask(c)
    expect(iou(both, union(disc.mask, rect.mask))).toBeGreaterThanOrEqual(0.95)
    await click(c, rect.box.x1 - 8, rect.inside.y, { altKey: true })
    const after = overlayMask(c)
    const removed = both.reduce((n, v, i) => n + (v && !after[i] ? 1 : 0), 0)
    expect(removed).toBeGreaterThan(500) // the background point took a region away...
    expect(after.reduce((n, v, i) => n + (v & disc.mask[i]), 0) / disc.mask.reduce((n, v) => n + v, 0)).toBeGreaterThanOrEqual(0.97) // ...and kept the disc
    expect([...c.root.querySelectorAll<HTMLElement>('.anymask-point')].map((p) => p.dataset.label)).toEqual(['object', 'object', 'background'])
  },
}

export const SeveralObjects: Story = {
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await click(c, disc.inside.x, disc.inside.y)
    await click(c, rect.inside.x, rect.inside.y, { shiftKey: true })
    const layers = within(c.root).getByRole('list', { name: 'Objects' })
    expect(within(layers).getAllByRole('listitem')).toHaveLength(2)
    expect(iou(overlayMask(c), union(disc.mask, rect.mask))).toBeGreaterThanOrEqual(0.95)
    const rgba = overlayPixels(c)
    const colour = (p: { x: number; y: number }) => [...rgba.subarray((p.y * W + p.x) * 4, (p.y * W + p.x) * 4 + 3)]
    expect(colour(disc.inside)).not.toEqual(colour(rect.inside)) // each layer has its own colour
    // Hide the second layer: only the disc remains drawn.
    fireEvent.click(within(layers).getByRole('button', { name: 'Hide Object 2' }))
    await waitFor(() => expect(iou(overlayMask(c), disc.mask)).toBeGreaterThanOrEqual(0.95))
    // Rename the first layer, then delete the second.
    fireEvent.click(within(layers).getByRole('button', { name: 'Rename Object 1' }))
    const input = within(layers).getByRole('textbox', { name: 'Rename Object 1' }) as HTMLInputElement
    input.value = 'Disc'
    fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(within(layers).getByRole('button', { name: 'Disc' })).toBeTruthy())
    fireEvent.click(within(layers).getByRole('button', { name: 'Delete Object 2' }))
    await waitFor(() => expect(within(layers).getAllByRole('listitem')).toHaveLength(1))
  },
}

export const Candidates: Story = {
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await click(c, disc.inside.x, disc.inside.y)
    const picker = within(c.root).getByRole('group', { name: 'Candidates' })
    const buttons = within(picker).getAllByRole('button')
    expect(buttons).toHaveLength(3)
    for (const b of buttons) expect(b.textContent).toMatch(/^\d: \d\.\d\d$/) // index and score
    const pressed = () => buttons.findIndex((b) => b.getAttribute('aria-pressed') === 'true')
    const first = pressed()
    await key(c, 'c')
    expect(pressed()).toBe((first + 1) % 3)
  },
}

export const UndoRedo: Story = {
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await click(c, disc.inside.x, disc.inside.y)
    const one = overlayPixels(c)
    await click(c, rect.inside.x, rect.inside.y, { shiftKey: true })
    const two = overlayPixels(c)
    expect(two).not.toEqual(one)
    await key(c, 'z', { ctrlKey: true })
    expect(overlayPixels(c)).toEqual(one) // exactly the previous masks
    await key(c, 'z', { ctrlKey: true, shiftKey: true })
    expect(overlayPixels(c)).toEqual(two)
    await key(c, 'Escape')
    expect(iou(overlayMask(c), disc.mask)).toBeGreaterThanOrEqual(0.95) // Esc cleared only the active object
  },
}

/** 12 megapixels: encoded once; wheel zoom and space-drag pan only redraw. */
export const ZoomAndPan12MP: Story = {
  render: (args) => <SegmentCanvas {...args} image={scene(4000, 3000)} />,
  args: { style: { width: 800, ['--anymask-height' as string]: '600px' } },
  play: async ({ canvasElement }) => {
    const big = scene(4000, 3000)
    const c = await readyCanvas(canvasElement, 4000, 3000)
    // Hover previews come at display resolution (1024 px) and are drawn scaled over the 12 MP photo.
    await hover(c, big.objects[1].inside.x, big.objects[1].inside.y)
    await waitFor(() => expect(iou(overlayMask(c), big.objects[1].mask)).toBeGreaterThanOrEqual(0.9), { timeout: 30_000 })
    await click(c, big.objects[0].inside.x, big.objects[0].inside.y)
    const share = Math.round((100 * big.objects[0].mask.reduce((n, v) => n + v, 0)) / (4000 * 3000))
    const said = Number(/(\d+)% of the image/.exec(c.root.querySelector('.anymask-announcer')!.textContent!)![1])
    expect(Math.abs(said - share)).toBeLessThanOrEqual(1)
    const image = c.root.querySelector<HTMLCanvasElement>('.anymask-image')!
    expect([image.width, image.height]).toEqual([4000, 3000]) // the photo, drawn once at its own size
    const before = image.style.transform
    fireEvent.wheel(c.viewport, { deltaY: -400, clientX: 400, clientY: 300 })
    await waitFor(() => expect(image.style.transform).not.toBe(before)) // the view moves it
    expect(c.root.dataset.state).toBe('ready') // zooming never re-encodes
  },
}

/** Space-drag and the middle button pan, two fingers pinch-zoom: none of them adds a prompt. */
export const PanAndPinch: Story = {
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    const image = c.root.querySelector<HTMLCanvasElement>('.anymask-image')!
    const blank = Object.assign(document.createElement('canvas'), { width: W, height: H }).toDataURL()
    await waitFor(() => expect(image.toDataURL()).not.toBe(blank)) // the photo is drawn before we move it
    let shown = image.style.transform
    const changed = async () => {
      await waitFor(() => expect(image.style.transform).not.toBe(shown)) // the view moved the photo
      shown = image.style.transform
    }
    const at = (x: number, y: number, extra: PointerEventInit = {}) => ({ ...clientAt(c, x, y), pointerId: 1, isPrimary: true, ...extra })
    // Space held: a drag pans.
    fireEvent.keyDown(c.viewport, { key: ' ' })
    fireEvent.pointerDown(c.viewport, at(100, 100, { button: 0 }))
    fireEvent.pointerMove(c.viewport, at(160, 130, { buttons: 1 }))
    fireEvent.pointerUp(c.viewport, at(160, 130, { button: 0 }))
    fireEvent.keyUp(c.viewport, { key: ' ' })
    await changed()
    // The middle button pans too.
    fireEvent.pointerDown(c.viewport, at(200, 200, { button: 1 }))
    fireEvent.pointerMove(c.viewport, at(150, 180, { buttons: 4 }))
    fireEvent.pointerUp(c.viewport, at(150, 180, { button: 1 }))
    await changed()
    // Two pointers moving apart zoom in.
    fireEvent.pointerDown(c.viewport, at(200, 150, { pointerType: 'touch' }))
    fireEvent.pointerDown(c.viewport, at(260, 150, { pointerId: 2, isPrimary: false, pointerType: 'touch' }))
    fireEvent.pointerMove(c.viewport, at(320, 150, { pointerId: 2, isPrimary: false, pointerType: 'touch' }))
    fireEvent.pointerUp(c.viewport, at(320, 150, { pointerId: 2, isPrimary: false, pointerType: 'touch' }))
    fireEvent.pointerUp(c.viewport, at(200, 150, { pointerType: 'touch' }))
    await changed()
    await settled(c)
    expect(c.root.querySelectorAll('.anymask-point')).toHaveLength(0)
    expect(c.root.querySelector('[role="toolbar"] ul')!.children).toHaveLength(0)
  },
}

export const Keyboard: Story = {
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    c.viewport.focus()
    expect(document.activeElement).toBe(c.viewport)
    // The cursor starts at the centre; each arrow press moves it 1/50 of the image's long side (9 px here).
    await key(c, 'ArrowLeft', {}, 10)
    await key(c, 'Enter')
    expect(iou(overlayMask(c), disc.mask)).toBeGreaterThanOrEqual(0.95)
    expect(c.root.querySelector('.anymask-announcer')!.textContent).toMatch(/Object 1 selected/)
  },
}

const themed = (colour: string, extra: Record<string, string>): Partial<SegmentCanvasProps> => ({
  style: { ...exact, ['--anymask-color-1' as string]: colour, ...extra },
})

const centreColour = (rgba: Uint8ClampedArray, p: { x: number; y: number }) => [...rgba.subarray((p.y * W + p.x) * 4, (p.y * W + p.x) * 4 + 3)]

export const ThemeOcean: Story = {
  args: themed('rgb(0, 80, 255)', { '--anymask-overlay-opacity': '0.6', '--anymask-positive': '#0ff', '--anymask-background': '#0b1d3a' }),
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await click(c, disc.inside.x, disc.inside.y)
    const [r, , b] = centreColour(overlayPixels(c), { x: disc.inside.x + 20, y: disc.inside.y })
    expect(b).toBeGreaterThan(200)
    expect(r).toBeLessThan(40)
  },
}

export const ThemeSunset: Story = {
  args: themed('rgb(255, 120, 0)', { '--anymask-outline-width': '4', '--anymask-point-size': '18px', '--anymask-background': '#3a1a0b' }),
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await click(c, disc.inside.x, disc.inside.y)
    const [r, , b] = centreColour(overlayPixels(c), { x: disc.inside.x + 20, y: disc.inside.y })
    expect(r).toBeGreaterThan(200)
    expect(b).toBeLessThan(40)
  },
}

/**
 * The first layer's blue on the blue rectangle: the fill is shaded lighter so the selection stays visible, while on
 * the red disc it keeps the theme's exact blue (`--anymask-fill-contrast`: 0 turns the shading off).
 */
export const VisibleOnAnyObject: Story = {
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    const blue = [0x3b, 0x82, 0xf6] // --anymask-color-1
    // What the eye sees at p: the overlay over the picture, averaged over a 7x7 patch (the objects are textured).
    const seen = (rgba: Uint8ClampedArray, p: { x: number; y: number }, fill?: number[]) => {
      const sum = [0, 0, 0, 0, 0, 0]
      for (let y = p.y - 3; y <= p.y + 3; y++)
        for (let x = p.x - 3; x <= p.x + 3; x++) {
          const i = (y * W + x) * 4
          const a = fill ? 0.45 : rgba[i + 3] / 255
          for (let k = 0; k < 3; k++) {
            sum[k] += small.data[i + k]
            sum[k + 3] += a * (fill ?? rgba.subarray(i, i + 3))[k] + (1 - a) * small.data[i + k]
          }
        }
      const under = sum.slice(0, 3).map((v) => v / 49)
      const shown = sum.slice(3).map((v) => v / 49)
      return { change: Math.max(...shown.map((v, k) => Math.abs(v - under[k]))), under }
    }
    await click(c, rect.inside.x, rect.inside.y)
    await waitFor(() => expect(iou(overlayMask(c), rect.mask)).toBeGreaterThanOrEqual(0.95))
    expect(seen(overlayPixels(c), rect.inside, blue).change).toBeLessThan(30) // the theme's blue would all but vanish
    expect(seen(overlayPixels(c), rect.inside).change).toBeGreaterThanOrEqual(45)
    await key(c, 'Escape')
    await click(c, disc.inside.x, disc.inside.y)
    await waitFor(() => expect(iou(overlayMask(c), disc.mask)).toBeGreaterThanOrEqual(0.95))
    const i = (disc.inside.y * W + disc.inside.x + 20) * 4
    const drawn = [...overlayPixels(c).subarray(i, i + 3)]
    expect(Math.max(...drawn.map((v, k) => Math.abs(v - blue[k])))).toBeLessThanOrEqual(2) // the exact theme colour
  },
}

function Star({ point, x, y }: PromptPointProps) {
  return (
    <span
      className="anymask-point custom-star"
      data-label={point.label === 1 ? 'object' : 'background'}
      style={{ position: 'absolute', left: x, top: y, transform: 'translate(-50%, -50%)', fontSize: 22, pointerEvents: 'none' }}
    >
      {point.label ? '★' : '✖'}
    </span>
  )
}

export const CustomSlots: Story = {
  args: {
    components: {
      Toolbar: null,
      PromptPoint: Star,
      Loading: ({ phase }) => (
        <p className="custom-loading" style={{ position: 'absolute', color: 'white' }}>
          Please wait: {phase}
        </p>
      ),
    },
  },
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    expect(c.root.querySelector('[role="toolbar"]')).toBeNull()
    await click(c, disc.inside.x, disc.inside.y)
    expect(c.root.querySelectorAll('.custom-star')).toHaveLength(1)
  },
}

function Controlled(props: SegmentCanvasProps) {
  const [masks, setMasks] = useState<readonly SelectionObject[]>([])
  return (
    <div>
      <SegmentCanvas {...props} masks={masks} onMasksChange={setMasks} />
      <p data-testid="summary">
        {masks.length} object(s): {masks.map((m) => `${m.name} (${m.candidates[m.candidate]?.area ?? 0} px)`).join(', ')}
      </p>
      <button type="button" onClick={() => setMasks([])}>
        Remove all (from the parent)
      </button>
    </div>
  )
}

export const ControlledMasks: Story = {
  render: (args) => <Controlled {...args} image={small} />,
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await click(c, disc.inside.x, disc.inside.y)
    const summary = within(canvasElement).getByTestId('summary')
    expect(summary.textContent).toMatch(/^1 object\(s\): Object 1 \(\d+ px\)$/)
    fireEvent.click(within(canvasElement).getByRole('button', { name: 'Remove all (from the parent)' }))
    await waitFor(() => expect(overlayMask(c).some(Boolean)).toBe(false))
    expect(summary.textContent).toBe('0 object(s): ')
  },
}

function WithHandle(props: SegmentCanvasProps) {
  const ref = useRef<SegmentCanvasHandle>(null)
  const [out, setOut] = useState('')
  return (
    <div>
      <SegmentCanvas {...props} ref={ref} />
      <button type="button" onClick={() => setOut(`mask ${ref.current?.exportMask()?.area ?? 'none'}`)}>
        Export mask
      </button>
      <button
        type="button"
        onClick={() => {
          const handle = ref.current
          const mask = handle?.selectionMask()
          const c = handle?.image && mask ? cutout(handle.image, mask, { trim: true }) : null
          setOut(c ? `cutout ${c.width}x${c.height}` : 'cutout none')
        }}
      >
        Cut out
      </button>
      <output data-testid="out">{out}</output>
    </div>
  )
}

export const RefHandle: Story = {
  render: (args) => <WithHandle {...args} image={small} />,
  play: async ({ canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await click(c, rect.inside.x, rect.inside.y)
    const out = within(canvasElement).getByTestId('out')
    fireEvent.click(within(canvasElement).getByRole('button', { name: 'Export mask' }))
    const area = Number(/mask (\d+)/.exec(out.textContent!)![1])
    const truth = rect.mask.reduce((n, v) => n + v, 0)
    expect(Math.abs(area - truth) / truth).toBeLessThan(0.05)
    fireEvent.click(within(canvasElement).getByRole('button', { name: 'Cut out' }))
    expect(out.textContent).toBe(`cutout ${Math.round(rect.box.x1 - rect.box.x0)}x${Math.round(rect.box.y1 - rect.box.y0)}`)
  },
}

export const ErrorBadModel: Story = {
  args: { model: { id: 'broken', contract: 'sam', encoder: new Uint8Array([1, 2, 3, 4]), decoder: new Uint8Array([5, 6, 7, 8]) } },
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole('alert', {}, { timeout: 30_000 })
    expect(alert.textContent).toMatch(/Segmentation is unavailable/)
    expect(canvasElement.querySelector('.anymask-root')!.getAttribute('data-state')).toBe('error')
  },
}

const notAPicture = new Blob(['this is not a picture'], { type: 'image/png' })

export const ErrorBadImage: Story = {
  render: (args) => <SegmentCanvas {...args} image={notAPicture} />,
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole('alert', {}, { timeout: 30_000 })
    expect(alert.textContent).toMatch(/could not be decoded as an image/)
  },
}

function ModelPickerDemo(props: SegmentCanvasProps) {
  const [model, setModel] = useState<string | ModelSpec>('anymask-lite')
  const [custom, setCustom] = useState({ contract: 'sam' as ContractName, encoder: '', decoder: '' })
  const applyUrls = (e: FormEvent) => {
    e.preventDefault()
    if (custom.encoder && custom.decoder) setModel({ id: `custom:${custom.encoder}`, ...custom })
  }
  return (
    <div style={{ display: 'grid', gap: 8, width: W }}>
      <label>
        Model:{' '}
        <select value={typeof model === 'string' ? model : ''} onChange={(e) => setModel(e.target.value)}>
          {Object.values(models).map((m) => (
            <option key={m.id} value={m.id}>
              {m.id} ({m.contract}
              {m.id === 'anymask-lite' ? ', embedded' : ', downloads'})
            </option>
          ))}
          {typeof model !== 'string' && <option value="">{model.id}</option>}
        </select>
      </label>
      <form onSubmit={applyUrls} style={{ display: 'flex', gap: 4, flexWrap: 'wrap' }} aria-label="Model by URL">
        <select aria-label="Contract" value={custom.contract} onChange={(e) => setCustom({ ...custom, contract: e.target.value as ContractName })}>
          <option>sam</option>
          <option>hf-sam</option>
          <option>sam2</option>
        </select>
        <input
          aria-label="Encoder URL"
          placeholder="encoder .onnx URL"
          value={custom.encoder}
          onChange={(e) => setCustom({ ...custom, encoder: e.target.value })}
        />
        <input
          aria-label="Decoder URL"
          placeholder="decoder .onnx URL"
          value={custom.decoder}
          onChange={(e) => setCustom({ ...custom, decoder: e.target.value })}
        />
        <button type="submit">Load</button>
      </form>
      <SegmentCanvas {...props} model={model} />
    </div>
  )
}

/** Registry models download from their public addresses (needs internet); anymask-lite is embedded. */
export const ModelPicker: Story = {
  render: (args) => <ModelPickerDemo {...args} image={small} />,
  play: async ({ canvasElement }) => {
    await readyCanvas(canvasElement, W, H)
    expect(within(canvasElement).getByRole('combobox', { name: 'Model:' }).querySelectorAll('option').length).toBe(Object.keys(models).length)
  },
}

const crowd = makeScene(W, H, manyObjects(6))

/** The overlay's colour at an image pixel, as [r, g, b, a]. */
const colourAt = (rgba: Uint8ClampedArray, p: { x: number; y: number }) => {
  const i = (Math.floor(p.y) * W + Math.floor(p.x)) * 4
  return [...rgba.subarray(i, i + 4)]
}

/** Everything mode: every object found and drawn in a colour of its own; hover lights one up, a click makes it a layer. */
export const Everything: Story = {
  render: (args) => <SegmentCanvas {...args} image={crowd} />,
  args: { tool: 'everything', everything: { pointsPerSide: 6 }, onMasksChange: fn() },
  play: async ({ args, canvasElement }) => {
    const c = await readyCanvas(canvasElement, W, H)
    await waitFor(() => expect(c.root.querySelector('.anymask-progress')).toBeNull(), { timeout: 120_000 })
    await settled(c)
    const shown = overlayMask(c)
    for (const o of crowd.objects) {
      const covered = o.mask.reduce((n, v, i) => n + (v & shown[i]), 0) / o.mask.reduce((n, v) => n + v, 0)
      expect(covered, o.name).toBeGreaterThanOrEqual(0.9)
    }
    const before = overlayPixels(c)
    expect(new Set(crowd.objects.map((o) => colourAt(before, o.inside).join())).size).toBe(6) // six colours
    const target = crowd.objects[2]
    await hover(c, target.inside.x, target.inside.y)
    const lit = overlayPixels(c)
    const brightness = (rgba: Uint8ClampedArray, p: { x: number; y: number }) =>
      colourAt(rgba, p)
        .slice(0, 3)
        .reduce((a, b) => a + b, 0)
    expect(brightness(lit, target.inside)).toBeGreaterThan(brightness(before, target.inside) + 60) // lit up in the preview colour
    expect(colourAt(lit, crowd.objects[0].inside)).toEqual(colourAt(before, crowd.objects[0].inside)) // the others as they were
    await click(c, target.inside.x, target.inside.y)
    const layers = vi(args.onMasksChange).mock.lastCall![0] as SelectionObject[]
    expect(layers).toHaveLength(1)
    expect(iou(layers[0].candidates[layers[0].candidate].data, target.mask)).toBeGreaterThanOrEqual(0.97) // at the image's size
    await key(c, 'z', { ctrlKey: true })
    expect(vi(args.onMasksChange).mock.lastCall![0]).toEqual([]) // one undo step
  },
}

/** Everything mode on a real photograph (from ../shared/data, where it is present), with the embedded anymask-lite. */
function PhotoEverything(props: SegmentCanvasProps) {
  const [photo, setPhoto] = useState<Blob | null | undefined>(undefined)
  useEffect(() => {
    fetch(PHOTO).then(
      async (r) => setPhoto(r.ok && r.headers.get('content-type')?.startsWith('image/') ? await r.blob() : null),
      () => setPhoto(null),
    )
  }, [])
  if (photo === null) return <p className="photo-absent">No photograph: ../shared/data/grabcut is absent here, so this story has nothing to show.</p>
  return photo ? <SegmentCanvas {...props} image={photo} /> : null
}
const PHOTO = '/photos/124084.jpg'

export const EverythingOnAPhoto: Story = {
  render: (args) => <PhotoEverything {...args} />,
  args: { tool: 'everything', everything: { pointsPerSide: 8 }, style: { width: 640, ['--anymask-height' as string]: '480px' }, onMasksChange: fn() },
  play: async ({ args, canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('.anymask-root, .photo-absent')).not.toBeNull(), { timeout: 30_000 })
    if (canvasElement.querySelector('.photo-absent')) return console.warn(`EverythingOnAPhoto: ${PHOTO} is absent; nothing to check.`)
    const root = canvasElement.querySelector<HTMLElement>('.anymask-root')!
    await waitFor(() => expect(root.dataset.state).toBe('ready'), { timeout: READY_TIMEOUT })
    await waitFor(() => expect(root.querySelector('.anymask-progress')).toBeNull(), { timeout: 120_000 })
    const overlay = root.querySelector<HTMLCanvasElement>('.anymask-overlay')!
    const alpha = overlay
      .getContext('2d')!
      .getImageData(0, 0, overlay.width, overlay.height)
      .data.filter((_, i) => i % 4 === 3)
    expect(alpha.filter((a) => a > 0).length / alpha.length).toBeGreaterThan(0.2) // regions drawn over a good part of the photo
    // A click at the centre (the fitted view centres the photo) makes the region drawn there a layer, if one is.
    const viewport = root.querySelector<HTMLElement>('.anymask-viewport')!
    const box = viewport.getBoundingClientRect()
    const drawn = alpha[Math.floor(overlay.height / 2) * overlay.width + Math.floor(overlay.width / 2)] > 0
    const at = { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2, pointerId: 1, isPrimary: true, button: 0 }
    fireEvent.pointerDown(viewport, at)
    fireEvent.pointerUp(viewport, at)
    await waitFor(() => expect(root.hasAttribute('data-busy')).toBe(false))
    const layers = (vi(args.onMasksChange).mock.lastCall?.[0] ?? []) as SelectionObject[]
    expect(layers).toHaveLength(drawn ? 1 : 0)
    if (drawn) {
      const mask = layers[0].candidates[layers[0].candidate]
      expect(mask.data[Math.floor(mask.height / 2) * mask.width + Math.floor(mask.width / 2)]).toBe(255) // the region under the click
    }
  },
}
