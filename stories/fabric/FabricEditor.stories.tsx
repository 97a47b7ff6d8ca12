/**
 * @anymask/fabric in a small fabric.js photo editor: move, scale and rotate the photo (Move mode), select on it
 * whatever its transform (Select mode: click, Alt-click, drag a box, Shift for a new object), cut the selection out
 * and drag the cutout away, recolour it, put a new background behind it, undo each edit. Offline, on the embedded
 * anymask-lite model.
 */
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useRef, useState } from 'react'
import { expect, fireEvent, waitFor, within } from 'storybook/test'
import { Canvas, FabricImage } from 'fabric'
import { attachSegmentTool, type SegmentTool } from '@anymask/fabric'
import { colourCentroid } from '../../test/support/rendered.js'
import { scene } from '../support/scenes.js'
import { READY_TIMEOUT } from '../support/play.js'

const W = 480
const H = 360
const photo = scene(W, H)
const [disc] = photo.objects
const VIEW = { width: 720, height: 520 }

interface EditorProps {
  /** The photo's rotation in degrees. */
  angle: number
  /** The photo's scale. */
  scale: number
  /** The canvas zoom. */
  zoom: number
}

function FabricEditor({ angle, scale, zoom }: EditorProps) {
  const element = useRef<HTMLCanvasElement>(null)
  const [tool, setTool] = useState<SegmentTool>()
  const [status, setStatus] = useState('loading')
  const [mode, setMode] = useState<'select' | 'move'>('select')
  useEffect(() => {
    const canvas = new Canvas(element.current!, { ...VIEW, backgroundColor: '#e5e7eb', enableRetinaScaling: false })
    const source = Object.assign(document.createElement('canvas'), { width: W, height: H })
    source.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(photo.data), W, H), 0, 0)
    const image = new FabricImage(source, {
      left: VIEW.width / 2,
      top: VIEW.height / 2,
      originX: 'center',
      originY: 'center',
      angle,
      scaleX: scale,
      scaleY: scale,
    })
    canvas.add(image)
    canvas.setZoom(zoom)
    canvas.on('mouse:wheel', ({ e }) => {
      e.preventDefault()
      canvas.zoomToPoint(canvas.getViewportPoint(e), Math.min(8, Math.max(0.2, canvas.getZoom() * Math.exp(-e.deltaY * 0.0015))))
    })
    const attached = attachSegmentTool(canvas, image)
    canvas.on('anymask:change' as never, () => setStatus(`${attached.store.getSnapshot().objects.filter((o) => o.candidate >= 0).length} selected`))
    canvas.on('anymask:edit' as never, ({ action }: { action: string }) => setStatus(action))
    attached.ready.then(
      () => setStatus('ready'),
      (error) => setStatus(`error: ${error}`),
    )
    setTool(attached)
    Object.assign(element.current!, { fabric: canvas, tool: attached, photo: image })
    return () => {
      attached.dispose()
      void canvas.dispose()
    }
  }, [angle, scale, zoom])

  const act = (edit: () => unknown) => () => {
    if (!edit()) setStatus('nothing selected')
  }
  const switchMode = (next: 'select' | 'move') => {
    setMode(next)
    tool?.setEnabled(next === 'select')
  }
  return (
    <div style={{ fontFamily: 'system-ui, sans-serif' }}>
      <div role="toolbar" aria-label="Editor" style={{ display: 'flex', gap: 6, marginBottom: 6, flexWrap: 'wrap' }}>
        <button type="button" aria-pressed={mode === 'select'} onClick={() => switchMode('select')}>
          Select
        </button>
        <button type="button" aria-pressed={mode === 'move'} onClick={() => switchMode('move')}>
          Move photo
        </button>
        <button type="button" onClick={act(() => tool?.cutout())}>
          Cut out
        </button>
        <button type="button" onClick={act(() => tool?.recolor({ color: [40, 200, 90] }))}>
          Recolour
        </button>
        <button type="button" onClick={act(() => tool?.replaceBackground({ color: [250, 204, 21] }))}>
          New background
        </button>
        <button type="button" onClick={() => tool?.undoEdit()}>
          Undo edit
        </button>
        <button type="button" onClick={() => tool?.store.undo()}>
          Undo selection
        </button>
      </div>
      <canvas ref={element} data-testid="editor" />
      <output data-testid="status" style={{ display: 'block', marginTop: 6 }}>
        {status}
      </output>
      <p style={{ color: '#555', maxWidth: VIEW.width }}>
        Select: click an object, Alt-click (or right click) to take part away, drag for a box, Shift for another object. Move photo: drag, scale and rotate it
        with fabric's handles; the selection follows. The wheel zooms.
      </p>
    </div>
  )
}

interface Editor {
  fabric: Canvas
  tool: SegmentTool
  photo: FabricImage
}

const meta = {
  title: 'fabric/Photo editor',
  component: FabricEditor,
  args: { angle: 20, scale: 0.9, zoom: 1.1 },
} satisfies Meta<typeof FabricEditor>
export default meta
type Story = StoryObj<typeof meta>

/** The editor's canvas element, once the tool is ready, with what the story put on it. */
async function ready(root: HTMLElement): Promise<{ element: HTMLCanvasElement; editor: Editor }> {
  const status = within(root).getByTestId('status')
  await waitFor(() => expect(status.textContent).toBe('ready'), { timeout: READY_TIMEOUT })
  const element = within(root).getByTestId<HTMLCanvasElement>('editor')
  return { element, editor: element as unknown as Editor }
}

