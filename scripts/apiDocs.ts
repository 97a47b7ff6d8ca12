/**
 * The API reference of every package, from its TypeScript types and JSDoc, as Markdown with tables (TypeDoc with
 * typedoc-plugin-markdown): docs/api/<package>.md, which the Storybook's API pages render.
 *
 *   npm run docs:api            writes the pages
 *   npm run docs:api -- --check fails, saying which, when a committed page differs from the types (a test runs it)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Application, type TypeDocOptions } from 'typedoc'

const REPO = join(import.meta.dirname, '..')
const PACKAGES = ['core', 'edit', 'react', 'fabric', 'imgly']
const OUT = join(REPO, 'docs', 'api')

/** Each package's page, by package name. */
async function apiPages(): Promise<Map<string, string>> {
  const out = mkdtempSync(join(tmpdir(), 'anymask-api-'))
  try {
    const app = await Application.bootstrapWithPlugins({
      entryPoints: PACKAGES.map((name) => join(REPO, 'packages', name, 'src', 'index.ts')),
      tsconfig: join(REPO, 'tsconfig.json'),
      plugin: ['typedoc-plugin-markdown'],
      outputs: [{ name: 'markdown', path: out }],
      readme: 'none',
      disableSources: true,
      excludePrivate: true,
      // The type-check is `npm run typecheck`'s job. Checking every file of the program here (tests, stories, scripts)
      // would also make the pages depend on them: TypeScript orders a union's literals by when it first met each one.
      skipErrorChecking: true,
      // typedoc-plugin-markdown: one page per package, members in tables, no site navigation.
      outputFileStrategy: 'modules',
      parametersFormat: 'table',
      interfacePropertiesFormat: 'table',
      hidePageHeader: true,
      hideBreadcrumbs: true,
    } as Partial<TypeDocOptions>)
    const project = await app.convert()
    if (!project) throw new Error('TypeDoc could not read the packages: see the errors above.')
    await app.generateOutputs(project)
    const pages = new Map<string, string>()
    for (const name of PACKAGES) {
      const file = join(out, '@anymask', `${name}.md`)
      if (!existsSync(file)) throw new Error(`TypeDoc wrote no page for @anymask/${name}.`)
      // Links to another package's page become plain code: the pages are shown one at a time.
      pages.set(name, readFileSync(file, 'utf8').replace(/\[(`[^`\]]+`)\]\([^)]*\.md(#[^)]*)?\)/g, '$1'))
    }
    return pages
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

{
  const check = process.argv.includes('--check')
  const stale: string[] = []
  for (const [name, page] of await apiPages()) {
    const file = join(OUT, `${name}.md`)
    let committed = ''
    try {
      committed = readFileSync(file, 'utf8')
    } catch {}
    if (committed === page) continue
    if (check) stale.push(`docs/api/${name}.md`)
    else writeFileSync(file, page)
  }
  if (stale.length) {
    console.error(`Out of date with the types: ${stale.join(', ')}. Run \`npm run docs:api\` and commit the pages.`)
    process.exit(1)
  }
}
