/**
 * The browser half of `npm run bench`: runs in a Chromium page served with COOP/COEP by bench/browser.ts, which
 * calls one of the functions below once per fresh page (onnxruntime's WASM thread count is fixed per page).
 */
import { createSegmenter, type Device, type ImageSession, type Prompt, type Segmentation } from '@anymask/core'
import { AutoProcessor, env, RawImage, SamModel, type SamProcessor, Tensor as HfTensor } from '@huggingface/transformers'
import { makeScene, type Scene } from '../../test/support/scenes.js'
import { decoderPrompts, summary, time, timeDecode, timeEverything, timePair, type Timing } from '../measure.js'
import { pointerToOverlay } from './pointerToOverlay.js'

export interface BenchModel {
  encoder: string
  decoder: string
}

export interface PageConfig {
  device: Device
  threads?: number
  runs: number
  /** Image sizes to run (the software WebGPU adapter is too slow for 12 MP). */
  sizes: [number, number][]
  /** MobileSAM (TinyViT encoder + SAM decoder, random weights) in the sam contract. */
  model: BenchModel
  /** Run the 120 Hz hover stream (on the largest size, previews at maxSide 1024). */
  hover: boolean
}

export interface HoverResult {
  /** Pointer events sent, previews shown (resolved with masks), requests dropped (resolved null). */
  events: number
  shown: number
  dropped: number
  shownPerSecond: number
  /** Most requests waiting behind the running one when a pointer event arrives. */
  maxQueued: number
  /** Pointer event to mask, over the previews shown (ms). */
  latency: Timing
}

export interface PageResult {
  device: string
  isolated: boolean
  /** Wall times per row. */
  rows: Record<string, Timing>
  /** For the decode rows, from the same calls: the time inside the decoder session, and in the engine (worker). */
  session: Record<string, Timing>
  engine: Record<string, Timing>
  hover?: HoverResult
}

/** Chromium's WASM tier-up: each measured row starts after this much warm-up (see `time`). */
const WARM_UP_MS = 2000

const click = (scene: Scene): Prompt => ({ points: [{ ...scene.objects[0].inside, label: 1 }] })

/**
 * A synthetic pointer moving over the image at `hz` for `seconds`, each event asking `session.preview` for a
 * mask at display resolution; counts what the user would see.
 */
async function hoverStream(session: ImageSession, scene: Scene, hz = 120, seconds = 5): Promise<HoverResult> {
  const pending = new Set<Promise<unknown>>()
  const latencies: number[] = []
  let events = 0
  let shown = 0
  let dropped = 0
  let maxQueued = 0
  const start = performance.now()
  await new Promise<void>((done) => {
    const tick = () => {
      const sent = performance.now()
      if (sent - start >= seconds * 1000) return done()
      const angle = (2 * Math.PI * events) / (hz * 2) // one turn every 2 s around the image centre
      const x = scene.width * (0.5 + 0.3 * Math.cos(angle))
      const y = scene.height * (0.5 + 0.3 * Math.sin(angle))
      // Requests still waiting from earlier events (one is running): by now a superseded one has resolved.
      maxQueued = Math.max(maxQueued, pending.size - 1)
      const request = session.preview({ points: [{ x, y, label: 1 }] }, { maxSide: 1024 })
      pending.add(request)
      request.then((result) => {
        pending.delete(request)
        if (!result) return void dropped++
        shown++
        latencies.push(performance.now() - sent)
      })
      events++
      setTimeout(tick, Math.max(0, start + (events * 1000) / hz - performance.now()))
    }
    tick()
  })
  await Promise.all(pending)
  return { events, shown, dropped, shownPerSecond: shown / seconds, maxQueued, latency: summary(latencies) }
}

async function anymaskBench(config: PageConfig): Promise<PageResult> {
  const segmenter = await createSegmenter({
    model: { id: 'mobile-sam-bench', contract: 'sam', ...config.model },
    device: config.device,
    threads: config.threads,
    cacheSize: 0,
  })
  const rows: Record<string, Timing> = {}
  const sessionTimes: Record<string, Timing> = {}
  const engineTimes: Record<string, Timing> = {}
  const decodeRow = async (row: string, fn: () => Promise<Segmentation | null>) => {
    const { wall, session, engine } = await timeDecode(fn, config.runs, WARM_UP_MS)
    rows[row] = wall
    sessionTimes[row] = session
    engineTimes[row] = engine
  }
  let hover: HoverResult | undefined
  for (const [width, height] of config.sizes) {
    const scene = makeScene(width, height)
    const label = `${width}x${height}`
    rows[`encode (MobileSAM) ${label}`] = await time(async () => (await segmenter.encode(scene)).dispose(), config.runs, WARM_UP_MS)
    const session = await segmenter.encode(scene)
    const prompts = decoderPrompts(scene, await session.decode(click(scene)))
    for (const [name, prompt] of Object.entries(prompts)) await decodeRow(`SAM decoder ${name} ${label}`, () => session.decode(prompt))
    if (width > 1024) await decodeRow(`SAM decoder preview maxSide 1024 ${label}`, () => session.preview(click(scene), { maxSide: 1024 }))
    if (config.hover && width === Math.max(...config.sizes.map(([w]) => w))) hover = await hoverStream(session, scene)
    session.dispose()
  }
  const device = segmenter.device
  await segmenter.dispose()
  return { device, isolated: crossOriginIsolated, rows, session: sessionTimes, engine: engineTimes, hover }
}

