/**
 * `npm start`: runs the service from JavaScript compiled from the current sources, without
 * loader hooks. Through tsx every one of the ~1,000 modules passes Node 20's hooks, which run on
 * another thread: about 1.5 s more CPU at each start (BENCHMARKS.md, "Embedded cold start").
 *
 * esbuild (no type checking) bundles src/server.ts with its dependencies into one file: Node then
 * reads, resolves and links one module instead of about 1,250, half a second less at each start.
 * The bundle sits in .start/<key>/, laid out like the repository, and each source's
 * `import.meta.url` names where that source's own compiled file would be, so every path relative
 * to it (static folders, demo data, migrations/, package.json) resolves as from src/.
 * Migrations stay one file each (the migrator imports them by name). Other files under src/ are
 * linked, not copied: edits to them show without a rebuild. The key is a hash of the sources,
 * the installed packages and the checkout's path, so a build is never stale, never rebuilt for
 * unchanged sources, and never written while another start reads it (it is renamed into place
 * when complete).
 *
 * Plain JavaScript on purpose: it runs before anything can compile TypeScript.
 * `npm run start:tsx` runs the sources through tsx instead.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir, readdir, rename, rm, stat, symlink, utimes } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** The folders the server reads at run time, compiled or linked. */
const SOURCE_FOLDERS = ['src', 'migrations']
/** Bump when the way a build is made changes: older builds are then not reused. */
const LAYOUT_VERSION = '1'
/** Builds kept besides the current one (most recently started first): other checkouts, other branches. */
const KEEP_BUILDS = 3
/** A build's folder of markers, one per process running it (see markRunning). */
const RUNNING = '.running'
/**
 * Left out of the bundle, loaded from node_modules: packages that read files beside themselves at
 * run time (WebAssembly, native addons, static assets, worker scripts, their own package.json).
 */
const UNBUNDLED = ['@electric-sql/pglite', '@node-rs/argon2', '@fastify/swagger', '@fastify/swagger-ui', 'pino']
/** CommonJS code in an ES module bundle still calls `require` for what is left out, and for Node's own modules. */
const REQUIRE_SHIM = "import { createRequire as __launcherCreateRequire } from 'node:module'; const require = __launcherCreateRequire(import.meta.url);"

const isTypeScript = (file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts')

// Synchronous reads: for a few hundred small files, several times faster than awaiting each one.
function listFiles(dir) {
  const entries = readdirSync(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name)).sort()
}

/** The installed esbuild's version, without loading it (only a build needs it). */
const esbuildVersion = () => JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve('esbuild')), '..', 'package.json'), 'utf8')).version

/** Hex sha256 of a migration's source: compiled migrations carry it (see migrationsDigest in src/db/migrations.ts). */
export const sourceDigest = (text) => createHash('sha256').update(text).digest('hex')

/**
 * Makes (unless present) the build of `root`'s current sources and returns its folder.
 * Exported for the tests, which build small trees of their own.
 */
export async function prepareBuild(root = ROOT) {
  const files = SOURCE_FOLDERS.filter((f) => existsSync(join(root, f))).flatMap((f) => listFiles(join(root, f)))
  const hash = createHash('sha256').update(`${LAYOUT_VERSION}\0${esbuildVersion()}\0${process.version.split('.')[0]}\0`)
  hash.update(readFileSync(join(root, 'tsconfig.json')))
  // The bundle holds the installed packages, and absolute paths of this checkout.
  hash.update(`\0${root}\0`)
  const installed = [join(root, 'node_modules', '.package-lock.json'), join(root, 'package-lock.json')].find((f) => existsSync(f))
  if (installed) hash.update(readFileSync(installed))
  const sources = new Map()
  for (const file of files) {
    const name = relative(root, file)
    hash.update(`\0${name}\0`)
    if (!isTypeScript(file)) continue
    const text = readFileSync(file, 'utf8')
    sources.set(file, text)
    hash.update(text)
  }
  const builds = join(root, '.start')
  const dir = join(builds, hash.digest('hex').slice(0, 16))
  if (!existsSync(join(dir, 'src'))) {
    await mkdir(builds, { recursive: true })
    const partial = `${dir}.${process.pid}.partial`
    try {
      await compile(await import('esbuild'), { root, out: partial, final: dir, files, sources })
      await rename(partial, dir)
    } catch (err) {
      // Another start may have completed the same build first.
      if (!existsSync(join(dir, 'src'))) throw err
    } finally {
      await rm(partial, { recursive: true, force: true })
    }
  }
  const now = new Date()
  await utimes(dir, now, now)
  await prune(builds, dir)
  return dir
}

