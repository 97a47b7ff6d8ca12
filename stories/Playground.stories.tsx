/**
 * The Playground: the whole kit on one page, as a photo editor would put it together. A gallery of photographs
 * (and the synthetic scenes, which work anywhere), upload, drag-and-drop and paste; the model picker; every tool of
 * <SegmentCanvas>; one-click edits of the selection with @anymask/edit, each with a PNG download.
 */
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useRef, useState, type ClipboardEvent as ReactClipboardEvent, type DragEvent } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { models, type Mask, type RgbaImage } from '@anymask/core'
import { cutout, inpaintMask, recolor, replaceBackground } from '@anymask/edit'
import { SegmentCanvas, type SegmentCanvasHandle } from '@anymask/react'
import { makeScene, manyObjects } from '../test/support/scenes.js'
import { click, readyCanvas } from './support/play.js'
import { Picture, rgbaOfMask, usePngUrl } from './support/pictures.js'

const W = 640
const H = 480

interface Entry {
  name: string
  /** Pixels, or the URL the photograph is read from. */
  image: RgbaImage | string
  /** Read from another host when picked (not served by the demos): listed without a thumbnail. */
  downloads?: boolean
  credit: string
}

/** Set by .storybook/main.ts: the photo folders this Storybook serves (absent where its config did not run). */
declare const __ANYMASK_PHOTOS__: { grabcut: boolean; sam: boolean } | undefined
const served = typeof __ANYMASK_PHOTOS__ === 'undefined' ? { grabcut: false, sam: false } : __ANYMASK_PHOTOS__

// Segment Anything's example photographs (Apache-2.0): served here when ../shared/data is, else from their public
// address at a pinned commit (fetched only when picked, so an offline visit asks nothing of the network).
const SAM_COMMIT = 'dca509fe793f601edb92606367a655c15ac00fdf'
const samPhoto = (file: string, path = 'notebooks/images'): Entry => ({
  name: file.replace('.jpg', ''),
  image: served.sam ? `/sam-photos/${file}` : `https://raw.githubusercontent.com/facebookresearch/segment-anything/${SAM_COMMIT}/${path}/${file}`,
  downloads: !served.sam,
  credit: 'Segment Anything examples (facebookresearch/segment-anything, Apache-2.0)',
})
// GrabCut dataset photographs: research data, shown only where ../shared/data is (never published with the repo).
const grabcutPhoto = (name: string): Entry => ({
  name,
  image: `/photos/${name}.jpg`,
  credit: 'GrabCut dataset (Rother, Kolmogorov, Blake 2004; BSDS500 photos: non-commercial research and education)',
})
const scenes: Entry[] = [
  { name: 'shapes', image: makeScene(W, H), credit: 'synthetic scene (anymask tests)' },
  { name: 'six objects', image: makeScene(W, H, manyObjects(6)), credit: 'synthetic scene (anymask tests)' },
]
const samPhotos = [samPhoto('truck.jpg'), samPhoto('dog.jpg'), samPhoto('groceries.jpg'), samPhoto('dogs.jpg', 'demo/src/assets/data')]
const grabcutPhotos = served.grabcut ? ['llama', 'teddy', 'flower', 'banana1', '124084', 'sheep'].map(grabcutPhoto) : []

/** The gallery: the photographs served here first, then the synthetic scenes, then those that download. */
const GALLERY: Entry[] = [...(served.sam ? samPhotos : []), ...grabcutPhotos, ...scenes, ...(served.sam ? [] : samPhotos)]

type Action = 'cut out' | 'remove background' | 'replace background' | 'blur background' | 'recolour' | 'inpainting mask'
const ACTIONS: Action[] = ['cut out', 'remove background', 'replace background', 'blur background', 'recolour', 'inpainting mask']

