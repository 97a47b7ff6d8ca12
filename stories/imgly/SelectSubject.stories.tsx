/**
 * @anymask/imgly wired into <SegmentCanvas> by its `autoSelect` prop: "Select subject" runs IMG.LY's ISNet (real
 * weights, served at /imgly-data/ from @imgly/background-removal-data) and SAM (the embedded anymask-lite) refines
 * the matte into a layer that clicks then correct. On a GrabCut photograph where ../shared/data is present, else on a
 * drawn subject.
 */
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { expect, fn, waitFor } from 'storybook/test'
import type { RgbaImage, SelectionObject } from '@anymask/core'
import { selectSubject } from '@anymask/imgly'
import { SegmentCanvas, type SegmentCanvasProps } from '@anymask/react'

const PHOTO = '/photos/124084.jpg'
const publicPath = '/imgly-data/'

/** A dark vase on a pale wall: a subject for when no photograph is at hand. */
function drawnSubject(width = 480, height = 360): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5 - width / 2) / (width * 0.2)
      const v = (y + 0.5 - height / 2) / (height * 0.34)
      const wall = 226 - (24 * y) / height
      data.set(u * u + v * v <= 1 ? [120, 44, 36, 255] : [wall, wall - 6, wall - 14, 255], (y * width + x) * 4)
    }
  return { data, width, height }
}

function SubjectCanvas(props: SegmentCanvasProps) {
  const [image, setImage] = useState<Blob | RgbaImage | undefined>(undefined)
  useEffect(() => {
    fetch(PHOTO).then(
      async (r) => setImage(r.ok && r.headers.get('content-type')?.startsWith('image/') ? await r.blob() : drawnSubject()),
      () => setImage(drawnSubject()),
    )
  }, [])
  return image ? <SegmentCanvas {...props} image={image} autoSelect={(pixels, signal) => selectSubject(pixels, { publicPath, signal })} /> : null
}

const meta: Meta<typeof SegmentCanvas> = {
  title: 'imgly/Select subject',
  component: SegmentCanvas,
  render: (args) => <SubjectCanvas {...args} />,
  args: { style: { width: 640, ['--anymask-height' as string]: '480px' }, onMasksChange: fn() },
  parameters: {
    docs: {
      description: {
        component:
          'One click selects the subject (ISNet, @imgly/background-removal, AGPL-3.0, opt-in), refined by SAM as a layer: then click to correct it. The weights (88 MB) load on the first click.',
      },
    },
  },
}
export default meta
type Story = StoryObj<typeof SegmentCanvas>

export const SelectSubject: Story = {
  play: async ({ args, canvasElement }) => {
    const root = await waitFor(
      () => {
        const found = canvasElement.querySelector<HTMLElement>('.anymask-root')
        expect(found?.dataset.state).toBe('ready')
        return found!
      },
      { timeout: 60_000 },
    )
    const button = [...root.querySelectorAll('button')].find((b) => b.textContent?.endsWith('Select subject'))
    expect(button).toBeDefined()
    button!.click()
    const layers = await waitFor(
      () => {
        const last = (args.onMasksChange as ReturnType<typeof fn>).mock.lastCall?.[0] as SelectionObject[] | undefined
        expect(last).toHaveLength(1)
        return last!
      },
      { timeout: 120_000 },
    )
    const mask = layers[0].candidates[layers[0].candidate]
    // The subject: a good part of the picture, not all of it.
    expect(mask.area / (mask.width * mask.height)).toBeGreaterThan(0.05)
    expect(mask.area / (mask.width * mask.height)).toBeLessThan(0.9)
  },
}
