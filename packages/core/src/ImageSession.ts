import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import { defaultMultimask } from './contracts/index.js'
import type { EngineApi, EngineDecodeOptions } from './Engine.js'
import type { EverythingOptions, EverythingResult } from './everything.js'
import { runEverything } from './runEverything.js'
import { LatestWins } from './LatestWins.js'
import { checkNumber, checkOptions, invalidOption, optionalBoolean } from './options.js'
import type { Mask, ModelSpec, Prompt, PromptSupport, RgbaImage, Segmentation } from './types.js'
import { letterboxFrame, type ModelFrame } from './coordinates.js'
import { assertMask } from './mask/assertMask.js'
import { createMask } from './mask/createMask.js'
import { lowResFromMask, toLowResMask } from './postprocess.js'
import { validatePrompt } from './validate.js'

export interface DecodeOptions extends OutputOptions {
  /** Several candidates (true) or the single best answer (false). Default: SAM's rule, true for one point alone. */
  multimask?: boolean
}

export interface OutputOptions {
  /** Stops waiting for the answer: the call rejects with ABORTED. */
  signal?: AbortSignal
  /**
   * Masks at the image's size scaled down so that the longest side is at most this many pixels (a whole number),
   * for previews on large photos: the decoder and the post-processing then work at display resolution. Default:
   * the image's own size.
   */
  maxSide?: number
  /**
   * Also trace each mask's outline (`result.outlines`, SVG paths as `maskToSvgPath` gives them) where the model runs:
   * in the worker, off the page's thread. For overlays that draw the outline of every hover preview.
   */
  outline?: boolean
}

/** The options of decode / preview, checked; `maxSide` left out means masks at the image's size. */
function checkOutputOptions(options: DecodeOptions, where: string): { maxSide?: number; multimask?: boolean; outline: boolean; signal?: AbortSignal } {
  const given = checkOptions(options, where)
  const maxSide = given.maxSide === undefined ? undefined : checkNumber(given.maxSide, where, 'options.maxSide', { min: 1, integer: true })
  const multimask = given.multimask === undefined ? undefined : optionalBoolean(given.multimask, false, where, 'options.multimask')
  const outline = optionalBoolean(given.outline, false, where, 'options.outline')
  if (given.signal !== undefined && !(given.signal instanceof AbortSignal)) throw invalidOption(where, 'options.signal', given.signal, 'an AbortSignal')
  return { maxSide, multimask, outline, signal: given.signal }
}

/** `result`, or ABORTED as soon as `signal` fires (the work itself is not stopped). */
function untilAborted<T>(result: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return result
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new AnymaskError('ABORTED', `${what} was aborted by its AbortSignal.`, { cause: signal.reason }))
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

// A session dropped without dispose() still gives its embeddings back, when it is garbage-collected.
const unreleased = new FinalizationRegistry<{ engine: EngineApi; key: string }>(({ engine, key }) => engine.release(key))

/**
 * One encoded image: decode prompts against it in milliseconds. Made by `segmenter.encode(image)`.
 *
 * @example
 * const session = await segmenter.encode(image)
 * const { masks, best } = await session.decode({ points: [{ x: 120, y: 80, label: 1 }] })
 * session.dispose()
 */
export class ImageSession {
  private disposed = false
  private readonly previews: LatestWins<{ prompt: Prompt; maxSide?: number; outline: boolean }, Segmentation>

  /** Size of the encoded image, the space of every prompt and mask. */
  readonly width: number
  readonly height: number

  /** @internal made by Segmenter.encode; `image` is kept for everything's crop layers. */
  constructor(
    private readonly engine: EngineApi,
    private readonly key: string,
    private readonly image: RgbaImage,
    /** The model's own everything thresholds (ModelSpec.everything), under the call's options. */
    private readonly everythingDefaults: ModelSpec['everything'] = {},
    /** How the image maps into the model's square (its contract's frame). */
    private readonly frame: ModelFrame = letterboxFrame(image.width, image.height),
  ) {
    this.width = image.width
    this.height = image.height
    unreleased.register(this, { engine, key }, this)
    // A hover shows one mask: only the best candidate is upscaled and returned.
    this.previews = new LatestWins(({ prompt, maxSide, outline }) =>
      this.run(prompt, { multimask: defaultMultimask(prompt), maxSide, bestOnly: true, outline }),
    )
  }

  /** What the model's export can take (a box, a previous mask): prompts outside it are refused with INVALID_PROMPT. */
  get prompts(): PromptSupport {
    return this.engine.prompts
  }

