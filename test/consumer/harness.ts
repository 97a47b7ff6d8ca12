/**
 * The release path, as a user meets it: the packages packed with `npm pack`, installed from those tarballs into
 * small apps copied outside the repository (so nothing resolves from the repo's own node_modules), then built for
 * production. The apps' sources are in `test/consumer/apps/`.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { encode } from 'fast-png'
import { makeScene } from '../support/scenes.js'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
const APPS = fileURLToPath(new URL('./apps/', import.meta.url))
/**
 * Where the apps are installed and built: outside the repository, one folder per checkout (two clones testing at
 * once must not pack into each other's tarballs).
 */
export const CONSUMER_ROOT =
  process.env.ANYMASK_CONSUMER_DIR ?? join(tmpdir(), `anymask-consumer-${createHash('sha256').update(REPO).digest('hex').slice(0, 8)}`)
const PACKED = join(CONSUMER_ROOT, 'packed')
export const PACKAGES = ['core', 'edit', 'react', 'fabric', 'imgly'] as const
/** The licence of each package: MIT, but @anymask/imgly takes the AGPL of what it wraps. */
export const LICENSES: Record<(typeof PACKAGES)[number], string> = { core: 'MIT', edit: 'MIT', react: 'MIT', fabric: 'MIT', imgly: 'AGPL-3.0-only' }

/** The scene every app segments (served as /scene.png), with its exact object masks. */
export const SCENE = makeScene(320, 240)

/** Runs a command; on failure the error carries its output. */
export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  // Not the settings `npm test` hands its children (this repository's .npmrc among them): a user's npm has none.
  // Nor vitest's NODE_ENV=test, with which a production build would bundle React's development build.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key) && key !== 'NODE_ENV'))
  try {
    return execFileSync(command, args, { cwd, env: { ...clean, ...env }, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 << 20 })
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`)
  }
}

/** `npm pack` of every package, as `<CONSUMER_ROOT>/packed/anymask-<name>.tgz` (names without the version). */
export function packPackages(): void {
  rmSync(PACKED, { recursive: true, force: true })
  mkdirSync(PACKED, { recursive: true })
  for (const name of PACKAGES) {
    if (!existsSync(join(REPO, 'packages', name, 'dist'))) throw new Error(`packages/${name}/dist is missing: run \`npm run build\` first.`)
    const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', PACKED], join(REPO, 'packages', name))) as { filename: string }[]
    renameSync(join(PACKED, filename), join(PACKED, `anymask-${name}.tgz`))
  }
}

/**
 * Copies `apps/<name>` to `<CONSUMER_ROOT>/apps/<name>` (its node_modules kept between runs) and installs it with
 * npm from the registry and the packed tarballs. Returns the app's folder.
 */
export function installApp(name: string): string {
  const dir = join(CONSUMER_ROOT, 'apps', name)
  mkdirSync(dir, { recursive: true })
  for (const entry of readdirSync(dir)) if (entry !== 'node_modules') rmSync(join(dir, entry), { recursive: true, force: true })
  cpSync(join(APPS, name), dir, { recursive: true, filter: (from) => !from.includes('node_modules') })
  // Fresh tarballs under the same names: npm must unpack them again, not keep what it installed last run.
  for (const pkg of PACKAGES) rmSync(join(dir, 'node_modules', '@anymask', pkg), { recursive: true, force: true })
  run('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error'], dir)
  return dir
}

/** Writes the scene as `<dir>/scene.png`. */
export function writeScene(dir: string): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'scene.png'), encode({ width: SCENE.width, height: SCENE.height, data: SCENE.data, channels: 4 }))
}
