import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { romeDate } from '../i18n/format.js'
import { createBufferedCounts } from '../shared/buffered-counts.js'
import type { Clock } from '../shared/clock.js'
import { addFaqViews } from './repository.js'

/**
 * How often each FAQ page is read, per Rome calendar day, and nothing about who read it: no user,
 * session or address is looked at or kept. Readings are counted in memory and written in one
 * statement every few seconds (and on close; shared/buffered-counts.ts): a page view never waits
 * for a write nor contends on a popular FAQ's row; a crash loses at most one interval's counts.
 * Pages served from a shared cache are not counted (the counts are a lower bound).
 */
export interface FaqViewCounter {
  /** Counts one reading of the FAQ (never throws, never waits). */
  record(faqId: string): void
  flush(): Promise<void>
  start(intervalMs: number): void
  stop(): Promise<void>
}

export function createFaqViewCounter(db: Kysely<Database>, clock: Clock, log: { warn(obj: object, msg: string): void }): FaqViewCounter {
  const counts = createBufferedCounts<{ faqId: string; day: string; views: number }>({
    merge: (held, row) => void (held.views += row.views),
    write: (rows) => addFaqViews(db, rows),
    log,
    what: 'FAQ readings',
  })
  return {
    record(faqId) {
      const day = romeDate(clock.now())
      counts.add(`${faqId}|${day}`, { faqId, day, views: 1 })
    },
    flush: counts.flush,
    start: counts.start,
    stop: counts.stop,
  }
}