/** Client point of the centre of the rendered pixels of `colour` (found on the canvas, not from the adapter's maths). */
function onScreen(editor: Editor, colour: number[]): { clientX: number; clientY: number } {
  editor.fabric.renderAll() // what is on screen now, not at the next frame
  const lower = editor.fabric.getElement()
  const { x, y, n } = colourCentroid(lower.getContext('2d')!.getImageData(0, 0, lower.width, lower.height).data, lower.width, colour)
  expect(n).toBeGreaterThan(100)
  const box = editor.fabric.upperCanvasEl.getBoundingClientRect()
  return { clientX: box.left + x, clientY: box.top + y }
}

const rectColour = [40, 70, 200]
const discColour = [...photo.data.slice((disc.inside.y * W + disc.inside.x) * 4, (disc.inside.y * W + disc.inside.x) * 4 + 3)]

function press(editor: Editor, at: { clientX: number; clientY: number }, to = at) {
  const upper = editor.fabric.upperCanvasEl
  fireEvent.mouseDown(upper, { ...at, button: 0, buttons: 1 })
  fireEvent.mouseMove(upper, { ...to, buttons: 1 })
  fireEvent.mouseUp(upper, { ...to, button: 0 })
}

/** Click the rotated, scaled photo's disc in a zoomed canvas: the disc is selected, then cut out and dragged away. */
export const SelectCutOutAndDrag: Story = {
  play: async ({ canvasElement }) => {
    const { editor } = await ready(canvasElement)
    press(editor, onScreen(editor, discColour))
    await waitFor(() => expect(within(canvasElement).getByTestId('status').textContent).toBe('1 selected'))
    const mask = editor.tool.controller.exportMask()!
    let both = 0,
      either = 0
    for (let i = 0; i < mask.data.length; i++) (both += +(mask.data[i] > 0 && disc.mask[i] > 0)), (either += +(mask.data[i] > 0 || disc.mask[i] > 0))
    expect(both / either).toBeGreaterThanOrEqual(0.97)

    fireEvent.click(within(canvasElement).getByRole('button', { name: 'Cut out' }))
    const cutout = editor.fabric.getObjects().at(-1) as FabricImage
    expect(within(canvasElement).getByTestId('status').textContent).toBe('cutout')
    // Dragging the cutout (a press on it is fabric's, even in Select mode) moves it and leaves the selection alone.
    const { left, top } = cutout
    const from = onScreen(editor, discColour)
    press(editor, from, { clientX: from.clientX + 80, clientY: from.clientY + 40 })
    await waitFor(() => expect(cutout.left).not.toBe(left))
    expect(Math.hypot(cutout.left - left, cutout.top - top)).toBeGreaterThan(40)
    expect(editor.tool.store.getSnapshot().objects).toHaveLength(1)
  },
}

/** Recolour and new background change the photo under the selection only, and each is undone. */
export const RecolourAndNewBackground: Story = {
  play: async ({ canvasElement }) => {
    const { editor } = await ready(canvasElement)
    press(editor, onScreen(editor, discColour))
    await waitFor(() => expect(within(canvasElement).getByTestId('status').textContent).toBe('1 selected'))
    const pixel = (x: number, y: number) => {
      const el = editor.photo.getElement() as HTMLCanvasElement
      return [...el.getContext('2d')!.getImageData(x, y, 1, 1).data]
    }
    const inside = pixel(disc.inside.x, disc.inside.y)
    const outside = pixel(photo.background.x, photo.background.y)
    fireEvent.click(within(canvasElement).getByRole('button', { name: 'Recolour' }))
    expect(pixel(disc.inside.x, disc.inside.y)[1]).toBeGreaterThan(inside[1] + 40) // greener
    expect(pixel(photo.background.x, photo.background.y)).toEqual(outside)
    fireEvent.click(within(canvasElement).getByRole('button', { name: 'New background' }))
    expect(pixel(photo.background.x, photo.background.y)).toEqual([250, 204, 21, 255])
    fireEvent.click(within(canvasElement).getByRole('button', { name: 'Undo edit' }))
    fireEvent.click(within(canvasElement).getByRole('button', { name: 'Undo edit' }))
    expect(pixel(disc.inside.x, disc.inside.y)).toEqual(inside)
    expect(pixel(photo.background.x, photo.background.y)).toEqual(outside)
  },
}

/** Move mode gives the photo back to fabric (it can be dragged); back in Select mode the selection has followed it. */
export const MoveThePhoto: Story = {
  args: { angle: 0, scale: 1, zoom: 1 },
  play: async ({ canvasElement }) => {
    const { editor } = await ready(canvasElement)
    press(editor, onScreen(editor, discColour))
    await waitFor(() => expect(within(canvasElement).getByTestId('status').textContent).toBe('1 selected'))
    fireEvent.click(within(canvasElement).getByRole('button', { name: 'Move photo' }))
    const { left } = editor.photo
    const from = onScreen(editor, rectColour) // the disc is tinted by the selection now
    press(editor, from, { clientX: from.clientX - 60, clientY: from.clientY })
    await waitFor(() => expect(editor.photo.left).toBeCloseTo(left - 60, 0))
    expect(editor.tool.store.getSnapshot().objects[0].points).toHaveLength(1) // moving selected nothing
    editor.photo.rotate(25)
    editor.fabric.renderAll()
    fireEvent.click(within(canvasElement).getByRole('button', { name: 'Select' }))
    // The overlay is placed by the photo's transform: it sits exactly over the moved, rotated photo.
    const overlay = editor.fabric.getObjects()[editor.fabric.getObjects().indexOf(editor.photo) + 1]
    const [a, b] = [editor.photo.calcTransformMatrix(), overlay.calcTransformMatrix()]
    for (let k = 0; k < 6; k++) expect(b[k]).toBeCloseTo(a[k], 6)
    press(editor, onScreen(editor, rectColour))
    await waitFor(() => expect(editor.tool.store.getSnapshot().objects[0].points).toHaveLength(2))
  },
}
