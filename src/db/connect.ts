import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import type { FastifyBaseLogger } from 'fastify'
import pg from 'pg'
import type { DatabaseConfig } from '../config.js'
import { withAfterCommit, type Database } from './database.js'
import { isFreshDataDir, prepareFreshDataDir } from './pglite-template.js'
import { preparingPool } from './prepared-statements.js'
import { CONNECTION_BEGUN_AT, createDatabaseAvailability, type DatabaseAvailability } from './unavailable.js'

/** The Database port: the same Kysely API over a PostgreSQL server or embedded PGlite. */
export interface DatabaseHandle {
  db: Kysely<Database>
  kind: DatabaseConfig['kind']
  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>
  close(): Promise<void>
  /** Whether the database is reachable; outages are logged here, once per change. */
  availability: DatabaseAvailability
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

export async function openDatabase(config: DatabaseConfig, options: { log?: FastifyBaseLogger } = {}): Promise<DatabaseHandle> {
  const availability = createDatabaseAvailability(options.log)
  return config.kind === 'postgres'
    ? openPostgres(config.url, config.poolMax, availability, options.log)
    : openPglite(config.dataDir, availability, config.startFrom, config.settings)
}

function withPlugins(dialect: PostgresDialect | PGliteDialect, availability: DatabaseAvailability): Kysely<Database> {
  return withAfterCommit(
    new Kysely<Database>({
      dialect,
      // Nested JSON (event payloads, DTO snapshots) keeps its keys exactly as written.
      plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
      // A failed query may be the first sign of an outage. Its end is a new connection (below): a
      // query that still succeeds on an old one while the server shuts down proves nothing.
      log: (event) => {
        if (event.level === 'error') availability.report(event.error)
      },
    }),
  )
}

/**
 * Planner costs for storage where a random read costs about as much as a sequential one (SSDs,
 * PGlite's memory). With the default (4) the planner scans every FAQ's text, decompressing each,
 * rather than take a few hundred rows from a search index (38 ms instead of 8 on 10,000 FAQs).
 */
const PLANNER_SETTINGS = { random_page_cost: '1.1' }

/**
 * The embedded database's buffer pool. PGlite allocates and clears PostgreSQL's default 128 MB in
 * WebAssembly memory at every start: 0.3 s of a cold start and 100 MB of memory never given back.
 * Its files sit in the operating system's page cache anyway, and searches among 10,000 FAQs ran
 * as fast with 32 MB (BENCHMARKS.md, "Embedded cold start").
 */
const PGLITE_SETTINGS = { shared_buffers: '32MB' }

/** Server settings as command-line flags, the form both a connection's `options` and PGlite take. */
const settingFlags = (settings: Record<string, string>) => Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])

type ConnectCallback = Parameters<pg.Client['connect']>[0] & object

/**
 * A pool client that knows when it began to connect (see DatabaseAvailability.up), and marks
 * its connect error with that time (DatabaseAvailability.report).
 */
class TimedClient extends pg.Client {
  readonly begunAt = Date.now()

  override connect(): Promise<pg.Client>
  override connect(callback: ConnectCallback): void
  override connect(callback?: ConnectCallback): Promise<pg.Client> | void {
    const mark = <E,>(err: E): E => {
      if (typeof err === 'object' && err !== null) Object.defineProperty(err, CONNECTION_BEGUN_AT, { value: this.begunAt })
      return err
    }
    if (callback) {
      const done = callback as (err: Error | null, client?: pg.Client) => void
      return super.connect(((err: Error | null, client?: pg.Client) => done(mark(err), client)) as ConnectCallback)
    }
    return super.connect().catch((err: unknown) => {
      throw mark(err)
    })
  }
}

function openPostgres(url: string, poolMax: number, availability: DatabaseAvailability, log?: FastifyBaseLogger): DatabaseHandle {
  // No JIT compilation: the service's queries are short, and JIT's cost estimate fires on some of
  // them (search over many rows) where compiling alone takes longer than running. Set at
  // connection start, so no query pays a round trip for it. (An `options` in the URL wins.)
  const options = settingFlags({ jit: 'off', ...PLANNER_SETTINGS }).join(' ')
  const pool = new pg.Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 5_000, Client: TimedClient, options })
  // A client whose server goes away emits 'error', idle in the pool or checked out (in a
  // transaction, between two queries): without a listener that event would end the process.
  // The pool drops such a client when it is released; the query in flight fails on its own.
  const onClientError = (err: Error) => {
    if (!availability.report(err)) log?.warn({ err }, 'database connection error')
  }
  pool.on('error', onClientError)
  pool.on('connect', (client) => {
    client.on('error', onClientError)
    // Every client of the pool died with the outage: the first new one marks its end.
    if (client instanceof TimedClient) availability.up(client.begunAt)
  })
  const db = withPlugins(new PostgresDialect({ pool: preparingPool(pool) }), availability)
  // A refused connection never reaches Kysely's log: the readiness probe reports it itself.
  const probe = (timeoutMs?: number) =>
    ping(db, timeoutMs).catch((err: unknown) => {
      availability.report(err)
      throw err
    })
  return { db, kind: 'postgres', pool, availability, ping: probe, close: () => db.destroy() }
}

async function openPglite(dataDir: string, availability: DatabaseAvailability, startFrom?: string, settings: Record<string, string> = {}): Promise<DatabaseHandle> {
  const loadDataDir = startFrom === undefined ? undefined : new Blob([await readFile(startFrom)])
  // A new data folder starts from a copy of a pristine cluster, not from initdb (see pglite-template.ts).
  if (dataDir !== 'memory://' && !loadDataDir && isFreshDataDir(dataDir)) await prepareFreshDataDir(dataDir)
  const startParams = [...PGlite.defaultStartParams, ...settingFlags({ ...PLANNER_SETTINGS, ...PGLITE_SETTINGS, ...settings })]
  const options = { extensions: { unaccent, pg_trgm }, parsers: pgliteParsers, startParams, ...(loadDataDir && { loadDataDir }) }
  const pglite = dataDir === 'memory://' ? await PGlite.create(options) : await PGlite.create({ dataDir, ...options })
  const db = withPlugins(new PGliteDialect(pglite), availability)
  return {
    db,
    kind: 'pglite',
    pglite,
    availability,
    ping: (timeoutMs) => ping(db, timeoutMs),
    // The dialect closes PGlite when Kysely is destroyed. PGlite's runtime sets
    // process.exitCode to 0 as it exits, which hid a script's failure status: keep ours.
    close: async () => {
      const exitCode = process.exitCode
      await db.destroy()
      process.exitCode = exitCode
    },
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
