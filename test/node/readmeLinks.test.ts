import { existsSync, readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

it("README.md's pictures and links to files of the repository all exist", () => {
  const targets = [...readFileSync('README.md', 'utf8').matchAll(/\]\(([^)#\s]+)[^)]*\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t))
  expect(targets.length).toBeGreaterThanOrEqual(4)
  expect(targets.filter((t) => !existsSync(t))).toEqual([])
})
