/** anymask-lite ModelSpecs read from models/dist (Node tests). Run `npm run models` first (the test command does). */
import { readFileSync } from 'node:fs'
import type { ContractName, ModelSpec } from '@anymask/core'
import { liteModelPath } from '../../models/src/paths.js'

export const CONTRACT_NAMES = ['sam', 'hf-sam', 'sam2'] as const satisfies ContractName[]
/** The contracts anymask-lite is built in. */
export type LiteContract = (typeof CONTRACT_NAMES)[number]

export function liteSpec(contract: LiteContract): ModelSpec {
  return {
    id: `anymask-lite-${contract}`,
    contract,
    encoder: readFileSync(liteModelPath(contract, 'encoder')),
    decoder: readFileSync(liteModelPath(contract, 'decoder')),
  }
}