async function compile(esbuild, { root, out, final, files, sources }) {
  const options = {
    absWorkingDir: root,
    outbase: root,
    outdir: out,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // The compiler options that matter to a transpiler (JSX for the pages) come from here.
    tsconfig: join(root, 'tsconfig.json'),
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
  }
  const isMigration = (file) => relative(root, file).startsWith(`migrations/`)
  await Promise.all([
    esbuild.build({
      ...options,
      entryPoints: [join(root, 'src', 'server.ts')],
      bundle: true,
      // Class and function names as written: logs name an error's class (`err.type`).
      keepNames: true,
      external: UNBUNDLED,
      banner: { js: REQUIRE_SHIM },
      plugins: [sourceUrlsAsLaidOut(root, final, sources)],
    }),
    // Each compiled migration names its source's digest: the kept migrated cluster is found by it.
    ...files.filter((f) => isTypeScript(f) && isMigration(f)).map((file) =>
      esbuild.build({ ...options, entryPoints: [file], banner: { js: `// migration source sha256:${sourceDigest(sources.get(file))}` } }),
    ),
  ])
  for (const file of files.filter((f) => !isTypeScript(f))) {
    const target = join(out, relative(root, file))
    await mkdir(dirname(target), { recursive: true })
    await symlink(file, target)
  }
}

/** In the bundle, each source under src/ keeps its own `import.meta.url`: that of its place in the final build. */
function sourceUrlsAsLaidOut(root, final, sources) {
  const srcDir = join(root, 'src')
  return {
    name: 'source-urls-as-laid-out',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, (args) => {
        if (!sources.has(args.path) || relative(srcDir, args.path).startsWith('..')) return undefined
        const url = pathToFileURL(join(final, relative(root, args.path)).replace(/\.tsx?$/, '.js')).href
        return { contents: sources.get(args.path).replaceAll('import.meta.url', JSON.stringify(url)), loader: args.path.endsWith('x') ? 'tsx' : 'ts' }
      })
    },
  }
}

/**
 * Marks `dir` as run by this process until it exits. A running server keeps reading its build
 * (static files, demo data, migrations), so pruning leaves alone a build whose marker names a
 * live process. A process killed outright leaves its marker behind; its dead pid no longer counts.
 */
export function markRunning(dir) {
  const marker = join(dir, RUNNING, String(process.pid))
  mkdirSync(dirname(marker), { recursive: true })
  writeFileSync(marker, '')
  process.on('exit', () => rmSync(marker, { force: true }))
}

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: alive, but another user's.
    return err.code === 'EPERM'
  }
}

const inUse = (dir) => readdirSafe(join(dir, RUNNING)).some((name) => /^\d+$/.test(name) && isAlive(Number(name)))
const readdirSafe = (dir) => (existsSync(dir) ? readdirSync(dir) : [])

/** Removes all but the most recently started builds (never one in use), and partial builds an hour old. */
async function prune(builds, current) {
  const entries = await Promise.all(
    (await readdir(builds)).map(async (name) => ({ name, path: join(builds, name), mtime: (await stat(join(builds, name)).catch(() => null))?.mtimeMs ?? 0 })),
  )
  const complete = entries.filter((e) => !e.name.endsWith('.partial') && e.path !== current).sort((a, b) => b.mtime - a.mtime)
  const stale = [
    ...complete.slice(KEEP_BUILDS).filter((e) => !inUse(e.path)),
    ...entries.filter((e) => e.name.endsWith('.partial') && Date.now() - e.mtime > 3_600_000),
  ]
  await Promise.all(stale.map((e) => rm(e.path, { recursive: true, force: true }).catch(() => {})))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = await prepareBuild()
  // npm's postinstall builds ahead, so that the first start after `npm ci` has nothing to compile.
  if (process.argv[2] === '--build-only') process.exit(0)
  markRunning(dir)
  // Source maps are written but not enabled: loading them (and every dependency's) at start costs
  // about 0.2 s of CPU. NODE_OPTIONS=--enable-source-maps makes stack traces name the sources.
  await import(pathToFileURL(join(dir, 'src', 'server.js')).href)
}
