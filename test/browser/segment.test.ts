import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commands } from 'vitest/browser'
import { createSegmenter, type ContractName, type ImageSession, type Segmenter } from '@anymask/core'
import { iou, makeScene, SCENE_SIZES } from '../support/scenes.js'
import { PROMPT_KINDS, runPrompt } from '../support/prompts.js'
import { fromRuns } from '../support/rle.js'

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeSegment(contract: ContractName, width: number, height: number, kind: string, objectIndex: number): Promise<number[]>
  }
}

const CONTRACTS: ContractName[] = ['sam', 'hf-sam', 'sam2']
const liteUrlSpec = (contract: ContractName) => ({
  id: `anymask-lite-${contract}`,
  contract,
  encoder: `/models/dist/anymask-lite/${contract}/encoder.onnx`,
  decoder: `/models/dist/anymask-lite/${contract}/decoder.onnx`,
})

/**
 * The scene sizes checked on a device, and the prompt kinds at each. WebGPU (here Chromium's software adapter: about
 * 6 s a decode, 0.2 s on WASM) runs the same graphs, on inputs of the same shapes, whatever the image's size, save the
 * SAM contract's decoder, which resizes its masks to the image in the graph. The sizes matter to the code around the
 * graphs, the same on either device, which WASM checks in full. So on WebGPU every kind at the first size, and for
 * the SAM contract a click at every size.
 */
const sizesOn = (device: 'wasm' | 'webgpu', contract: ContractName) =>
  SCENE_SIZES.map(([width, height], index) => [width, height, index]).filter(([, , index]) => device === 'wasm' || index === 0 || contract === 'sam')
const kindsAt = (device: 'wasm' | 'webgpu', sizeIndex: number) => (device === 'wasm' || sizeIndex === 0 ? PROMPT_KINDS : PROMPT_KINDS.slice(0, 1))

describe.each(['wasm', 'webgpu'] as const)('in Chromium on %s', (device) => {
  describe.each(CONTRACTS)('%s contract', (contract) => {
    let segmenter: Segmenter
    beforeAll(async () => {
      segmenter = await createSegmenter({ model: liteUrlSpec(contract), device, worker: false })
      expect(segmenter.device).toBe(device)
    })
    afterAll(() => segmenter?.dispose())

    describe.each(sizesOn(device, contract))('%i x %i scene', (width, height, sizeIndex) => {
      const scene = makeScene(width, height)
      let session: ImageSession
      beforeAll(async () => {
        session = await segmenter.encode(scene)
      })
      afterAll(() => session?.dispose())

      it.each(kindsAt(device, sizeIndex))('%s: agrees with Node (IoU >= 0.99) and with the truth (>= 0.97)', async (kind) => {
        for (const k of scene.objects.keys()) {
          const mask = await runPrompt(session, kind, scene, k)
          const nodeMask = fromRuns(await commands.nodeSegment(contract, width, height, kind, k), width * height)
          expect(iou(mask, nodeMask)).toBeGreaterThanOrEqual(0.99)
          expect(iou(mask, scene.objects[k].mask)).toBeGreaterThanOrEqual(0.97)
        }
      })
    })
  })
})
