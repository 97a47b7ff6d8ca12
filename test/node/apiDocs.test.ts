import { spawnSync } from 'node:child_process'
import { expect, it } from 'vitest'

it('docs/api (the Storybook API pages) says what the packages types say: `npm run docs:api` is up to date', () => {
  // TypeDoc reads all five packages: about 6 s alone.
  const check = spawnSync('npx', ['tsx', 'scripts/apiDocs.ts', '--check'], { encoding: 'utf8' })
  expect(check.stderr.match(/^Out of date.*$/m)?.[0] ?? '').toBe('')
  expect(check.status).toBe(0)
}, 180_000)
