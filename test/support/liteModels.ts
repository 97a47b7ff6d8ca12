/** anymask-lite ModelSpecs read from models/dist (Node tests). Run `npm run models` first (the test command does). */
import { readFileSync } from 'node:fs'
import type { ContractName, ModelSpec } from '@anymask/core'
import { liteModelPath } from '../../models/src/paths.js'

export const CONTRACT_NAMES: ContractName[] = ['sam', 'hf-sam', 'sam2']

export function liteSpec(contract: ContractName): ModelSpec {
  return {
    id: `anymask-lite-${contract}`,
    contract,
    encoder: readFileSync(liteModelPath(contract, 'encoder')),
    decoder: readFileSync(liteModelPath(contract, 'decoder')),
  }
}
