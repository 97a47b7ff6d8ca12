import type { Prompt } from '@anymask/core'
import type { Scene } from './scenes.js'

/** The four prompts every contract is tested with; `refine` is fed the previous result by the caller. */
export const PROMPT_KINDS = ['click', 'click + background', 'box', 'box + click', 'refine'] as const
export type PromptKind = (typeof PROMPT_KINDS)[number]

export function promptFor(kind: PromptKind, scene: Scene, objectIndex: number): Prompt {
  const object = scene.objects[objectIndex]
  const click = { ...object.inside, label: 1 as const }
  if (kind === 'click + background') return { points: [click, { ...scene.background, label: 0 }] }
  if (kind === 'box') return { box: object.box }
  if (kind === 'box + click') return { box: object.box, points: [click] }
  return { points: [click] }
}

/** Runs `kind` on a session: refine decodes a click, then decodes again with its best low-res mask. */
export async function runPrompt(
  session: { decode(p: Prompt): Promise<{ masks: { data: Uint8Array }[]; best: number; lowRes: Prompt['mask'][] }> },
  kind: PromptKind,
  scene: Scene,
  objectIndex: number,
): Promise<Uint8Array> {
  const prompt = promptFor(kind, scene, objectIndex)
  let result = await session.decode(prompt)
  if (kind === 'refine') result = await session.decode({ ...prompt, mask: result.lowRes[result.best] })
  return result.masks[result.best].data
}
