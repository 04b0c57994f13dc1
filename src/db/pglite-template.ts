import { existsSync } from 'node:fs'
import { cp, mkdir, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join, sep } from 'node:path'
import { PGlite } from '@electric-sql/pglite'

/**
 * A fresh embedded database used to start with PGlite's initdb, compiled to WebAssembly: most of
 * the embedded cold start (seconds, and hundreds of MB of WebAssembly memory that the running
 * instance never gives back). A pristine cluster is the same every time for one PGlite build, so
 * it is made once (by `npm ci`'s postinstall, or else by the first fresh start) and kept (about
 * 40 MB); fresh starts copy it into place and open it like an existing database.
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

/** Renamed into place: a concurrent start never copies half a cluster. Another process's copy may win. */
async function keep(partial: string, cached: string): Promise<void> {
  try {
    await rename(partial, cached)
  } catch (err) {
    if (!existsSync(join(cached, 'PG_VERSION'))) throw err
  }
}

/**
 * Puts a pristine cluster into an empty data folder: copied from the cache, or made by initdb
 * (in an instance closed at once, so its memory goes) and then copied into the cache.
 * A cache that cannot be written only costs the next fresh start its speed.
 */
export async function preparePristineCluster(dataDir: string): Promise<'copied' | 'initialised'> {
  const cached = await pristineClusterDir()
  if (existsSync(join(cached, 'PG_VERSION'))) {
    await cp(cached, dataDir, { recursive: true })
    return 'copied'
  }
  await (await PGlite.create({ dataDir })).close()
  const partial = `${cached}.${process.pid}.partial`
  try {
    await cp(dataDir, partial, { recursive: true })
    await keep(partial, cached)
  } catch {
    // Only the next fresh start's speed is lost.
  } finally {
    await rm(partial, { recursive: true, force: true }).catch(() => {})
  }
  return 'initialised'
}
