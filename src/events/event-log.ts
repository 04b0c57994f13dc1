import { sql, type Kysely, type RawBuilder } from 'kysely'
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
  const wakeUp = eventWakeUp(trx)
  const { rows } = await sql<{ position: number }>`
    with ${EVENT_TXID}, appended as (${insertEvent(event)})
    select position${wakeUp.notify(sql`appended`)} from appended
  `.execute(trx)
  const row = rows[0]
  if (!row) throw new Error('event insert returned no position')
  wakeUp.appended()
  return row.position
}

/**
 * An event that a statement writes together with the change it describes, where the statement
 * itself computes part of it (the row it just claimed, the counters it just read): any value of
 * the payload or audience, and any channel, may be an SQL expression over the statement's rows.
 */
export interface EventInStatement {
  type: string
  payload: Record<string, unknown>
  channels: Array<string | RawBuilder<unknown>>
  audience: unknown[]
}

/**
 * The CTE that a statement appending events (insertEvent) must list: its transaction id, drawn
 * before any position because every event row is built from it (see appendEvent).
 */
export const EVENT_TXID = sql`event_txid as materialized (select pg_current_xact_id() as txid)`

/**
 * An `insert into events ... returning position` for a CTE of a statement that also lists
 * EVENT_TXID: one event per row of `from` (a CTE or join of the statement, whose columns the
 * event's SQL expressions name), or one event when `from` is absent. Its caller runs the
 * statement with eventWakeUp, so readers learn of the commit as they do after appendEvent.
 */
export function insertEvent(event: NewEvent | EventInStatement, from?: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`insert into events (type, payload, channels, audience, txid)
    select ${event.type}, ${jsonbOf(event.payload)}, ${textArrayOf(event.channels)}, ${jsonbOf(event.audience)}, event_txid.txid
    from ${from ? sql`${from} cross join event_txid` : sql`event_txid`}
    returning position`
}

/**
 * insertEvent for events made beforehand, one per row of `rows`: a relation of the statement with
 * the columns `type`, `payload` and `audience` (jsonb), `channels` (a jsonb array of strings) and
 * `n`, the order in which they take their positions. For a statement that writes the events of
 * many requests at once (a batch of submissions), each event's values passed as arrays.
 */
export function insertEventRows(rows: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`insert into events (type, payload, channels, audience, txid)
    select e.type, e.payload, array(select jsonb_array_elements_text(e.channels)), e.audience, event_txid.txid
    from ${rows} e cross join event_txid
    order by e.n
    returning position`
}

/**
 * How the readers hear of events a statement appended: put `notify(cte)` (cte: the statement's
 * insertEvent) in its final select list and call `appended()` once the statement succeeded and
 * appended something. With an after-commit listener (the usual case) the notify is empty and the
 * listener runs after the commit (at once for a statement outside a transaction); without one, a
 * NOTIFY goes out at commit as the fallback.
 */
export function eventWakeUp(trx: Kysely<Database>): { notify(events: RawBuilder<unknown>): RawBuilder<unknown>; appended(): void } {
  const root = trx.isTransaction ? openedBy(trx) : trx
  const listener = root && committedListeners.get(root)
  return {
    notify: (events) => (listener ? sql`` : sql`, (select count(*) from (select pg_notify(${EVENTS_NOTIFY_CHANNEL}, '') from ${events}) as sent) as notified`),
    appended() {
      if (!listener) return
      // Outside a transaction the statement has committed already.
      if (trx.isTransaction) afterCommit(trx, listener)
      else listener()
    },
  }
}

const isSql = (value: unknown): value is RawBuilder<unknown> => typeof value === 'object' && value !== null && 'isRawBuilder' in value
const holdsSql = (value: unknown): boolean =>
  isSql(value) || (typeof value === 'object' && value !== null && !(value instanceof Date) && Object.values(value).some(holdsSql))

/**
 * The jsonb of a JSON value whose leaves may be SQL expressions: one parameter, serialised as
 * JSON.stringify does, when none is; otherwise built in SQL around the expressions.
 */
export function jsonbOf(value: unknown): RawBuilder<unknown> {
  if (isSql(value)) return sql`to_jsonb(${value})`
  if (!holdsSql(value)) return sql`${JSON.stringify(value)}::jsonb`
  if (Array.isArray(value)) return sql`jsonb_build_array(${sql.join(value.map(jsonbOf))})`
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  return sql`jsonb_build_object(${sql.join(entries.flatMap(([k, v]) => [sql`${k}::text`, jsonbOf(v)]))})`
}

function textArrayOf(items: Array<string | RawBuilder<unknown>>): RawBuilder<unknown> {
  if (!items.some(isSql)) return sql`${items}::text[]`
  return sql`array[${sql.join(items.map((item) => (isSql(item) ? item : sql`${item}::text`)))}]::text[]`
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