  private assertAlive(): void {
    if (this.disposed) throw new AnymaskError('DISPOSED', 'This image session was disposed: encode the image again.')
  }

  private run(prompt: Prompt, options: EngineDecodeOptions): Promise<Segmentation> {
    this.assertAlive()
    validatePrompt(prompt, this.width, this.height)
    return this.engine.decode(this.key, prompt, options)
  }

  /** Masks for `prompt` (points, box, previous mask), at the image's size, with scores. */
  async decode(prompt: Prompt, options: DecodeOptions = {}): Promise<Segmentation> {
    const { maxSide, multimask, outline, signal } = checkOutputOptions(options, 'decode')
    throwIfAborted(signal, 'decode')
    return untilAborted(this.run(prompt, { multimask: multimask ?? defaultMultimask(prompt), maxSide, outline }), signal, 'decode')
  }

  /**
   * For hover: decodes `prompt` unless a newer preview arrives first. At most one decode runs and one waits;
   * a superseded call resolves to null. Resolves with the best candidate only (what a hover shows: `masks`,
   * `scores` and `lowRes` of length 1, `best` 0). With `maxSide`, the mask comes at display resolution (much
   * faster on large photos).
   *
   * @example
   * canvas.onpointermove = (e) => session.preview({ points: [{ x, y, label: 1 }] }, { maxSide: 1024 })
   */
  preview(prompt: Prompt, options: OutputOptions = {}): Promise<Segmentation | null> {
    let checked: ReturnType<typeof checkOutputOptions>
    try {
      this.assertAlive()
      validatePrompt(prompt, this.width, this.height)
      checked = checkOutputOptions(options, 'preview')
      throwIfAborted(checked.signal, 'preview')
    } catch (error) {
      return Promise.reject(error)
    }
    return untilAborted(this.previews.request({ prompt, maxSide: checked.maxSide, outline: checked.outline }), checked.signal, 'preview')
  }

  /**
   * Everything mode: every object in the image as a mask, SAM's automatic mask generator (a grid of clicks, filtered
   * by predicted IoU and stability, duplicates removed by box NMS). `onMasks` gets the masks as they are accepted
   * (and the ids of those a better mask displaced); the promise gives the final set. `signal` stops it (ABORTED).
   *
   * @example
   * const { masks } = await session.everything({ onMasks: ({ added, done, total }) => draw(added, done / total) })
   */
  everything(options: EverythingOptions = {}): Promise<EverythingResult> {
    try {
      this.assertAlive()
    } catch (error) {
      return Promise.reject(error)
    }
    const signal = options?.signal instanceof AbortSignal ? options.signal : undefined
    return untilAborted(
      runEverything(this.engine, this.key, this.image, options && typeof options === 'object' ? { ...this.everythingDefaults, ...options } : options),
      signal,
      'everything',
    )
  }

  /**
   * A mask from elsewhere (a subject matte, another model's answer, a painted selection; at this image's size,
   * binary or soft) as a prompt for this session's model: the box around its confident part (values >= 128) and the
   * mask itself as `prompt.mask`, its share of each low-res cell as logits (as micro-sam prompts SAM with a mask).
   * Parts the model's export cannot take (see `prompts`) are left out. A decode's own `lowRes` needs no conversion.
   *
   * @example
   * const refined = await session.decode(session.maskPrompt(subject))
   */
  maskPrompt(mask: Mask): Prompt {
    this.assertAlive()
    assertMask(mask, 'maskPrompt')
    if (mask.width !== this.width || mask.height !== this.height) {
      throw new AnymaskError(
        'INVALID_PROMPT',
        `maskPrompt(mask): the mask is ${mask.width}x${mask.height} but the image is ${this.width}x${this.height}. ` +
          'Resize it to the image first (resizeMask).',
      )
    }
    const confident = createMask(
      mask.width,
      mask.height,
      mask.data.map((v) => (v >= 128 ? 255 : 0)),
    )
    if (confident.area === 0) {
      throw new AnymaskError('INVALID_PROMPT', 'maskPrompt(mask): the mask is empty (no value of 128 or more): there is nothing to select.')
    }
    const { box, mask: takesMask } = this.prompts
    return {
      ...(box ? { box: confident.bbox } : {}),
      ...(takesMask ? { mask: toLowResMask(lowResFromMask(mask, this.frame)) } : {}),
    }
  }

  /** Releases this image's embeddings for reuse or eviction. Later calls fail with DISPOSED. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    unreleased.unregister(this)
    this.previews.cancel()
    this.engine.release(this.key)
  }
}
