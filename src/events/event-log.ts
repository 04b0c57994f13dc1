import type { Generated, GeneratedAlways, JSONColumnType, Kysely } from 'kysely'
import type { Database } from '../db/database.js'

/**
 * Who may receive an event. Checked per subscriber by the realtime module; stored with the event
 * so a replay filters exactly like live delivery.
 */
export type Audience =
  | { kind: 'public' }
  | { kind: 'experts' } // experts and moderators
  | { kind: 'moderators' }
  | { kind: 'organization'; organizationId: string } // that organization's staff (and moderators)
  | { kind: 'question'; questionId: string; organizationId: string } // its participants (and moderators)

export interface NewEvent {
  type: string
  payload: Record<string, unknown>
  audience: Audience[]
}

export interface EventsTable {
  position: GeneratedAlways<number>
  type: string
  // JSON columns are written as JSON text: node-postgres would turn a JS array into a SQL array.
  payload: JSONColumnType<Record<string, unknown>>
  audience: JSONColumnType<Audience[]>
  txid: Generated<string>
  occurredAt: Generated<Date>
}

/** Appends an event in the caller's transaction: it commits, or vanishes, with the change it describes. */
export async function appendEvent(trx: Kysely<Database>, event: NewEvent): Promise<number> {
  const row = await trx
    .insertInto('events')
    .values({ type: event.type, payload: JSON.stringify(event.payload), audience: JSON.stringify(event.audience) })
    .returning('position')
    .executeTakeFirstOrThrow()
  return row.position
}
