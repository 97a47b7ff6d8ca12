/** bench/results.json: each part of `npm run bench` writes its own section, with the machine it ran on. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'

const FILE = new URL('results.json', import.meta.url)

export function saveResults(section: string, data: object): void {
  const all = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>) : {}
  all.machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }
  all[section] = data
  writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`)
  console.log(`bench: wrote the "${section}" section of bench/results.json`)
}
