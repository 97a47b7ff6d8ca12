/**
 * @anymask/edit on a selection made with <SegmentCanvas>: click an object, then see (and download) what each
 * helper makes of it. Every story's play function selects the red disc and checks the helper's output pixels.
 */
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useMemo, useState, type CSSProperties } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { chosenMask, union, type Mask, type RgbaImage, type SelectionObject } from '@anymask/core'
import { cutout, inpaintMask, recolor, refineEdges, replaceBackground } from '@anymask/edit'
import { SegmentCanvas } from '@anymask/react'
import { backdrop, scene } from '../support/scenes.js'
import { click, readyCanvas } from '../support/play.js'
import { Picture, rgbaOfMask, usePngUrl } from '../support/pictures.js'

const W = 480
const H = 360
const photo = scene(W, H)
const [disc] = photo.objects
const exact: CSSProperties = { width: W, ['--anymask-height' as string]: `${H}px` }

type Helper = 'cutout' | 'background-colour' | 'background-image' | 'background-blur' | 'recolour' | 'inpaint-mask' | 'refine-edges'

interface DemoProps {
  helper: Helper
  feather: number
  colour: string
  blur: number
  decontaminate: boolean
  strength: number
  dilate: number
  radius: number
  epsilon: number
  band: number
}

const hexToRgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
/** The helper's output for the selected mask, and what a download would be called. */
function apply(props: DemoProps, mask: Mask): { out: RgbaImage; before?: RgbaImage; file: string } {
  switch (props.helper) {
    case 'cutout':
      return { out: cutout(photo, mask, { feather: props.feather, trim: true, padding: 8 }), file: 'cutout.png' }
    case 'background-colour':
      return {
        out: replaceBackground(photo, mask, { color: hexToRgb(props.colour) }, { feather: props.feather, decontaminate: props.decontaminate }),
        file: 'background.png',
      }
    case 'background-image':
      return {
        out: replaceBackground(photo, mask, { image: backdrop(640, 400), fit: 'cover' }, { feather: props.feather, decontaminate: props.decontaminate }),
        file: 'background.png',
      }
    case 'background-blur':
      return { out: replaceBackground(photo, mask, { blur: props.blur }, { feather: props.feather }), file: 'background.png' }
    case 'recolour':
      return { out: recolor(photo, mask, { color: hexToRgb(props.colour), strength: props.strength }), file: 'recolour.png' }
    case 'inpaint-mask':
      return { out: rgbaOfMask(inpaintMask(mask, { dilate: props.dilate })), file: 'inpaint-mask.png' }
    case 'refine-edges':
      return {
        out: rgbaOfMask(refineEdges(photo, mask, { radius: props.radius, epsilon: props.epsilon, band: props.band })),
        before: rgbaOfMask(mask),
        file: 'refined-mask.png',
      }
  }
}

function EditDemo(props: DemoProps) {
  const [masks, setMasks] = useState<readonly SelectionObject[]>([])
  const mask = useMemo(() => {
    const chosen = masks
      .filter((o) => !o.hidden)
      .map(chosenMask)
      .filter((m): m is Mask => m !== null)
    return chosen.length ? chosen.reduce((a, b) => union(a, b)) : null
  }, [masks])
  const result = useMemo(() => (mask ? apply(props, mask) : null), [mask, props])
  const download = usePngUrl(result?.out)
  return (
    <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'flex-start', fontFamily: 'system-ui, sans-serif' }}>
      <SegmentCanvas image={photo} style={exact} masks={masks} onMasksChange={setMasks} />
      <figure style={{ margin: 0, display: 'grid', gap: 6 }}>
        {!result && <figcaption>Click an object to see the {props.helper.replace('-', ' ')}.</figcaption>}
        {result?.before && <Picture image={result.before} label="before" maxWidth={W} />}
        {result && <Picture image={result.out} label="result" maxWidth={W} />}
        {download && result && (
          <a href={download} download={result.file}>
            Download {result.file}
          </a>
        )}
      </figure>
    </div>
  )
}

const meta: Meta<typeof EditDemo> = {
  title: 'Edit/Helpers',
  component: EditDemo,
  args: { helper: 'cutout', feather: 2, colour: '#1e90ff', blur: 12, decontaminate: true, strength: 1, dilate: 12, radius: 4, epsilon: 1e-3, band: 2 },
  argTypes: {
    colour: { control: 'color' },
    feather: { control: { type: 'range', min: 0, max: 16 } },
    blur: { control: { type: 'range', min: 1, max: 40 } },
    strength: { control: { type: 'range', min: 0, max: 1, step: 0.05 } },
    dilate: { control: { type: 'range', min: 0, max: 40 } },
    radius: { control: { type: 'range', min: 1, max: 16 } },
    band: { control: { type: 'range', min: 1, max: 16 } },
  },
}
export default meta
type Story = StoryObj<typeof EditDemo>

