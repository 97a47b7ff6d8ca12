/**
 * <SegmentCanvas> mounted as an app mounts it (the built @anymask/react): its life cycle as the user sees it,
 * a segmenter shared between two canvases, and errors reaching onError.
 */
import { createRef } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AnymaskError, createMask, createSegmenter } from '@anymask/core'
import { SegmentCanvas, type SegmentCanvasHandle } from '@anymask/react'
import { iou, makeScene } from '../support/scenes.js'

const scene = makeScene(320, 240)
let root: Root | null = null
let host: HTMLElement | null = null

function mount(element: React.ReactElement): HTMLElement {
  host = document.body.appendChild(document.createElement('div'))
  root = createRoot(host)
  root.render(element)
  return host
}

afterEach(() => {
  root?.unmount()
  host?.remove()
  root = host = null
})

/** Every value `data-state` takes and every text the loading slot shows, in order, from the first render. */
function watch(container: HTMLElement) {
  const states: string[] = []
  const texts: string[] = []
  const record = () => {
    const state = container.querySelector('.anymask-root')?.getAttribute('data-state')
    if (state && states.at(-1) !== state) states.push(state)
    const text = container.querySelector('.anymask-loading')?.textContent
    if (text && texts.at(-1) !== text) texts.push(text)
  }
  const observer = new MutationObserver(record)
  observer.observe(container, { subtree: true, childList: true, attributes: true, characterData: true })
  return { states, texts, stop: () => observer.disconnect() }
}

const until = (check: () => boolean, timeout = 60_000) => vi.waitFor(() => expect(check()).toBe(true), { timeout, interval: 20 })

