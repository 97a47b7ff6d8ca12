import type { ContractName } from '../types.js'
import type { Contract } from './Contract.js'
import { hfSamContract } from './hfSam.js'
import { hfSam2Contract } from './hfSam2.js'
import { samContract } from './sam.js'
import { sam2Contract } from './sam2.js'

export const contracts: Record<ContractName, Contract> = {
  sam: samContract,
  'hf-sam': hfSamContract,
  sam2: sam2Contract,
  'hf-sam2': hfSam2Contract,
}
export type { Contract, DecoderGraph } from './Contract.js'
export { defaultMultimask } from './Contract.js'
