import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import type { DatabaseConfig } from '../config.js'
import { withAfterCommit, type Database } from './database.js'

/** The Database port: the same Kysely API over a PostgreSQL server or embedded PGlite. */
export interface DatabaseHandle {
  db: Kysely<Database>
  kind: DatabaseConfig['kind']
  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>
  close(): Promise<void>
  /** The node-postgres pool, for features that need a dedicated connection (LISTEN/NOTIFY). */
  pool?: pg.Pool
  /** The embedded database itself, for its in-process notifications. */
  pglite?: PGlite
}

// bigint counters as numbers; calendar dates (DATE) as 'YYYY-MM-DD' strings, never shifted
// through a JS Date in the server's time zone. The PGlite adapter gets the same parsers.
const parseDate = (value: string) => value
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))
pg.types.setTypeParser(pg.types.builtins.DATE, parseDate)
const pgliteParsers = { [pg.types.builtins.INT8]: (value: string) => Number(value), [pg.types.builtins.DATE]: parseDate }

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  return config.kind === 'postgres' ? openPostgres(config.url, config.poolMax) : openPglite(config.dataDir)
}

function withPlugins(dialect: PostgresDialect | PGliteDialect): Kysely<Database> {
  // Nested JSON (event payloads, DTO snapshots) keeps its keys exactly as written.
  return withAfterCommit(new Kysely<Database>({ dialect, plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] }))
}

function openPostgres(url: string, poolMax: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 5_000 })
  // An idle client that loses its server emits 'error'; the pool replaces it on next use.
  pool.on('error', () => {})
  const db = withPlugins(new PostgresDialect({ pool }))
  return { db, kind: 'postgres', pool, ping: (timeoutMs) => ping(db, timeoutMs), close: () => db.destroy() }
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const options = { extensions: { unaccent, pg_trgm }, parsers: pgliteParsers }
  const pglite = dataDir === 'memory://' ? await PGlite.create(options) : await PGlite.create({ dataDir, ...options })
  const db = withPlugins(new PGliteDialect(pglite))
  return {
    db,
    kind: 'pglite',
    pglite,
    ping: (timeoutMs) => ping(db, timeoutMs),
    // The dialect closes PGlite when Kysely is destroyed.
    close: () => db.destroy(),
  }
}

async function ping(db: Kysely<Database>, timeoutMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    await Promise.race([sql`select 1`.execute(db), timeout])
  } finally {
    clearTimeout(timer)
  }
}
