import type { ContractName } from '../types.js'
import type { Contract } from './Contract.js'
import { hfSamContract } from './hfSam.js'
import { samContract } from './sam.js'
import { sam2Contract } from './sam2.js'

export const contracts: Record<ContractName, Contract> = {
  sam: samContract,
  'hf-sam': hfSamContract,
  sam2: sam2Contract,
}
export type { Contract } from './Contract.js'
export { defaultMultimask } from './Contract.js'
