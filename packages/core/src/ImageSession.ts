import { AnymaskError, throwIfAborted } from './AnymaskError.js'
import { defaultMultimask } from './contracts/index.js'
import type { EngineApi, EngineDecodeOptions } from './Engine.js'
import { LatestWins } from './LatestWins.js'
import type { Prompt, PromptSupport, Segmentation } from './types.js'
import { validatePrompt } from './validate.js'

export interface DecodeOptions extends OutputOptions {
  /** Several candidates (true) or the single best answer (false). Default: SAM's rule, true for one point alone. */
  multimask?: boolean
  signal?: AbortSignal
}

export interface OutputOptions {
  /**
   * Masks at the image's size scaled down so that the longest side is at most this many pixels (a whole number),
   * for previews on large photos: the decoder and the post-processing then work at display resolution. Default:
   * the image's own size.
   */
  maxSide?: number
}

function checkMaxSide(maxSide: number | undefined): void {
  if (maxSide === undefined) return
  if (!Number.isInteger(maxSide) || maxSide < 1) {
    throw new AnymaskError('INVALID_PROMPT', `maxSide must be a whole number of pixels of at least 1, got ${maxSide}; leave it out for masks at the image's size.`)
  }
}

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
  private readonly previews: LatestWins<{ prompt: Prompt; maxSide?: number }, Segmentation>

  /** @internal made by Segmenter.encode */
  constructor(
    private readonly engine: EngineApi,
    private readonly key: string,
    /** Size of the encoded image, the space of every prompt and mask. */
    readonly width: number,
    readonly height: number,
  ) {
    // A hover shows one mask: only the best candidate is upscaled and returned.
    this.previews = new LatestWins(({ prompt, maxSide }) => this.run(prompt, { multimask: defaultMultimask(prompt), maxSide, bestOnly: true }))
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
    checkMaxSide(options.maxSide)
    return this.engine.decode(this.key, prompt, options)
  }

  /** Masks for `prompt` (points, box, previous mask), at the image's size, with scores. */
  async decode(prompt: Prompt, options: DecodeOptions = {}): Promise<Segmentation> {
    const { signal } = options
    throwIfAborted(signal, 'decode')
    const result = this.run(prompt, { multimask: options.multimask ?? defaultMultimask(prompt), maxSide: options.maxSide })
    if (!signal) return result
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new AnymaskError('ABORTED', 'decode was aborted by its AbortSignal.', { cause: signal.reason }))
      signal.addEventListener('abort', onAbort, { once: true })
      result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
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
    try {
      this.assertAlive()
      validatePrompt(prompt, this.width, this.height)
      checkMaxSide(options.maxSide)
    } catch (error) {
      return Promise.reject(error)
    }
    return this.previews.request({ prompt, maxSide: options.maxSide })
  }

  /** Releases this image's embeddings for reuse or eviction. Later calls fail with DISPOSED. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.previews.cancel()
    this.engine.release(this.key)
  }
}
