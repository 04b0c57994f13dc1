import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, sep } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { MIGRATIONS_FOLDER, migrationsDigest } from './migrations.js'

/**
 * A fresh embedded database used to start with PGlite's initdb, compiled to WebAssembly: most of
 * the embedded cold start (seconds, and hundreds of MB of WebAssembly memory that the running
 * instance never gives back). A pristine cluster is the same every time for one PGlite build, so
 * it is made once (by `npm ci`'s postinstall, or else by the first fresh start) and kept (about
 * 40 MB); fresh starts copy it into place and open it like an existing database.
 *
 * The postinstall also keeps the same cluster with every migration applied, named after the
 * migrations, so that a fresh start has none to run. After a pull that adds a migration the name
 * no longer matches: fresh starts use the pristine cluster and migrate until the next install.
 */
const pgliteEntry = () => new URL(import.meta.resolve('@electric-sql/pglite')).pathname

/** node_modules/.cache/forum-telematico, beside the PGlite in use (from src/ and from dist/ alike). */
function cacheDir(): string {
  const entry = pgliteEntry()
  return join(entry.slice(0, entry.lastIndexOf(`${sep}node_modules${sep}`) + 1), 'node_modules', '.cache', 'forum-telematico')
}

async function pgliteVersion(): Promise<string> {
  // The package's exports hide package.json: find it above the resolved entry point.
  let dir = dirname(pgliteEntry())
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

export const pristineClusterDir = async () => join(cacheDir(), `pglite-${await pgliteVersion()}-cluster`)

/**
 * Named after the PGlite build and the migrations (`migrationsDigest`): an edited one never
 * reuses it, and the compiled migrations of `npm start` find the cluster made from the sources.
 */
export async function migratedClusterDir(migrationFolder = MIGRATIONS_FOLDER): Promise<string> {
  return join(cacheDir(), `pglite-${await pgliteVersion()}-migrated-${(await migrationsDigest(migrationFolder)).slice(0, 12)}`)
}

/** True when the folder holds no cluster yet: PGlite would run initdb there. */
export function isFreshDataDir(dataDir: string): boolean {
  return !existsSync(join(dataDir, 'PG_VERSION'))
}

/**
 * Makes the kept pristine cluster unless it is there (`scripts/prepare-pglite.ts`, run by npm
 * after installing): then even the first start of a new installation skips initdb.
 */
export async function keepPristineCluster(cached?: string): Promise<'present' | 'made'> {
  cached ??= await pristineClusterDir()
  if (existsSync(join(cached, 'PG_VERSION'))) return 'present'
  await mkdir(dirname(cached), { recursive: true })
  const partial = `${cached}.${process.pid}.partial`
  try {
    await (await PGlite.create({ dataDir: partial })).close()
    await keep(partial, cached)
  } finally {
    await rm(partial, { recursive: true, force: true }).catch(() => {})
  }
  return 'made'
}

/**
 * Makes the kept migrated cluster unless it is there: `migrate` opens the given fresh folder
 * (which starts from the pristine cluster), applies the migrations and closes it. Migrated
 * clusters of other migrations are removed.
 */
export async function keepMigratedCluster(migrate: (dataDir: string) => Promise<void>, cached?: string): Promise<'present' | 'made'> {
  cached ??= await migratedClusterDir()
  if (existsSync(join(cached, 'PG_VERSION'))) return 'present'
  await mkdir(dirname(cached), { recursive: true })
  const partial = `${cached}.${process.pid}.partial`
  try {
    await migrate(partial)
    await keep(partial, cached)
  } finally {
    await rm(partial, { recursive: true, force: true }).catch(() => {})
  }
  const stale = (await readdir(dirname(cached))).filter((name) => /^pglite-.*-migrated-[0-9a-f]+$/.test(name) && name !== basename(cached))
  await Promise.all(stale.map((name) => rm(join(dirname(cached), name), { recursive: true, force: true })))
  return 'made'
}

/** Renamed into place: a concurrent start never copies half a cluster. Another process's copy may win. */
async function keep(partial: string, cached: string): Promise<void> {
  try {
    await rename(partial, cached)
  } catch (err) {
    if (!existsSync(join(cached, 'PG_VERSION'))) throw err
  }
}

/**
 * Puts a cluster into an empty data folder: the migrated one if it matches the migrations, else
 * the pristine one, copied from the cache, or made by initdb
 * (in an instance closed at once, so its memory goes) and then copied into the cache.
 * A cache that cannot be written only costs the next fresh start its speed.
 */
export async function prepareFreshDataDir(dataDir: string): Promise<'copied migrated' | 'copied' | 'initialised'> {
  const migrated = await migratedClusterDir()
  if (existsSync(join(migrated, 'PG_VERSION'))) {
    copyTree(migrated, dataDir)
    return 'copied migrated'
  }
  const cached = await pristineClusterDir()
  if (existsSync(join(cached, 'PG_VERSION'))) {
    copyTree(cached, dataDir)
    return 'copied'
  }
  await (await PGlite.create({ dataDir })).close()
  const partial = `${cached}.${process.pid}.partial`
  try {
    copyTree(dataDir, partial)
    await keep(partial, cached)
  } catch {
    // Only the next fresh start's speed is lost.
  } finally {
    await rm(partial, { recursive: true, force: true }).catch(() => {})
  }
  return 'initialised'
}

/**
 * A cluster's 1,200 files copied one after the other: a third of the time `fs.cp` took
 * (about 0.35 s against 0.95 s), whose promise per file and per check dominated a fresh start's
 * copy. Nothing else runs while a data folder is prepared, so blocking is harmless.
 */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true })
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name))
    else copyFileSync(join(from, entry.name), join(to, entry.name))
  }
}
