/**
 * @anymask/core on its own: a plain canvas wired to a Segmenter. Hover previews, click adds an object point,
 * Alt-click a background point; the candidates and their scores are listed. Runs offline on the embedded
 * anymask-lite model. (The full editor component is @anymask/react's <SegmentCanvas>.)
 */
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useRef, useState } from 'react'
import {
  createSegmenter,
  type ImageSession,
  type Mask,
  type ProgressEvent,
  type PromptPoint,
  type RgbaImage,
  type Segmentation,
  type Segmenter,
} from '@anymask/core'
import { makeScene } from '../../test/support/scenes.js'

function drawOverlay(canvas: HTMLCanvasElement, image: RgbaImage, mask: Mask | undefined, points: PromptPoint[]) {
  const ctx = canvas.getContext('2d')!
  const pixels = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height)
  if (mask) {
    for (let i = 0; i < mask.data.length; i++) {
      if (!mask.data[i]) continue
      const p = i * 4
      pixels.data[p] = (pixels.data[p] + 30) >> 1
      pixels.data[p + 1] = (pixels.data[p + 1] + 144) >> 1
      pixels.data[p + 2] = (pixels.data[p + 2] + 255) >> 1
    }
  }
  ctx.putImageData(pixels, 0, 0)
  for (const p of points) {
    ctx.beginPath()
    ctx.arc(p.x, p.y, 6, 0, Math.PI * 2)
    ctx.fillStyle = p.label === 1 ? '#1e90ff' : '#ff3b30'
    ctx.fill()
    ctx.strokeStyle = 'white'
    ctx.lineWidth = 2
    ctx.stroke()
  }
}

async function fileToRgba(file: File): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(file)
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
  const ctx = canvas.getContext('2d')!
  ctx.drawImage(bitmap, 0, 0)
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height)
}

function ClickToSegment({ width, height }: { width: number; height: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const [image, setImage] = useState<RgbaImage>(() => makeScene(width, height))
  const [segmenter, setSegmenter] = useState<Segmenter>()
  const [session, setSession] = useState<ImageSession>()
  const [progress, setProgress] = useState<ProgressEvent>({ status: 'download' })
  const [points, setPoints] = useState<PromptPoint[]>([])
  const [result, setResult] = useState<Segmentation>()
  const [shown, setShown] = useState<number>()
  const [error, setError] = useState<string>()

  useEffect(() => {
    let alive = true
    let created: Segmenter | undefined
    createSegmenter({ onProgress: (e) => alive && setProgress(e) }).then(
      (s) => (alive ? setSegmenter((created = s)) : s.dispose()),
      (e: Error) => setError(e.message),
    )
    return () => {
      alive = false
      void created?.dispose()
    }
  }, [])

  useEffect(() => {
    if (!segmenter) return
    let current: ImageSession | undefined
    setSession(undefined)
    setPoints([])
    setResult(undefined)
    segmenter.encode(image).then(
      (s) => setSession((current = s)),
      (e: Error) => setError(e.message),
    )
    return () => current?.dispose()
  }, [segmenter, image])

  const mask = result ? result.masks[shown ?? result.best] : undefined
  useEffect(() => {
    if (canvasRef.current) drawOverlay(canvasRef.current, image, mask, points)
  }, [image, mask, points])

  const toImagePoint = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect()
    return { x: ((e.clientX - rect.left) * image.width) / rect.width, y: ((e.clientY - rect.top) * image.height) / rect.height }
  }

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    if (!session || points.length > 0) return
    session.preview({ points: [{ ...toImagePoint(e), label: 1 }] }).then(
      (r) => {
        if (r) {
          setResult(r)
          setShown(undefined)
        }
      },
      () => undefined,
    )
  }

  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    if (!session) return
    const next = [...points, { ...toImagePoint(e), label: e.altKey ? 0 : 1 } as PromptPoint]
    setPoints(next)
    session.decode({ points: next }).then(
      (r) => {
        setResult(r)
        setShown(undefined)
      },
      (err: Error) => setError(err.message),
    )
  }

  const state = error ? 'error' : session ? 'ready' : segmenter ? 'encoding' : 'loading'
  return (
    <div data-state={state} style={{ fontFamily: 'system-ui, sans-serif', display: 'grid', gap: 8, maxWidth: 900 }}>
      <div role="status" aria-live="polite">
        {error
          ? `Error: ${error}`
          : state === 'ready'
            ? `Ready on ${segmenter?.device}. Hover to preview, click to add an object point, Alt-click a background point.`
            : `${state}… ${progress.total ? `${Math.round(((progress.loaded ?? 0) / progress.total) * 100)}%` : ''}`}
      </div>
      <canvas
        ref={canvasRef}
        width={image.width}
        height={image.height}
        onMouseMove={onMove}
        onClick={onClick}
        style={{ width: '100%', cursor: 'crosshair', borderRadius: 6 }}
        aria-label="Image to segment"
      />
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
        {result?.masks.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: candidates are positional: the index is their identity
          <button type="button" key={i} onClick={() => setShown(i)} aria-pressed={(shown ?? result.best) === i}>
            Candidate {i + 1}: score {result.scores[i].toFixed(3)}, {((100 * m.area) / (m.width * m.height)).toFixed(1)}%
          </button>
        ))}
        <button type="button" onClick={() => (setPoints([]), setResult(undefined))}>
          Clear
        </button>
        <label>
          Your own image: <input type="file" accept="image/*" onChange={(e) => e.target.files?.[0] && fileToRgba(e.target.files[0]).then(setImage)} />
        </label>
      </div>
    </div>
  )
}

const meta: Meta<typeof ClickToSegment> = {
  title: 'Core/Click to segment',
  component: ClickToSegment,
  args: { width: 800, height: 600 },
}
export default meta

export const SyntheticScene: StoryObj<typeof ClickToSegment> = {}
export const Panorama: StoryObj<typeof ClickToSegment> = { args: { width: 1000, height: 333 } }