describe('<SegmentCanvas> in a page', () => {
  // The default device: WebGPU, here Chromium's software adapter, where anymask-lite's first encode (its kernels
  // compiled, then run) made this test take 39 s on a 2-core machine beside one other test file, and over 60 s in a
  // full run beside the other test projects.
  it('goes loading -> encoding -> ready, showing download bytes and percentage on the way', async () => {
    const container = document.body.appendChild(document.createElement('div'))
    const seen = watch(container)
    host = container
    root = createRoot(container)
    root.render(<SegmentCanvas image={scene} />)
    await until(() => seen.states.at(-1) === 'ready', 170_000)
    seen.stop()
    expect(seen.states).toEqual(['loading', 'encoding', 'ready'])
    expect(seen.texts.some((t) => /Loading the model… \d+ KB of \d+ KB \(\d+%\)/.test(t))).toBe(true)
    expect(seen.texts.at(-1)).toMatch(/Analysing the image/)
    expect(container.querySelector('.anymask-loading')).toBeNull()
  }, 180_000)

  it('shares one segmenter between two canvases and leaves it to its owner', async () => {
    const segmenter = await createSegmenter({ device: 'wasm' })
    const encode = vi.spyOn(segmenter, 'encode')
    const container = mount(
      <>
        <SegmentCanvas image={scene} segmenter={segmenter} />
        <SegmentCanvas image={makeScene(200, 150)} segmenter={segmenter} />
      </>,
    )
    await until(() => [...container.querySelectorAll('.anymask-root')].filter((r) => r.getAttribute('data-state') === 'ready').length === 2)
    expect(encode).toHaveBeenCalledTimes(2)
    root!.unmount()
    root = null
    // Unmounting did not dispose the shared segmenter: it still encodes.
    const session = await segmenter.encode(scene)
    expect(session.width).toBe(320)
    await segmenter.dispose()
  })

  it('an image given as a new { data, width, height } on every render is encoded once, and the selection stays', async () => {
    const segmenter = await createSegmenter({ device: 'wasm' })
    const encode = vi.spyOn(segmenter, 'encode')
    const pixels = () => ({ data: scene.data, width: scene.width, height: scene.height }) // a new object each call
    const onMasksChange = vi.fn()
    const container = mount(<SegmentCanvas image={pixels()} segmenter={segmenter} onMasksChange={onMasksChange} />)
    await until(() => container.querySelector('.anymask-root')?.getAttribute('data-state') === 'ready')
    const handle = createRef<SegmentCanvasHandle>()
    root!.render(<SegmentCanvas image={pixels()} segmenter={segmenter} onMasksChange={onMasksChange} ref={handle} />)
    await until(() => handle.current !== null)
    await handle.current!.store.addPoint({ ...scene.objects[0].inside, label: 1 })
    for (let i = 0; i < 3; i++) {
      root!.render(<SegmentCanvas image={pixels()} segmenter={segmenter} onMasksChange={onMasksChange} ref={handle} />)
      await new Promise((r) => requestAnimationFrame(r))
    }
    expect(encode).toHaveBeenCalledTimes(1)
    expect(handle.current!.store.getSnapshot().objects).toHaveLength(1)
    // Other pixels are another image: encoded, and the selection starts over.
    root!.render(<SegmentCanvas image={makeScene(200, 150)} segmenter={segmenter} onMasksChange={onMasksChange} ref={handle} />)
    await until(() => encode.mock.calls.length === 2 && handle.current!.store.getSnapshot().objects.length === 0)
    root!.unmount()
    root = null
    await segmenter.dispose()
  })

  it('reports a bad image to onError and shows it in ErrorFallback, never a blank canvas', async () => {
    const onError = vi.fn()
    const container = mount(<SegmentCanvas image={new Blob(['not a picture'], { type: 'image/jpeg' })} onError={onError} />)
    await until(() => onError.mock.calls.length > 0)
    const error = onError.mock.calls[0][0] as AnymaskError
    expect(error).toBeInstanceOf(AnymaskError)
    expect(error.code).toBe('INVALID_IMAGE')
    await until(() => container.querySelector('[role="alert"]') !== null)
    expect(container.querySelector('[role="alert"]')!.textContent).toContain(error.message)
    expect(container.querySelector('.anymask-root')!.getAttribute('data-state')).toBe('error')
  })

  it.each([
    [{ tool: 'lasso' }, "SegmentCanvas: tool is \"lasso\"; expected 'point', 'box' or 'everything'."],
    [
      { components: { Toolbarr: null } },
      'SegmentCanvas: components.Toolbarr is not known; the names are Toolbar, Loading, ErrorFallback, PromptPoint, MaskOverlay.',
    ],
    [{ components: { Toolbar: 'div' } }, 'SegmentCanvas: components.Toolbar is "div"; expected a component, or null to hide it.'],
  ])('a bad prop (%o) is INVALID_OPTION in onError and ErrorFallback, not ignored', async (props, says) => {
    const onError = vi.fn()
    const container = mount(<SegmentCanvas image={scene} onError={onError} {...(props as object)} />)
    await until(() => onError.mock.calls.length > 0)
    expect(onError.mock.calls[0][0]).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining(says) })
    await until(() => container.querySelector('[role="alert"]') !== null)
    expect(container.querySelector('.anymask-root')!.getAttribute('data-state')).toBe('error')
  })

  it('a URL that answers 404 is a clear INVALID_IMAGE', async () => {
    const onError = vi.fn()
    mount(<SegmentCanvas image="/no-such-picture.png" onError={onError} />)
    await until(() => onError.mock.calls.length > 0)
    expect((onError.mock.calls[0][0] as Error).message).toMatch(/answered HTTP 404: check the URL/)
  })

  it('the ref handle is null-safe before a selection and exact after one', async () => {
    const ref = createRef<SegmentCanvasHandle>()
    const segmenter = await createSegmenter({ device: 'wasm' })
    const container = mount(<SegmentCanvas image={scene} segmenter={segmenter} ref={ref} />)
    await until(() => container.querySelector('.anymask-root')?.getAttribute('data-state') === 'ready')
    expect(ref.current!.exportMask()).toBeNull()
    expect(ref.current!.selectionMask()).toBeNull()
    expect(ref.current!.image).toMatchObject({ width: scene.width, height: scene.height })
    expect(() => ref.current!.exportMask('nope')).toThrow(/no object with id "nope"/)
    await ref.current!.store.addPoint({ ...scene.objects[1].inside, label: 1 })
    await until(() => ref.current!.exportMask() !== null)
    const mask = ref.current!.exportMask()!
    expect(ref.current!.selectionMask()!.data).toEqual(mask.data) // one visible object: the selection is its mask
    await ref.current!.store.addPoint({ ...scene.objects[0].inside, label: 1 }, { newObject: true })
    const [first, second] = ref.current!.store.getSnapshot().objects.map((o) => o.candidates[o.candidate])
    expect(ref.current!.selectionMask()!.data).toEqual(first.data.map((v, i) => Math.max(v, second.data[i])))
    ref.current!.undo()
    ref.current!.undo()
    await until(() => ref.current!.exportMask() === null)
    ref.current!.redo()
    await until(() => ref.current!.exportMask() === mask)
    ref.current!.clear()
    await until(() => ref.current!.store.getSnapshot().objects.length === 0)
    await segmenter.dispose()
  })

  it('the picture never moves: candidates (with thumbnails) and layers arriving in a narrow toolbar leave the viewport where it was', async () => {
    const ref = createRef<SegmentCanvasHandle>()
    const segmenter = await createSegmenter({ device: 'wasm' })
    const container = mount(<SegmentCanvas image={scene} segmenter={segmenter} ref={ref} style={{ width: 360, height: 400 }} />)
    await until(() => container.querySelector('.anymask-root')?.getAttribute('data-state') === 'ready')
    const viewport = container.querySelector<HTMLElement>('.anymask-viewport')!
    const toolbar = container.querySelector<HTMLElement>('.anymask-toolbar')!
    // Every tool and action says what it does (and its keys) in a tooltip; its glyph is not part of its name.
    const tools = [...toolbar.querySelectorAll<HTMLButtonElement>(':scope > button')]
    expect(tools.map((b) => b.title.length > 10)).toEqual(tools.map(() => true))
    expect(tools.map((b) => b.querySelector('[aria-hidden]')?.textContent?.length)).toEqual(tools.map(() => 1))
    const place = () => JSON.stringify(viewport.getBoundingClientRect())
    const before = place()
    await ref.current!.store.addPoint({ ...scene.objects[0].inside, label: 1 })
    await until(() => container.querySelectorAll('.anymask-candidates button').length === 3)
    expect(place()).toBe(before)
    await ref.current!.store.addPoint({ ...scene.objects[1].inside, label: 1 }, { newObject: true })
    await until(() => container.querySelectorAll('.anymask-layers li').length === 2)
    expect(place()).toBe(before)
    expect(toolbar.scrollWidth).toBeGreaterThan(toolbar.clientWidth) // it did overflow: it scrolls rather than wraps
    // The chosen candidate and the active layer are shown pressed, in the accent colour.
    const pressed = [...container.querySelectorAll<HTMLButtonElement>('.anymask-candidates button')].map((b) => getComputedStyle(b).backgroundColor)
    const chosen = ref.current!.store.getSnapshot().objects[1].candidate
    expect(pressed[chosen]).toBe('rgb(37, 99, 235)')
    expect(pressed.filter((c) => c === 'rgb(37, 99, 235)')).toHaveLength(1)
    // Each candidate shows its mask in miniature: as much of the thumbnail is white as of the mask is in.
    const object = ref.current!.store.getSnapshot().objects[1]
    const thumbnails = [...container.querySelectorAll<HTMLCanvasElement>('.anymask-candidates canvas')]
    expect(thumbnails).toHaveLength(3)
    for (const [i, thumbnail] of thumbnails.entries()) {
      const pixels = thumbnail.getContext('2d')!.getImageData(0, 0, thumbnail.width, thumbnail.height).data
      const white = pixels.filter((v, j) => j % 4 === 0 && v === 255).length / (thumbnail.width * thumbnail.height)
      const inside = object.candidates[i].data.filter((v) => v >= 128).length / (scene.width * scene.height)
      expect(thumbnail.width / thumbnail.height).toBeCloseTo(scene.width / scene.height, 1)
      expect(Math.abs(white - inside)).toBeLessThan(0.03)
    }
    await segmenter.dispose()
  })

  it('a narrow toolbar shows glyphs only, its labels still naming the buttons: at 640 px the candidates are in view', async () => {
    const ref = createRef<SegmentCanvasHandle>()
    const segmenter = await createSegmenter({ device: 'wasm' })
    const container = mount(
      <>
        <SegmentCanvas image={scene} segmenter={segmenter} ref={ref} style={{ width: 640, height: 300 }} />
        <SegmentCanvas image={scene} segmenter={segmenter} style={{ width: 1000, height: 300 }} />
      </>,
    )
    await until(() => [...container.querySelectorAll('.anymask-root')].filter((r) => r.getAttribute('data-state') === 'ready').length === 2)
    const [narrow, wide] = [...container.querySelectorAll<HTMLElement>('.anymask-toolbar')]
    const labelWidths = (toolbar: HTMLElement) => [...toolbar.querySelectorAll('.anymask-label')].map((l) => l.getBoundingClientRect().width)
    expect(labelWidths(narrow)).toHaveLength(labelWidths(wide).length)
    expect(labelWidths(narrow).length).toBeGreaterThanOrEqual(8) // 3 tools, 5 actions
    expect(Math.max(...labelWidths(narrow))).toBeLessThanOrEqual(1)
    expect(Math.min(...labelWidths(wide))).toBeGreaterThan(10)
    // Hidden from view, not from assistive technology: the buttons' names are the same at both widths.
    const names = (toolbar: HTMLElement) => [...toolbar.querySelectorAll(':scope > button')].map((b) => b.textContent)
    expect(names(narrow)).toEqual(names(wide))
    expect(names(narrow)).toContain('↶Undo')
    await ref.current!.store.addPoint({ ...scene.objects[0].inside, label: 1 })
    await until(() => narrow.querySelectorAll('.anymask-candidates button').length === 3)
    const candidates = narrow.querySelector('.anymask-candidates')!.getBoundingClientRect()
    expect(candidates.right).toBeLessThanOrEqual(narrow.getBoundingClientRect().right)
    await segmenter.dispose()
  })

  it('an autoSelect prop brings a "Select subject" button that adds what the detector finds as an object', async () => {
    const ref = createRef<SegmentCanvasHandle>()
    const disc = scene.objects[0]
    const detected: number[] = []
    // A detector's matte of the disc (what @anymask/imgly's selectSubject would give on a photograph).
    const autoSelect = async (image: { width: number; height: number }) => (
      detected.push(image.width),
      createMask(
        image.width,
        image.height,
        disc.mask.map((v) => v * 230),
      )
    )
    const segmenter = await createSegmenter({ device: 'wasm' })
    const plain = mount(<SegmentCanvas image={scene} segmenter={segmenter} />)
    await until(() => plain.querySelector('.anymask-root')?.getAttribute('data-state') === 'ready')
    expect([...plain.querySelectorAll('button')].some((b) => b.textContent?.endsWith('Select subject'))).toBe(false)
    root?.unmount()
    host?.remove()
    const container = mount(<SegmentCanvas image={scene} segmenter={segmenter} autoSelect={autoSelect} ref={ref} />)
    await until(() => container.querySelector('.anymask-root')?.getAttribute('data-state') === 'ready')
    const button = [...container.querySelectorAll('button')].find((b) => b.textContent?.endsWith('Select subject'))!
    button.click()
    await until(() => ref.current!.exportMask() !== null)
    expect(detected).toEqual([scene.width])
    expect(iou(ref.current!.exportMask()!.data, disc.mask)).toBeGreaterThanOrEqual(0.97)
    ref.current!.undo()
    await until(() => ref.current!.exportMask() === null)
    await segmenter.dispose()
  })
})