/** What an action makes of the image and the selection. */
function apply(action: Action, image: RgbaImage, mask: Mask): RgbaImage {
  switch (action) {
    case 'cut out':
      return cutout(image, mask, { trim: true, padding: 8, feather: 1 })
    case 'remove background':
      return cutout(image, mask, { feather: 1 })
    case 'replace background':
      return replaceBackground(image, mask, { color: [37, 99, 235] }, { feather: 1, decontaminate: true })
    case 'blur background':
      return replaceBackground(image, mask, { blur: 12 }, { feather: 1 })
    case 'recolour':
      return recolor(image, mask, { color: [236, 72, 153], strength: 0.9 })
    case 'inpainting mask':
      return rgbaOfMask(inpaintMask(mask, { dilate: 8 }))
  }
}

function Result({ image, action }: { image: RgbaImage; action: Action }) {
  const href = usePngUrl(image)
  return (
    <figure className="playground-result" style={{ margin: 0 }}>
      <Picture image={image} label={`Result: ${action}`} maxWidth="100%" />
      <figcaption>
        {href && (
          <a href={href} download={`${action.replace(/ /g, '-')}.png`}>
            Download {action} (PNG)
          </a>
        )}
      </figcaption>
    </figure>
  )
}

function Playground() {
  const [picked, setPicked] = useState<Entry | null>(null)
  const [uploaded, setUploaded] = useState<{ name: string; file: Blob } | null>(null)
  const [model, setModel] = useState('anymask-lite')
  const [hasSelection, setHasSelection] = useState(false)
  /** The name of the picture the canvas is ready on (a play function waits for it after picking one). */
  const [readyOn, setReadyOn] = useState<string | null>(null)
  const [result, setResult] = useState<{ image: RgbaImage; action: Action } | null>(null)
  const canvas = useRef<SegmentCanvasHandle>(null)
  const current = uploaded ? null : (picked ?? GALLERY[0])
  const image = uploaded?.file ?? current?.image

  const take = (file: File | undefined | null) => {
    if (!file?.type.startsWith('image/')) return
    setUploaded({ name: file.name || 'pasted image', file })
    setReadyOn(null)
    setResult(null)
  }
  const pick = (entry: Entry) => {
    if (entry === current) return
    setUploaded(null)
    setPicked(entry)
    setReadyOn(null)
    setResult(null)
  }
  const run = (action: Action) => {
    const pixels = canvas.current?.image
    const mask = canvas.current?.selectionMask()
    if (pixels && mask) setResult({ image: apply(action, pixels, mask), action })
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop zone and paste target around the demo; the file input is the accessible way in
    <div
      className="playground"
      style={{ display: 'grid', gridTemplateColumns: '200px 640px 260px', gap: 16, fontFamily: 'system-ui, sans-serif', fontSize: 14 }}
      onDragOver={(e: DragEvent) => e.preventDefault()}
      onDrop={(e: DragEvent) => {
        e.preventDefault()
        take(e.dataTransfer.files[0])
      }}
      onPaste={(e: ReactClipboardEvent) => take(e.clipboardData.files[0])}
    >
      <nav aria-label="Gallery" style={{ display: 'grid', gap: 6, alignContent: 'start', maxHeight: 560, overflowY: 'auto', minWidth: 0 }}>
        <label style={{ display: 'grid', gap: 4 }}>
          Your photo, or drop or paste one:
          <input type="file" accept="image/*" style={{ width: '100%' }} onChange={(e) => take(e.target.files?.[0])} />
        </label>
        {GALLERY.map((entry) => (
          <button
            key={entry.name}
            type="button"
            aria-pressed={entry === current}
            title={entry.credit}
            onClick={() => pick(entry)}
            style={{
              display: 'grid',
              gap: 2,
              padding: 4,
              textAlign: 'left',
              border: entry === current ? '2px solid #2563eb' : '1px solid #ccc',
              background: 'white',
            }}
          >
            {typeof entry.image === 'string' && !entry.downloads && <img src={entry.image} alt="" style={{ width: '100%', height: 72, objectFit: 'cover' }} />}
            <span>
              {entry.name}
              {entry.downloads && ' (downloads)'}
            </span>
          </button>
        ))}
      </nav>
      <main style={{ display: 'grid', gap: 6, alignContent: 'start' }} data-ready-on={readyOn ?? undefined}>
        {image ? (
          <SegmentCanvas
            ref={canvas}
            image={image}
            model={model}
            style={{ width: W, ['--anymask-height' as string]: `${H}px` }}
            onReady={() => setReadyOn(uploaded?.name ?? current?.name ?? null)}
            onMasksChange={(objects) => setHasSelection(objects.some((o) => !o.hidden && o.candidates.length > 0))}
          />
        ) : null}
        <small className="playground-credit">{uploaded ? `Your image: ${uploaded.name}` : current?.credit}</small>
      </main>
      <aside style={{ display: 'grid', gap: 8, alignContent: 'start' }}>
        <label style={{ display: 'grid', gap: 4 }}>
          Model
          <select value={model} onChange={(e) => setModel(e.target.value)}>
            {Object.values(models).map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
                {m.id === 'anymask-lite' ? ' (embedded, offline)' : ' (downloads)'}
              </option>
            ))}
          </select>
        </label>
        {/* biome-ignore lint/a11y/useSemanticElements: a plain group of buttons, no form */}
        <div role="group" aria-label="Edit the selection" style={{ display: 'grid', gap: 4 }}>
          {ACTIONS.map((action) => (
            <button key={action} type="button" disabled={!hasSelection} onClick={() => run(action)}>
              {action[0].toUpperCase() + action.slice(1)}
            </button>
          ))}
        </div>
        {result && <Result image={result.image} action={result.action} />}
      </aside>
    </div>
  )
}

