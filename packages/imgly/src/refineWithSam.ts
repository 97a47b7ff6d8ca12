import type { ImageSession, Mask, Segmentation } from '@anymask/core'

/**
 * Subject then SAM: the subject mask (selectSubject) refined by the session's model into a crisp, editable
 * selection that clicks can then correct. One decode of `session.maskPrompt(subject)` (the box around alpha >= 128
 * and the matte as the mask prompt), one answer.
 *
 * @example
 * const subject = await selectSubject(photo, { publicPath: '/imgly-data/' })
 * const { masks, lowRes } = await refineWithSam(session, subject)
 */
export async function refineWithSam(session: ImageSession, subject: Mask): Promise<Segmentation> {
  return session.decode(session.maskPrompt(subject), { multimask: false })
}
