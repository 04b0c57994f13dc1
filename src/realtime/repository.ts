import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { prepared } from '../db/prepared-statements.js'
import type { Audience } from '../events/event-log.js'
import { pruneEvents, prunedThrough } from '../events/retention.js'

/** An event as read back from the log. */
export interface StoredEvent {
  position: number
  type: string
  payload: Record<string, unknown>
  channels: string[]
  audience: Audience[]
  occurredAt: Date
}

/**
 * A PostgreSQL snapshot: transactions below `xmin` are finished, `inProgress` are still running.
 * `xmax` is one past the latest *completed* transaction, not the next id to be assigned: a
 * transaction whose id is at or above it is still running although `inProgress` does not list it.
 */
export interface Snapshot {
  xmin: bigint
  xmax: bigint
  inProgress: bigint[]
}

/** Whether the snapshot sees transaction `xid` as still running. */
export function runningIn(snapshot: Snapshot, xid: bigint): boolean {
  return xid >= snapshot.xmax || snapshot.inProgress.includes(xid)
}

/** Parses the text form of pg_snapshot, "xmin:xmax:xip1,xip2". */
export function parseSnapshot(text: string): Snapshot {
  const [xmin = '0', xmax = '0', xip = ''] = text.split(':')
  return { xmin: BigInt(xmin), xmax: BigInt(xmax), inProgress: xip === '' ? [] : xip.split(',').map((x) => BigInt(x)) }
}

type EventRow = Omit<StoredEvent, 'occurredAt'> & { occurredAt: Date | string; snapshot?: string }

const toEvent = ({ position, type, payload, channels, audience, occurredAt }: EventRow): StoredEvent => ({
  position,
  type,
  payload,
  channels,
  audience,
  occurredAt: new Date(occurredAt),
})

export function realtimeRepository(db: Kysely<Database>) {
  return {
    /**
     * Committed events after `cursor`, with the snapshot of the very statement that read them: a
     * transaction holding a missing position was in progress in that snapshot.
     */
    async readAfter(cursor: number, limit: number): Promise<{ events: StoredEvent[]; snapshot: Snapshot | undefined }> {
      // Prepared: every instance runs it after each commit it hears of.
      const { rows } = await prepared(sql<EventRow & { snapshot: string }>`
        select position, type, payload, channels, audience, occurred_at, pg_current_snapshot()::text as snapshot
        from events where position > ${cursor} order by position limit ${limit}
      `).execute(db)
      return { events: rows.map(toEvent), snapshot: rows[0] ? parseSnapshot(rows[0].snapshot) : undefined }
    },

    /** The highest position and the snapshot it was read in. */
    async head(): Promise<{ position: number; snapshot: Snapshot }> {
      const { rows } = await sql<{ position: number | null; snapshot: string }>`
        select (select max(position) from events) as position, pg_current_snapshot()::text as snapshot
      `.execute(db)
      const row = rows[0]
      return { position: Number(row?.position ?? 0), snapshot: parseSnapshot(row?.snapshot ?? '0:0:') }
    },

    /** The snapshot now. */
    async snapshot(): Promise<Snapshot> {
      const { rows } = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(db)
      return parseSnapshot(rows[0]?.snapshot ?? '0:0:')
    },

    /**
     * A transaction id above every id assigned so far (its own, assigned now and committed at
     * once): bounds the running transactions a snapshot cannot list, those at or above its xmax.
     */
    async horizon(): Promise<bigint> {
      const { rows } = await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(db)
      return BigInt(rows[0]?.xid ?? '0')
    },

    /** Events of `channels` in (since, through], oldest first, one page at a time. */
    async replay(since: number, through: number, channels: string[], limit: number): Promise<StoredEvent[]> {
      const { rows } = await sql<EventRow>`
        select position, type, payload, channels, audience, occurred_at from events
        where position > ${since} and position <= ${through} and channels && ${channels}::text[]
        order by position limit ${limit}
      `.execute(db)
      return rows.map(toEvent)
    },

    /** The highest position deleted by retention (0 if none): resuming from below it cannot be exact. */
    prunedThrough: () => prunedThrough(db),

    /** Deletes events older than `before` (the events module's retention). */
    prune: (before: Date) => pruneEvents(db, before),
  }
}

export type RealtimeRepository = ReturnType<typeof realtimeRepository>
