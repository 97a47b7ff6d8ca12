/**
 * The READMEs' TypeScript (the repository's and each package's, as npm shows it), type-checked as a user's project
 * would check it: every ```ts and ```tsx block, read from the READMEs when the test runs (so the two cannot drift),
 * written as a module into an app installed from the packed tarballs (React 19, strict tsconfig, our .d.ts checked
 * too), then `tsc --noEmit`. The blocks are fragments, so each gets the free variables it uses from earlier code
 * (FREE, typed as a user's code would have them), and a tsx block ending in a bare JSX element becomes a function
 * component that returns it. A failure names the README, the block and the line.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { installApp, run } from './harness.js'

/** What a user's surrounding code would give the snippets: added to a block that uses but does not declare them. */
const FREE: Record<string, string> = {
  imageElement: 'HTMLImageElement',
  canvas: 'HTMLCanvasElement',
  file: 'File',
  result: "import('@anymask/core').Segmentation",
  session: "import('@anymask/core').ImageSession",
  setObjects: "import('react').Dispatch<import('react').SetStateAction<readonly import('@anymask/core').SelectionObject[]>>",
  MyToolbar: "(props: import('@anymask/react').ToolbarProps) => import('react').JSX.Element",
  useRef: "typeof import('react').useRef",
  image: "import('@anymask/core').RgbaImage",
  coarseMask: "import('@anymask/core').Mask",
  setMasks: "(masks: readonly import('@anymask/core').SelectionObject[]) => void",
}

/** The READMEs users read: the repository's, and each package's on npm. */
const READMES = [
  'README.md',
  'packages/core/README.md',
  'packages/edit/README.md',
  'packages/react/README.md',
  'packages/fabric/README.md',
  'packages/imgly/README.md',
]

interface Block {
  /** The README it comes from (relative to the repository). */
  readme: string
  /** README.md's line of the block's first line of code (1-based), and that line. */
  line: number
  first: string
  file: string
  text: string
  /** For each line of `text`, its README.md line (undefined for lines added here); the fence's indent there. */
  origin: (number | undefined)[]
  indent: number
}

function readmeBlocks(path: string): Block[] {
  const readme = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
  // Fences at any indent (a list item's code is indented), the block's lines taken without that indent.
  return [...readme.matchAll(/^( *)```(tsx?)[^\S\n]*\n([\s\S]*?)^\1```[^\S\n]*$/gm)].map((m) => {
    const [, indent, lang, body] = m
    const source = body.replace(/\n$/, '').replace(new RegExp(`^${indent}`, 'gm'), '')
    const line = readme.slice(0, m.index).split('\n').length + 1
    const code = source.split('\n').map((text, i) => ({ text, from: (line + i) as number | undefined }))
    const declares = (name: string) => new RegExp(`\\b(import|const|let|var|function|class)\\b[^\\n=]*\\b${name}\\b`).test(source)
    const free = Object.keys(FREE).filter((name) => new RegExp(`\\b${name}\\b`).test(source) && !declares(name))
    const added = (text: string) => ({ text, from: undefined })
    const jsx = code.findIndex((l) => l.text.startsWith('<'))
    if (lang === 'tsx' && jsx >= 0) {
      // A bare JSX element after statements: the statements become a component's body, the element what it returns.
      const imports = code.map((l) => l.text.startsWith('import ')).lastIndexOf(true) + 1
      code.splice(jsx, 0, added('return ('))
      code.splice(imports, 0, added('export function Example() {'))
      code.push(added(')'), added('}'))
    }
    code.unshift(...free.map((name) => added(`declare const ${name}: ${FREE[name]}`)))
    code.push(added('export {}'))
    const text = code.map((l) => l.text).join('\n')
    return {
      readme: path,
      line,
      first: code.find((l) => l.from)?.text ?? '',
      file: `${path.replace(/\W+/g, '-')}-${line}.${lang}`,
      text,
      origin: code.map((l) => l.from),
      indent: indent.length,
    }
  })
}

const blocks = READMES.flatMap(readmeBlocks)
/** tsc's output for each block, checked alone (a syntax error in one block would hide every other block's errors); '' if none. */
const output = new Map<Block, string>()

beforeAll(() => {
  const app = installApp('readme')
  mkdirSync(join(app, 'snippets'))
  for (const block of blocks) {
    writeFileSync(join(app, 'snippets', block.file), block.text)
    writeFileSync(join(app, `tsconfig.${block.file}.json`), JSON.stringify({ extends: './tsconfig.json', include: [`snippets/${block.file}`] }))
    try {
      output.set(block, run('node', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', `tsconfig.${block.file}.json`, '--pretty', 'false'], app))
    } catch (error) {
      output.set(block, (error as Error).message)
    }
  }
}, 600_000)

/** tsc's errors, those in the block's file at their README.md line and column. */
const errors = (block: Block) =>
  output
    .get(block)!
    .split('\n')
    .filter((l) => /^\S+\(\d+,\d+\): error /.test(l))
const inBlock = (block: Block) =>
  errors(block)
    .filter((l) => l.startsWith(`snippets/${block.file}(`))
    .map((l) =>
      l.replace(/^\S+\((\d+),(\d+)\)/, (at, row, col) =>
        block.origin[row - 1] ? `${block.readme}:${block.origin[row - 1]}:${Number(col) + block.indent}` : at,
      ),
    )

it.each(READMES)('%s has TypeScript blocks to check', (readme) => {
  expect(blocks.filter((b) => b.readme === readme).length).toBeGreaterThan(0)
})

it.each(blocks)('$readme:$line ($first) type-checks', (block) => {
  expect(inBlock(block), `${block.readme}:${block.line}, the block starting \`${block.first}\`, as checked:\n${block.text}`).toEqual([])
})

it('no errors outside the snippets (our .d.ts under strict settings), and tsc ran', () => {
  for (const block of blocks) {
    expect(errors(block).filter((l) => !l.startsWith('snippets/'))).toEqual([])
    if (output.get(block)) expect(errors(block).length, output.get(block)).toBeGreaterThan(0)
  }
})