/** Selects the disc and returns the result canvas's pixels. */
async function selectDisc(canvasElement: HTMLElement, label = 'result') {
  const c = await readyCanvas(canvasElement, W, H)
  await click(c, disc.inside.x, disc.inside.y)
  const canvas = await within(canvasElement).findByLabelText(label, {}, { timeout: 10_000 })
  // The download link follows the browser's PNG encoder, which a loaded machine can take seconds for.
  await waitFor(() => expect(within(canvasElement).getByRole('link')).toBeTruthy(), { timeout: 10_000 })
  const ctx = (canvas as HTMLCanvasElement).getContext('2d')!
  const { width, height } = canvas as HTMLCanvasElement
  const data = ctx.getImageData(0, 0, width, height).data
  return { width, height, at: (x: number, y: number) => [...data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)] }
}

const inside = { x: disc.inside.x, y: disc.inside.y }
const outside = { x: Math.round(photo.background.x), y: Math.round(photo.background.y) }

export const Cutout: Story = {
  play: async ({ canvasElement }) => {
    const out = await selectDisc(canvasElement)
    // Trimmed to the disc plus 8 px: transparent corners, opaque centre.
    expect(out.at(0, 0)[3]).toBe(0)
    expect(out.at(Math.floor(out.width / 2), Math.floor(out.height / 2))[3]).toBe(255)
    // The download is a real PNG made by toBlob, of the cut-out's size, transparent where the canvas is.
    const link = within(canvasElement).getByRole('link')
    expect(link.getAttribute('download')).toBe('cutout.png')
    const blob = await (await fetch(link.getAttribute('href')!)).blob()
    expect(blob.type).toBe('image/png')
    const bitmap = await createImageBitmap(blob)
    expect([bitmap.width, bitmap.height]).toEqual([out.width, out.height])
  },
}

export const BackgroundColour: Story = {
  args: { helper: 'background-colour', colour: '#00ff00' },
  play: async ({ canvasElement }) => {
    const out = await selectDisc(canvasElement)
    expect(out.at(outside.x, outside.y)).toEqual([0, 255, 0, 255])
    const p = (inside.y * W + inside.x) * 4
    expect(out.at(inside.x, inside.y)).toEqual([...photo.data.subarray(p, p + 4)])
  },
}

export const BackgroundImage: Story = {
  args: { helper: 'background-image' },
  play: async ({ canvasElement }) => {
    const out = await selectDisc(canvasElement)
    const [r, g, b] = out.at(outside.x, outside.y)
    const p = (outside.y * W + outside.x) * 4
    expect([r, g, b]).not.toEqual([...photo.data.subarray(p, p + 3)])
  },
}

export const BackgroundBlur: Story = {
  args: { helper: 'background-blur', blur: 16 },
  play: async ({ canvasElement }) => {
    const out = await selectDisc(canvasElement)
    // The background's fine texture is smoothed: neighbouring pixels differ less than in the photo.
    const contrast = (get: (x: number, y: number) => number[]) => {
      let sum = 0
      for (let x = 20; x < 120; x++) sum += Math.abs(get(x, 20)[1] - get(x + 1, 20)[1])
      return sum
    }
    const original = (x: number, y: number) => [...photo.data.subarray((y * W + x) * 4, (y * W + x) * 4 + 4)]
    expect(contrast(out.at)).toBeLessThan(contrast(original) / 2)
  },
}

export const Recolour: Story = {
  args: { helper: 'recolour', colour: '#1e90ff' },
  play: async ({ canvasElement }) => {
    const out = await selectDisc(canvasElement)
    const [r, , b] = out.at(inside.x, inside.y)
    expect(b).toBeGreaterThan(r) // the red disc turned blue
    const p = (outside.y * W + outside.x) * 4
    expect(out.at(outside.x, outside.y)).toEqual([...photo.data.subarray(p, p + 4)]) // the rest is untouched
  },
}

export const InpaintMaskExport: Story = {
  args: { helper: 'inpaint-mask', dilate: 12 },
  play: async ({ canvasElement }) => {
    const out = await selectDisc(canvasElement)
    expect(out.at(inside.x, inside.y)).toEqual([255, 255, 255, 255])
    expect(out.at(outside.x, outside.y)).toEqual([0, 0, 0, 255])
    // Grown past the edge: 8 px left of the disc's leftmost point is still white.
    expect(out.at(Math.round(disc.box.x0) - 8, Math.round((disc.box.y0 + disc.box.y1) / 2))).toEqual([255, 255, 255, 255])
    expect(within(canvasElement).getByRole('link').getAttribute('download')).toBe('inpaint-mask.png')
  },
}

export const RefineEdgesBeforeAfter: Story = {
  args: { helper: 'refine-edges', radius: 4, epsilon: 1e-3, band: 2 },
  play: async ({ canvasElement }) => {
    const out = await selectDisc(canvasElement)
    const before = await selectDisc(canvasElement, 'before')
    expect(out.at(inside.x, inside.y)).toEqual([255, 255, 255, 255])
    expect(before.at(outside.x, outside.y)).toEqual([0, 0, 0, 255])
    // The refined edge is soft: some pixels along the disc's edge take grey levels the binary mask never has.
    let soft = 0
    for (let x = 0; x < W; x++) {
      const v = out.at(x, inside.y)[0]
      if (v > 0 && v < 255) soft++
    }
    expect(soft).toBeGreaterThan(0)
  },
}
