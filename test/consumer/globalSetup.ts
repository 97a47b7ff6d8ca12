import { packPackages } from './harness.js'

/** Packs every package once for all the consumer apps. */
export default function setup(): void {
  packPackages()
}
