import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { Test } from 'tap'
import { buildApp, type App, type AppOptions } from '../src/app.js'
import { loadConfig, type Config, type DatabaseConfig } from '../src/config.js'
import { openDatabase } from '../src/db/connect.js'
import { migrateToLatest, migrationsDigest } from '../src/db/migrations.js'
import type { Clock } from '../src/shared/clock.js'

/** A real PostgreSQL server to test against; unset means every test file runs on in-memory PGlite. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL
export const onRealServer = TEST_SERVER_URL !== undefined

/** Reason printed by tests that need concurrent connections, which PGlite (one connection) lacks. */
export const NEEDS_SERVER = onRealServer
  ? false
  : 'needs a real PostgreSQL server (PGlite has one connection); set TEST_DATABASE_URL to run it'

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current = new Date('2026-03-02T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current)
  }
  set(instant: Date | string): void {
    this.current = new Date(instant)
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms)
  }
}

export function testConfig(env: Record<string, string> = {}): Config {
  // Tests drain the search and mail outboxes explicitly (app.kb.drainIndex(), app.mail.drain()) rather than on a timer.
  return loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false', SEARCH_INDEXING_INTERVAL_MS: '0', SCHEDULER_INTERVAL_MS: '0', MAIL_INTERVAL_MS: '0', ...env })
}

function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL as string)
  url.pathname = `/${name}`
  return url.toString()
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Named after the migrations (one rule with the kept PGlite cluster): an edited one never reuses a stale template. */
async function templateName(): Promise<string> {
  return `ft_template_${(await migrationsDigest()).slice(0, 12)}`
}

/**
 * Migrating once into a template and cloning it per file is much faster than migrating per file.
 * The clone is made under the same lock: another checkout with other migrations may drop this
 * template (as stale) the moment the lock is released.
 */
async function cloneTemplate(client: pg.Client, name: string): Promise<void> {
  const template = await templateName()
  await client.query(`select pg_advisory_lock(hashtext('forum-telematico test template'))`)
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [template])
    if (exists.rowCount === 0) {
      const stale = await client.query<{ datname: string }>(
        `select datname from pg_database where datname like 'ft\\_template\\_%' and datname <> $1`,
        [template],
      )
      for (const { datname } of stale.rows) await client.query(`drop database if exists "${datname}" with (force)`)
      await client.query(`create database "${template}"`)
      const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(template), max: 1 }) }) })
      try {
        await migrateToLatest(db)
      } catch (err) {
        await db.destroy()
        await client.query(`drop database if exists "${template}" with (force)`)
        throw err
      }
      await db.destroy()
    }
    await client.query(`create database "${name}" template "${template}"`)
  } finally {
    await client.query(`select pg_advisory_unlock(hashtext('forum-telematico test template'))`)
  }
}

/**
 * PGlite's counterpart of the template database: a migrated data directory dumped once per set of
 * migrations and shared by every test process (tap runs each file in its own), so a test's
 * database loads it instead of running every migration again. Not compressed: 40 MB instead of
 * 4.5, but each load then costs about 0.45 s of CPU instead of 0.65 s (no gunzip), and the suite
 * loads it hundreds of times. The first process to need it
 * writes it under an exclusive lock file; the others wait for the finished file.
 */
async function migratedPgliteSnapshot(): Promise<string> {
  const file = join(tmpdir(), `${await templateName()}.pglite.tar`)
  const lock = `${file}.lock`
  for (let waited = 0; !existsSync(file); waited += 200) {
    let handle: FileHandle | undefined
    try {
      handle = await open(lock, 'wx')
    } catch {
      // Another process is writing it; a lock older than two minutes was left by a crash.
      if (waited > 120_000) await rm(lock, { force: true })
      await delay(200)
      continue
    }
    try {
      if (!existsSync(file)) await writeMigratedSnapshot(file)
    } finally {
      await handle.close()
      await rm(lock, { force: true })
    }
  }
  return file
}

async function writeMigratedSnapshot(file: string): Promise<void> {
  const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
  try {
    await migrateToLatest(database.db)
    const dump = await database.pglite!.dumpDataDir('none')
    const partial = `${file}.${process.pid}.partial`
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()))
    await rename(partial, file)
  } finally {
    await database.close()
  }
}

/**
 * Each test starts a PGlite of its own: PostgreSQL's default 128 MB of shared buffers, set up at
 * every start, was about 40% of a start's CPU time (2.9 s per app built on this machine, 1.7 to
 * 2.1 s with 16 MB). 16 MB rather than less keeps the few tests that load thousands of rows
 * (test/search/relevance-10k.test.ts) away from evicting pages all the time.
 */
export const PGLITE_TEST_SETTINGS = { shared_buffers: '16MB' }

/**
 * A database of this test's own, dropped when the test ends. On a server: a new database,
 * migrated (cloned from the template) unless `migrated: false`. On PGlite: in memory, loaded from
 * a migrated snapshot (or left empty for the caller).
 */
export async function freshDatabase(t: Test, { migrated = true } = {}): Promise<DatabaseConfig> {
  if (!onRealServer) {
    return { kind: 'pglite', dataDir: 'memory://', settings: PGLITE_TEST_SETTINGS, ...(migrated && { startFrom: await migratedPgliteSnapshot() }) }
  }
  const name = `ft_test_${randomBytes(6).toString('hex')}`
  await withAdmin((client) => (migrated ? cloneTemplate(client, name) : client.query(`create database "${name}" template template1`).then(() => undefined)))
  t.teardown(() => withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`)))
  return { kind: 'postgres', url: databaseUrl(name), poolMax: 10 }
}

export interface BuildOptions extends AppOptions {
  env?: Record<string, string>
  /** Reuse a database (e.g. a second app instance on the same data). */
  database?: DatabaseConfig
}

/** An app of the test's own, on a fresh migrated database, closed when the test ends. */
export async function build(t: Test, options: BuildOptions = {}): Promise<App> {
  const config = testConfig(options.env)
  config.database = options.database ?? (await freshDatabase(t))
  config.migrateOnStart = true
  const app = await buildApp(config, options)
  t.teardown(() => app.close())
  return app
}

/** Raw SQL for assertions about what is (not) stored. */
export async function countRows(app: App, table: string): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(app.ports.db)
  return result.rows[0]?.n ?? 0
}
