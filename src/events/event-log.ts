import { sql, type Kysely } from 'kysely'
import { afterCommit, openedBy, type Database } from '../db/database.js'
import type { Audience } from './tables.js'

export type { Audience, EventsTable } from './tables.js'

/**
 * What a WebSocket client subscribes to. An event lists every channel it belongs to; a subscriber
 * receives it when it subscribed to one of them AND one of the event's audiences admits it.
 */
export const channel = {
  /** The experts' queue of unclaimed questions (experts and moderators). */
  queue: 'queue',
  /** One organization's questions (its staff, moderators). */
  organization: (organizationId: string) => `organization:${organizationId}`,
  /** One question's conversation (its asker's organization, the experts, moderators). */
  question: (questionId: string) => `question:${questionId}`,
  /** One forum day: state changes and public counters (anyone). */
  forumDay: (forumDayId: string) => `forum-day:${forumDayId}`,
  /** The public knowledge base (FAQ published, updated, unpublished). */
  faqs: 'faqs',
  /** Session and access changes (moderators); the realtime hub also acts on them itself. */
  accounts: 'accounts',
} as const

/** The NOTIFY channel that wakes event readers; the table, not the notification, carries the event. */
export const EVENTS_NOTIFY_CHANNEL = 'forum_events'

/** Per database instance: what to do after a commit that appended events (the realtime module's wake-up). */
const committedListeners = new WeakMap<Kysely<Database>, () => void>()

/**
 * Calls `listener` after every commit through `db` that appended events, in place of a NOTIFY
 * inside the writing transaction. Returns the unsubscribe function.
 */
export function onEventsCommitted(db: Kysely<Database>, listener: () => void): () => void {
  committedListeners.set(db, listener)
  return () => {
    if (committedListeners.get(db) === listener) committedListeners.delete(db)
  }
}

export interface NewEvent {
  type: string
  payload: Record<string, unknown>
  channels: string[]
  /** Any one of these admits a subscriber. */
  audience: Audience[]
}


/**
 * Appends an event in the caller's transaction: it commits, or vanishes, with the change it
 * describes. After the commit the instance's readers are woken and it announces the commit to the
 * others (onEventsCommitted). A NOTIFY inside the transaction would take PostgreSQL's global
 * notification lock at commit and serialise every committing writer, so it is only the fallback
 * for a transaction opened without after-commit hooks or an instance without a listener.
 *
 * The transaction id is taken *before* the position is drawn (the materialized CTE runs first):
 * a reader that sees a gap in positions can then wait for exactly the transactions that were in
 * progress, knowing the owner of the missing position is one of them.
 */
export async function appendEvent(trx: Kysely<Database>, event: NewEvent): Promise<number> {
  const root = trx.isTransaction ? openedBy(trx) : trx
  const listener = root && committedListeners.get(root)
  const afterwards = listener !== undefined && (!trx.isTransaction || afterCommit(trx, listener))
  const { rows } = await sql<{ position: number }>`
    with tx as materialized (select pg_current_xact_id() as txid),
    appended as (
      insert into events (type, payload, channels, audience, txid)
      select ${event.type}, ${JSON.stringify(event.payload)}::jsonb, ${event.channels}::text[], ${JSON.stringify(event.audience)}::jsonb, tx.txid from tx
      returning position
    )
    select position${afterwards ? sql`` : sql`, pg_notify(${EVENTS_NOTIFY_CHANNEL}, '')`} from appended
  `.execute(trx)
  const row = rows[0]
  if (!row) throw new Error('event insert returned no position')
  // Outside a transaction the statement has committed already.
  if (afterwards && !trx.isTransaction) listener()
  return row.position
}

/**
 * Deletes the events of one forum day whose type starts with `typePrefix` (a wiped rehearsal's
 * question events), in the caller's transaction. Returns how many.
 */
export async function deleteForumDayEvents(trx: Kysely<Database>, forumDayId: string, typePrefix: string): Promise<number> {
  const deleted = await trx
    .deleteFrom('events')
    .where(sql<boolean>`payload->>'forumDayId' = ${forumDayId}`)
    .where('type', 'like', `${typePrefix}%`)
    .executeTakeFirst()
  return Number(deleted.numDeletedRows)
}
