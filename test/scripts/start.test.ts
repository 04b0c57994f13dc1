import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t from 'tap'
import { migratedClusterDir } from '../../src/db/pglite-template.js'
import { markRunning, prepareBuild } from '../../scripts/start.mjs'

/**
 * A small repository: what the launcher compiles, as files relative to the root. It lies inside
 * this one (in the ignored test-output/), so the bundle finds packages in its node_modules.
 */
function tree(files: Record<string, string>): string {
  const parent = fileURLToPath(new URL('../../test-output/', import.meta.url))
  mkdirSync(parent, { recursive: true })
  const root = mkdtempSync(join(parent, 'ft-start-'))
  for (const [name, text] of Object.entries(files)) write(root, name, text)
  return root
}

function write(root: string, name: string, text: string): void {
  mkdirSync(dirname(join(root, name)), { recursive: true })
  writeFileSync(join(root, name), text)
}

const FILES = {
  'tsconfig.json': '{ "compilerOptions": { "jsx": "react-jsx", "jsxImportSource": "preact" } }',
  'src/server.ts': "import { page } from './page.js'\nexport const answer: number = 42\nexport { page }\nexport { siteScript } from './web/assets.js'\n",
  'src/page.tsx': 'export const page = () => <p>ciao</p>\n',
  'src/web/assets.ts': "import { readFileSync } from 'node:fs'\nexport const siteScript = () => readFileSync(new URL('../static/site.js', import.meta.url), 'utf8')\n",
  'src/static/site.js': 'console.log(1)\n',
  'migrations/2026-01-01T0000_first.ts': "import type { Kysely } from 'kysely'\nexport async function up(_db: Kysely<any>): Promise<void> {}\n",
}

t.test('the launcher bundles the sources once, beside links to the other files', async (t) => {
  const root = tree(FILES)
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const build = await prepareBuild(root)
  const server = (await import(pathToFileURL(join(build, 'src/server.js')).href)) as { answer: number; page: () => { type: string }; siteScript: () => string }
  t.equal(server.answer, 42, 'the entry point runs, types stripped')
  t.equal(server.page().type, 'p', 'JSX as the tsconfig says, with preact bundled in')
  t.notOk(existsSync(join(build, 'src/page.js')), 'one bundle, not a file per source')
  t.ok(existsSync(join(build, 'migrations/2026-01-01T0000_first.js')), 'migrations stay one file each')
  write(root, 'src/static/site.js', 'console.log(2)\n')
  t.equal(server.siteScript(), 'console.log(2)\n', "a path relative to a source's import.meta.url reaches the linked file, edits included")
  t.equal(await prepareBuild(root), build, 'unchanged sources reuse the build')
})

t.test('an edited, added or removed source, or another install, never runs from a stale build', async (t) => {
  const root = tree(FILES)
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const first = await prepareBuild(root)
  write(root, 'src/page.tsx', 'export const page = () => <p>salve</p>\n')
  const edited = await prepareBuild(root)
  t.not(edited, first)
  t.match(readFileSync(join(edited, 'src/server.js'), 'utf8'), /salve/, 'an edit to a module the entry point imports')
  write(root, 'src/server.ts', 'export const answer: number = 43\n')
  rmSync(join(root, 'src/page.tsx'))
  const removed = await prepareBuild(root)
  t.notMatch(readFileSync(join(removed, 'src/server.js'), 'utf8'), /salve/, 'a removed source is gone from the bundle')
  write(root, 'src/static/new.js', '')
  const added = await prepareBuild(root)
  t.ok(existsSync(join(added, 'src/static/new.js')), 'a new file is linked')
  // The bundle holds the installed packages: another install, another build.
  write(root, 'package-lock.json', '{ "lockfileVersion": 3 }\n')
  t.not(await prepareBuild(root), added, 'a changed package lock')
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

t.test('older builds are pruned, except one a live process is running', async (t) => {
  const root = tree(FILES)
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const running = await prepareBuild(root)
  markRunning(running)
  write(root, 'src/server.ts', 'export const answer: number = 1\n')
  const crashed = await prepareBuild(root)
  // Its server was killed outright: the marker stayed, naming a process that is gone.
  const gone = spawnSync(process.execPath, ['-e', '']).pid
  write(root, `${crashed.slice(root.length + 1)}/.running/${gone}`, '')
  for (let answer = 2; answer <= 5; answer++) {
    write(root, 'src/server.ts', `export const answer: number = ${answer}\n`)
    await prepareBuild(root)
  }
  t.ok(existsSync(join(running, 'src/server.js')), 'the running build is kept, four newer ones later')
  t.notOk(existsSync(crashed), 'the build of a process that is gone is pruned')
  t.equal(readdirSync(join(root, '.start')).length, 5, 'the current build, the three kept before it, and the running one')
})