export interface SideBySideConfig {
  threads: number
  runs: number
  sizes: [number, number][]
  /** The hf-sam MobileSAM: a transformers.js model folder (config.json, preprocessor_config.json, onnx/). */
  folder: string
  /** transformers.js's own onnxruntime-web build (its default, served here instead of from a CDN). */
  ortWasm: { mjs: string; wasm: string }
}

/**
 * Our decode and transformers.js (SamModel + SamProcessor) on the same hf-sam graphs, the same image and prompts,
 * in this page, both on WASM with the same thread count: end-to-end time per click, masks at the image's size.
 * transformers.js is used as its SAM example does: the processor and the image embeddings once per image; per
 * click the prompt tensors, the decoder and `post_process_masks`.
 */
async function sideBySide(config: SideBySideConfig): Promise<Record<string, Timing>> {
  env.allowRemoteModels = false
  env.allowLocalModels = true
  env.useBrowserCache = false
  env.localModelPath = config.folder.replace(/[^/]+\/?$/, '')
  const onnx = env.backends.onnx as { wasm: { wasmPaths: unknown; numThreads: number } }
  onnx.wasm.wasmPaths = config.ortWasm
  onnx.wasm.numThreads = config.threads
  const name = config.folder.replace(/\/$/, '').split('/').pop()!
  const model = (await SamModel.from_pretrained(name, { dtype: 'fp32', device: 'wasm' })) as SamModel
  const processor = (await AutoProcessor.from_pretrained(name)) as SamProcessor
  const segmenter = await createSegmenter({
    model: {
      id: 'mobile-sam-bench-hf',
      contract: 'hf-sam',
      encoder: `${config.folder}onnx/vision_encoder.onnx`,
      decoder: `${config.folder}onnx/prompt_encoder_mask_decoder.onnx`,
    },
    device: 'wasm',
    threads: config.threads,
  })
  const rows: Record<string, Timing> = {}
  for (const [width, height] of config.sizes) {
    const scene = makeScene(width, height)
    const label = `${width}x${height}`
    const session = await segmenter.encode(scene)
    const inputs = await processor(new RawImage(scene.data, width, height, 4))
    const embeddings = await model.get_image_embeddings(inputs)
    const { x, y } = scene.objects[0].inside
    const { x0, y0, x1, y1 } = scene.objects[0].box
    const noBox = new HfTensor('float32', new Float32Array(0), [1, 0, 4])
    const theirs = async (box: boolean) => {
      const input_points = processor.reshape_input_points([[[x, y]]], inputs.original_sizes, inputs.reshaped_input_sizes)
      const input_labels = new HfTensor('int64', new BigInt64Array([1n]), [1, 1, 1])
      const input_boxes = box ? processor.reshape_input_points([[[x0, y0, x1, y1]]], inputs.original_sizes, inputs.reshaped_input_sizes, true) : noBox
      const { pred_masks } = await model({ ...embeddings, input_points, input_labels, input_boxes })
      return processor.post_process_masks(pred_masks, inputs.original_sizes, inputs.reshaped_input_sizes)
    }
    const point = { x, y, label: 1 as const }
    // Interleaved, so that each side meets the other's idle thread pool equally.
    const [oursPoint, theirsPoint] = await timePair(
      () => session.decode({ points: [point] }),
      () => theirs(false),
      config.runs,
      WARM_UP_MS,
    )
    const [oursBox, theirsBox] = await timePair(
      () => session.decode({ points: [point], box: scene.objects[0].box }),
      () => theirs(true),
      config.runs,
      WARM_UP_MS,
    )
    Object.assign(rows, {
      [`one point ${label}: ours`]: oursPoint,
      [`one point ${label}: transformers.js`]: theirsPoint,
      [`point + box ${label}: ours`]: oursBox,
      [`point + box ${label}: transformers.js`]: theirsBox,
    })
    session.dispose()
  }
  await segmenter.dispose()
  await model.dispose()
  return rows
}

export interface EverythingConfig {
  threads: number
  /** The hf-sam MobileSAM folder (transformers.js layout: onnx/vision_encoder.onnx, onnx/prompt_encoder_mask_decoder.onnx). */
  folder: string
  pointsPerSide: number
  /** Also the same grid one click a run: a click's cost in the decoder batched against one a run, in the same page. */
  oneARun?: boolean
}

/**
 * Everything mode in the worker on a 1024x768 scene: the whole run, the first batch, the decoder's share (one run),
 * and with `oneARun` the decoder's time for the same grid one click a run.
 */
async function everythingBench(config: EverythingConfig) {
  const model = {
    id: 'mobile-sam-bench-hf',
    contract: 'hf-sam' as const,
    encoder: `${config.folder}onnx/vision_encoder.onnx`,
    decoder: `${config.folder}onnx/prompt_encoder_mask_decoder.onnx`,
  }
  const segmenter = await createSegmenter({ model, device: 'wasm', threads: config.threads })
  const session = await segmenter.encode(makeScene(1024, 768))
  const run = await timeEverything(session, { pointsPerSide: config.pointsPerSide })
  const single = config.oneARun ? await timeEverything(session, { pointsPerSide: config.pointsPerSide, pointsPerBatch: 1 }) : undefined
  session.dispose()
  await segmenter.dispose()
  return { ...run, outsideShare: (run.total - run.decoder) / run.total, decoderOneARun: single?.decoder }
}

Object.assign(window, { anymaskBench, sideBySide, pointerToOverlay, everythingBench })
