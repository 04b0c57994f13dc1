import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'

/**
 * Search analytics kept off the request path: each search adds one to a counter in memory, and
 * the counters are written in one statement every `intervalMs` (and on close). A search never
 * waits for a write nor contends on the row of a popular query; a crash loses at most the last
 * interval's counts. What is stored is unchanged: the normalised query per week, no user,
 * session or address.
 */
export interface SearchAnalytics {
  /** Counts one search (never throws, never waits). */
  record(weekStart: string, query: string, zeroResults: boolean): void
  /** Writes the pending counts now; on failure they stay pending for the next flush. */
  flush(): Promise<void>
  start(intervalMs: number): void
  /** Stops the timer and writes what is pending. */
  stop(): Promise<void>
}

interface Logger {
  warn(obj: object, msg: string): void
}

interface Pending {
  weekStart: string
  query: string
  searches: number
  zeroResultSearches: number
}

/** Distinct (week, query) pairs held before a flush is started early, so memory stays bounded. */
const MAX_PENDING = 5_000

export function createSearchAnalytics(db: Kysely<Database>, log: Logger): SearchAnalytics {
  let pending = new Map<string, Pending>()
  let timer: NodeJS.Timeout | undefined
  let writing: Promise<void> = Promise.resolve()

  const add = (into: Map<string, Pending>, row: Pending) => {
    const key = `${row.weekStart}\n${row.query}`
    const held = into.get(key)
    if (held) {
      held.searches += row.searches
      held.zeroResultSearches += row.zeroResultSearches
    } else {
      into.set(key, { ...row })
    }
  }

  async function write(): Promise<void> {
    if (pending.size === 0) return
    const batch = pending
    pending = new Map()
    // Sorted, so that two instances flushing at once lock rows in the same order.
    const rows = [...batch.values()].sort((a, b) => a.weekStart.localeCompare(b.weekStart) || a.query.localeCompare(b.query))
    try {
      await sql`
        insert into search_query_stats (week_start, query, searches, zero_result_searches)
        select * from unnest(
          ${rows.map((r) => r.weekStart)}::date[], ${rows.map((r) => r.query)}::text[],
          ${rows.map((r) => r.searches)}::int[], ${rows.map((r) => r.zeroResultSearches)}::int[]
        )
        on conflict (week_start, query) do update set
          searches = search_query_stats.searches + excluded.searches,
          zero_result_searches = search_query_stats.zero_result_searches + excluded.zero_result_searches
      `.execute(db)
    } catch (err) {
      // Kept for the next flush: a database hiccup loses no counts.
      for (const row of rows) add(pending, row)
      log.warn({ err, pending: pending.size }, 'search analytics not written; retrying at the next flush')
      throw err
    }
  }

  // One write at a time: a flush waits for the one under way, then writes what came since.
  const flush = () => {
    writing = writing.catch(() => undefined).then(write)
    return writing
  }

  return {
    record(weekStart, query, zeroResults) {
      add(pending, { weekStart, query, searches: 1, zeroResultSearches: zeroResults ? 1 : 0 })
      if (pending.size >= MAX_PENDING) flush().catch(() => undefined)
    },
    flush,
    start(intervalMs) {
      if (timer || intervalMs <= 0) return
      timer = setInterval(() => void flush().catch(() => undefined), intervalMs)
      timer.unref()
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      await flush().catch(() => undefined)
    },
  }
}
