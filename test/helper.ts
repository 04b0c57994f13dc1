import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { Test } from 'tap'
import { buildApp, type App, type AppOptions } from '../src/app.js'
import { loadConfig, type Config, type DatabaseConfig } from '../src/config.js'
import { MIGRATIONS_FOLDER, migrateToLatest } from '../src/db/migrations.js'
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
  // Tests drain the search outbox explicitly (app.kb.drainIndex()) rather than on a timer.
  return loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false', SEARCH_INDEXING_INTERVAL_MS: '0', SCHEDULER_INTERVAL_MS: '0', ...env })
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

/** Migrations change the template's name, so an edited migration never reuses a stale template. */
function templateName(): string {
  const hash = createHash('sha256')
  for (const file of readdirSync(MIGRATIONS_FOLDER).sort()) hash.update(file).update(readFileSync(join(MIGRATIONS_FOLDER, file)))
  return `ft_template_${hash.digest('hex').slice(0, 12)}`
}

/**
 * Migrating once into a template and cloning it per file is much faster than migrating per file.
 * The clone is made under the same lock: another checkout with other migrations may drop this
 * template (as stale) the moment the lock is released.
 */
async function cloneTemplate(client: pg.Client, name: string): Promise<void> {
  const template = templateName()
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
 * A database of this test's own, dropped when the test ends. On a server: a new database,
 * migrated (cloned from the template) unless `migrated: false`. On PGlite: in memory, migrated by
 * the app at start (or left empty for the caller).
 */
export async function freshDatabase(t: Test, { migrated = true } = {}): Promise<DatabaseConfig> {
  if (!onRealServer) return { kind: 'pglite', dataDir: 'memory://' }
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
