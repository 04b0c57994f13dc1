import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import t from 'tap'
import { migratedClusterDir } from '../../src/db/pglite-template.js'
import { prepareBuild } from '../../scripts/start.mjs'

/** A small repository: what the launcher compiles, as files relative to the root. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ft-start-'))
  for (const [name, text] of Object.entries(files)) write(root, name, text)
  return root
}

function write(root: string, name: string, text: string): void {
  mkdirSync(dirname(join(root, name)), { recursive: true })
  writeFileSync(join(root, name), text)
}

const FILES = {
  'tsconfig.json': '{ "compilerOptions": { "jsx": "react-jsx", "jsxImportSource": "preact" } }',
  'src/server.ts': "import { page } from './page.js'\nexport const answer: number = 42\nexport { page }\n",
  'src/page.tsx': 'export const page = () => <p>ciao</p>\n',
  'src/static/site.js': 'console.log(1)\n',
  'migrations/2026-01-01T0000_first.ts': "import type { Kysely } from 'kysely'\nexport async function up(_db: Kysely<any>): Promise<void> {}\n",
}

t.test('the launcher compiles the sources once, beside links to the other files', async (t) => {
  const root = tree(FILES)
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const build = await prepareBuild(root)
  t.match(readFileSync(join(build, 'src/server.js'), 'utf8'), /import { page } from "\.\/page\.js";\nconst answer = 42;/, 'types are stripped, import paths kept')
  t.match(readFileSync(join(build, 'src/page.js'), 'utf8'), /preact\/jsx-runtime/, 'JSX as the tsconfig says')
  t.ok(existsSync(join(build, 'migrations/2026-01-01T0000_first.js')))
  write(root, 'src/static/site.js', 'console.log(2)\n')
  t.equal(readFileSync(join(build, 'src/static/site.js'), 'utf8'), 'console.log(2)\n', 'other files are the sources themselves')
  t.equal(await prepareBuild(root), build, 'unchanged sources reuse the build')
})

t.test('an edited, added or removed source never runs from a stale build', async (t) => {
  const root = tree(FILES)
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const first = await prepareBuild(root)
  write(root, 'src/server.ts', 'export const answer: number = 43\n')
  const edited = await prepareBuild(root)
  t.not(edited, first)
  t.match(readFileSync(join(edited, 'src/server.js'), 'utf8'), /answer = 43/)
  rmSync(join(root, 'src/page.tsx'))
  const removed = await prepareBuild(root)
  t.notOk(existsSync(join(removed, 'src/page.js')), 'a removed source leaves no compiled twin behind')
  write(root, 'src/static/new.js', '')
  t.ok(existsSync(join(await prepareBuild(root), 'src/static/new.js')), 'a new file is linked')
  t.notOk(readdirSync(join(root, '.start')).some((name) => name.endsWith('.partial')), 'no partial build is left')
})

t.test('compiled migrations find the migrated cluster named after their sources', async (t) => {
  const root = tree(FILES)
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const build = await prepareBuild(root)
  t.equal(await migratedClusterDir(join(build, 'migrations')), await migratedClusterDir(join(root, 'migrations')))
  write(root, 'migrations/2026-01-01T0000_first.ts', 'export async function up(): Promise<void> {}\n')
  const edited = await prepareBuild(root)
  t.not(await migratedClusterDir(join(edited, 'migrations')), await migratedClusterDir(join(build, 'migrations')), 'an edited migration, another cluster')
})
