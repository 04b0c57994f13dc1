import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/database.js'
import type { Clock } from '../shared/clock.js'
import { holdLease as holdLeaseIn } from '../shared/lease.js'
import {
  findFaqsByIds,
  markOutboxFailed,
  markOutboxProcessed,
  type FaqRow,
} from './repository.js'

/** What the worker needs from a search engine. */
export interface IndexWriter<Doc> {
  upsert(documents: Doc[]): Promise<void>
  remove(ids: string[]): Promise<void>
}

export interface OutboxWorkerOptions<Doc> {
  db: Kysely<Database>
  clock: Clock
  index: IndexWriter<Doc>
  toDocument: (faq: FaqRow) => Doc
  /** Runs before the first drain until it succeeds (e.g. applying the engine's settings). */
  prepare?: () => Promise<void>
  log: FastifyBaseLogger
  batchSize?: number
  /** How long one instance may drain before another may take over if it went silent. */
  leaseMs?: number
}

export interface DrainResult {
  indexed: number
  removed: number
  failed: number
}

const LEASE_KEY = 'search_outbox_drainer'
const MAX_BACKOFF_MS = 5 * 60_000

/** 2 s, 4 s, 8 s... capped at five minutes. */
export const backoffMs = (attempts: number) => Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(1, attempts))

/**
 * Drains the search outbox into the index. Only the instance holding the drainer lease drains, so
 * two instances never write an older and a newer version of one FAQ in the wrong order. No
 * transaction is held while the search engine works (PGlite has a single connection, and a slow
 * Meilisearch must not hold database locks).
 */
export function createSearchOutboxWorker<Doc>(options: OutboxWorkerOptions<Doc>) {
  const { db, clock, index, toDocument, log } = options
  const batchSize = options.batchSize ?? 200
  // Longer than one batch can take (an upsert and a removal, each waiting up to 30 s for
  // Meilisearch), and renewed before every batch.
  const leaseMs = options.leaseMs ?? 90_000
  const instanceId = randomUUID()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined
  let prepared = options.prepare === undefined
  let kicked = false

  const holdLease = () => holdLeaseIn(db, clock, LEASE_KEY, instanceId, leaseMs)

  async function drainBatch(): Promise<DrainResult & { more: boolean }> {
    const now = clock.now()
    const entries = await db
      .selectFrom('searchOutbox')
      .select(['id', 'faqId', 'attempts'])
      .where('processedAt', 'is', null)
      .where('nextAttemptAt', '<=', now)
      .orderBy('id')
      .limit(batchSize)
      .execute()
    if (entries.length === 0) return { indexed: 0, removed: 0, failed: 0, more: false }

    const ids = entries.map((e) => e.id)
    const faqIds = [...new Set(entries.map((e) => e.faqId))]
    const published = (await findFaqsByIds(db, faqIds)).filter((faq) => faq.state === 'published')
    const publishedIds = new Set(published.map((faq) => faq.id))
    const gone = faqIds.filter((id) => !publishedIds.has(id))
    try {
      if (published.length > 0) await index.upsert(published.map(toDocument))
      if (gone.length > 0) await index.remove(gone)
    } catch (err) {
      const attempts = Math.max(...entries.map((e) => e.attempts)) + 1
      const message = err instanceof Error ? err.message : String(err)
      await markOutboxFailed(db, ids, message, new Date(clock.now().getTime() + backoffMs(attempts)))
      log.warn({ err, entries: ids.length, attempts }, 'search indexing failed; will retry')
      return { indexed: 0, removed: 0, failed: entries.length, more: false }
    }
    await markOutboxProcessed(db, ids, clock.now())
    return { indexed: published.length, removed: gone.length, failed: 0, more: entries.length === batchSize }
  }

  /** Drains everything due now (several batches). Safe to call concurrently: calls are serialised. */
  async function drain(): Promise<DrainResult> {
    const previous = running
    const current = (async () => {
      await previous?.catch(() => undefined)
      const total: DrainResult = { indexed: 0, removed: 0, failed: 0 }
      if (!prepared) {
        await options.prepare?.()
        prepared = true
      }
      for (;;) {
        // Renewed per batch: a drain of many batches outlives one lease.
        if (!(await holdLease())) return total
        const batch = await drainBatch()
        total.indexed += batch.indexed
        total.removed += batch.removed
        total.failed += batch.failed
        if (!batch.more) return total
      }
    })()
    running = current
    return current
  }

  return {
    drain,
    /** Drains every `intervalMs` until stopped; errors are logged, never thrown. */
    start(intervalMs: number) {
      const tick = () => {
        drain()
          .catch((err: unknown) => log.error({ err }, 'search outbox drain failed'))
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs)
          })
      }
      timer = setTimeout(tick, intervalMs)
    },
    /** Drains soon (new entries were just queued) when the background loop runs; a no-op otherwise. */
    kick() {
      if (!timer || kicked) return
      kicked = true
      setImmediate(() => {
        kicked = false
        drain().catch((err: unknown) => log.error({ err }, 'search outbox drain failed'))
      })
    },
    async stop() {
      const t = timer
      timer = undefined
      if (t) clearTimeout(t)
      await running?.catch(() => undefined)
    },
  }
}

export type SearchOutboxWorker = ReturnType<typeof createSearchOutboxWorker>
