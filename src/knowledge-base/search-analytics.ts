import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { createBufferedCounts } from '../shared/buffered-counts.js'

/**
 * Search analytics kept off the request path (shared/buffered-counts.ts): a search never waits
 * for a write nor contends on the row of a popular query; a crash loses at most the last
 * interval's counts. What is stored: the normalised query per week, no user, session or address.
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

interface Pending {
  weekStart: string
  query: string
  searches: number
  zeroResultSearches: number
}

export function createSearchAnalytics(db: Kysely<Database>, log: { warn(obj: object, msg: string): void }): SearchAnalytics {
  const counts = createBufferedCounts<Pending>({
    merge(held, row) {
      held.searches += row.searches
      held.zeroResultSearches += row.zeroResultSearches
    },
    async write(rows) {
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
    },
    log,
    what: 'search analytics',
  })
  return {
    record: (weekStart, query, zeroResults) => counts.add(`${weekStart}\n${query}`, { weekStart, query, searches: 1, zeroResultSearches: zeroResults ? 1 : 0 }),
    flush: counts.flush,
    start: counts.start,
    stop: counts.stop,
  }
}
