/**
 * The tarballs as the registry would publish them: publint (package.json against the files packed), arethetypeswrong
 * (types that resolve like the code, for every entry under every module resolution), and what each must carry.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { describe, expect, it } from 'vitest'
import { CONSUMER_ROOT, LICENSES, PACKAGES } from './harness.js'

describe.each(PACKAGES)('@anymask/%s, packed', (name) => {
  const tarball = () => new Uint8Array(readFileSync(join(CONSUMER_ROOT, 'packed', `anymask-${name}.tgz`)))

  it('publint finds nothing to fix, not even a suggestion', async () => {
    const bytes = tarball()
    const { messages, pkg } = await publint({ pack: { tarball: bytes.buffer as ArrayBuffer }, level: 'suggestion' })
    expect(messages.map((m) => formatMessage(m, pkg))).toEqual([])
  })

  it('arethetypeswrong: every entry typed, the same under node10, node16 (ESM and CJS) and bundler resolution', async () => {
    // `@anymask/core/worker` is a worker script for a bundler's `?worker&url`, not a module with an API to type.
    const result = await checkPackage(createPackageFromTarballData(tarball()), { excludeEntrypoints: ['./worker'] })
    expect(result.types).not.toBe(false)
    expect('problems' in result ? result.problems : []).toEqual([])
  })

  it('carries its README and LICENSE, and says where it comes from and what it needs', () => {
    const pkg = createPackageFromTarballData(tarball())
    const root = `/node_modules/@anymask/${name}`
    expect(pkg.fileExists(`${root}/README.md`)).toBe(true)
    expect(pkg.readFile(`${root}/LICENSE`)).toMatch(LICENSES[name] === 'MIT' ? /^MIT License/ : /GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3/)
    const manifest = JSON.parse(pkg.readFile(`${root}/package.json`))
    expect(manifest).toMatchObject({ license: LICENSES[name], repository: { directory: `packages/${name}` }, engines: { node: expect.any(String) } })
    expect(manifest.homepage).toMatch(/^https:\/\//)
    // Nothing but what users run: no sources, tests or configs.
    expect(pkg.listFiles(root).filter((f) => !/\/(dist\/.*|README\.md|LICENSE|package\.json)$/.test(f))).toEqual([])
  })
})
