import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { romeDate } from '../i18n/format.js'
import type { Clock } from '../shared/clock.js'
import { addFaqViews } from './repository.js'

/**
 * How often each FAQ page is read, per Rome calendar day, and nothing about who read it: no user,
 * session or address is looked at or kept. Readings are counted in memory and written in one
 * statement every few seconds (and on close), like the search analytics: a page view never waits
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

/** Distinct (FAQ, day) pairs held before a flush is started early, so memory stays bounded. */
const MAX_PENDING = 5_000

export function createFaqViewCounter(db: Kysely<Database>, clock: Clock, log: { warn(obj: object, msg: string): void }): FaqViewCounter {
  let pending = new Map<string, number>()
  let timer: NodeJS.Timeout | undefined
  let writing: Promise<void> = Promise.resolve()

  async function write(): Promise<void> {
    if (pending.size === 0) return
    const batch = pending
    pending = new Map()
    const rows = [...batch.entries()]
      .map(([key, views]) => {
        const [faqId, day] = key.split('|') as [string, string]
        return { faqId, day, views }
      })
      .sort((a, b) => a.faqId.localeCompare(b.faqId) || a.day.localeCompare(b.day))
    try {
      await addFaqViews(db, rows)
    } catch (err) {
      // Kept for the next flush.
      for (const [key, views] of batch) pending.set(key, (pending.get(key) ?? 0) + views)
      log.warn({ err, pending: pending.size }, 'FAQ readings not written; retrying at the next flush')
      throw err
    }
  }

  const flush = () => {
    writing = writing.catch(() => undefined).then(write)
    return writing
  }

  return {
    record(faqId) {
      const key = `${faqId}|${romeDate(clock.now())}`
      pending.set(key, (pending.get(key) ?? 0) + 1)
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
