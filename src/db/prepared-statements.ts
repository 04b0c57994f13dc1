import { createHash } from 'node:crypto'
import { sql, type PostgresCursor, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult, type RawBuilder } from 'kysely'
import type pg from 'pg'

/**
 * Kysely sends every query unnamed, so PostgreSQL parses and plans it again each time. For the
 * hot statements of a forum day (CTEs of a dozen parts at submission and claim) that was more of
 * the server's time than running them: as named prepared statements, a submission's two
 * statements took 60% less of PostgreSQL's CPU time and half the round-trip time, measured
 * against a copy of the peak benchmark's database.
 *
 * A statement wrapped in `prepared(...)` runs as a prepared statement of its connection, named
 * after its text (its values are parameters, so one shape is one statement); later runs on that
 * connection only bind and execute it. PostgreSQL still chooses per execution between the
 * generic plan and one for the values (plan_cache_mode = auto) and re-plans after any change to
 * the tables. It is opt-in because a prepared statement never treats its parameters as
 * constants while planning: an `on conflict ... where state = $1` (Kysely's builder makes every
 * value a parameter) no longer finds its partial unique index, and a partial index whose
 * predicate names a parameter cannot serve a generic plan. So only statements written with
 * their fixed values as literals are marked.
 *
 * A connection prepares at most MAX_PREPARED statements (each keeps a plan in its server
 * process); others then run unnamed.
 */
export const MAX_PREPARED = 100

const MARK = '/* prepared */ '

/** Runs `statement` as a prepared statement of its connection on a PostgreSQL server (PGlite ignores it). */
export function prepared<T>(statement: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${sql.raw(MARK)}${statement}`
}

/** Text -> statement name; bounded so that one-off query texts cannot grow it without end. */
const names = new Map<string, string>()
const MAX_NAMES = 2_000

function statementName(text: string): string {
  let name = names.get(text)
  if (name === undefined) {
    if (names.size >= MAX_NAMES) names.clear()
    name = `ft_${createHash('sha1').update(text).digest('base64url')}`
    names.set(text, name)
  }
  return name
}

/** Kysely's pool, over node-postgres's, preparing the marked statements on each connection. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  // One wrapper per pooled connection: Kysely keeps its own state per client object.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>()
  return {
    async connect() {
      const client = await pool.connect()
      let wrapper = wrappers.get(client)
      if (!wrapper) {
        wrapper = preparingClient(client)
        wrappers.set(client, wrapper)
      }
      return wrapper
    },
    end: () => pool.end(),
  }
}

function preparingClient(client: pg.PoolClient): PostgresPoolClient {
  const preparedHere = new Set<string>()
  function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>
  function query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never)
    const values = [...(parameters ?? [])]
    if (!sqlOrCursor.startsWith(MARK)) return client.query(sqlOrCursor, values) as unknown as Promise<PostgresQueryResult<R>>
    const name = statementName(sqlOrCursor)
    if (!preparedHere.has(name)) {
      if (preparedHere.size >= MAX_PREPARED) return client.query(sqlOrCursor, values) as unknown as Promise<PostgresQueryResult<R>>
      preparedHere.add(name)
    }
    return client.query({ name, text: sqlOrCursor, values }) as unknown as Promise<PostgresQueryResult<R>>
  }
  return { query, release: () => client.release() }
}