const meta: Meta<typeof Playground> = {
  title: 'Playground',
  component: Playground,
  parameters: { layout: 'padded' },
}
export default meta
type Story = StoryObj<typeof Playground>

/** The landing page: the first photograph of the gallery (a synthetic scene where there is none), ready to click. */
export const Default: Story = {
  play: async ({ canvasElement }) => {
    await readyCanvas(canvasElement, W, H)
    const gallery = within(canvasElement).getByRole('navigation', { name: 'Gallery' })
    expect(within(gallery).getAllByRole('button').length).toBeGreaterThanOrEqual(scenes.length)
  },
}

/** A selection on the shapes scene, then each edit: the background removed keeps exactly the disc. */
export const EditTheSelection: Story = {
  play: async ({ canvasElement }) => {
    const page = within(canvasElement)
    ;(await page.findByRole('button', { name: /^shapes/ }, { timeout: 30_000 })).click()
    // Ready on the scene, not on the photograph shown before it.
    await waitFor(() => expect(canvasElement.querySelector('main')?.dataset.readyOn).toBe('shapes'), { timeout: 120_000 })
    const c = await readyCanvas(canvasElement, W, H)
    const shapes = scenes[0].image as ReturnType<typeof makeScene>
    const disc = shapes.objects[0]
    await click(c, disc.inside.x, disc.inside.y)
    const remove = page.getByRole('button', { name: 'Remove background' })
    await waitFor(() => expect(remove).toBeEnabled())
    remove.click()
    const result = await page.findByLabelText<HTMLCanvasElement>('Result: remove background')
    const out = result.getContext('2d')!.getImageData(0, 0, W, H).data
    let both = 0
    let either = 0
    for (let i = 0; i < W * H; i++) {
      const opaque = out[i * 4 + 3] > 127
      both += +(opaque && disc.mask[i] === 1)
      either += +(opaque || disc.mask[i] === 1)
    }
    expect(both / either).toBeGreaterThanOrEqual(0.95)
    const link = await page.findByRole('link', { name: 'Download remove background (PNG)' })
    expect(link.getAttribute('download')).toBe('remove-background.png')
    expect(link.getAttribute('href')).toMatch(/^blob:/)
  },
}
