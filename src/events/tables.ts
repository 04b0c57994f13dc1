import type { Generated, GeneratedAlways, JSONColumnType } from 'kysely'

// The event log's table, apart from event-log.ts: db/database.ts assembles every module's tables,
// and event-log.ts needs the database's transaction hooks, so the two would import each other.

/**
 * Who may receive an event. Checked per subscriber by the realtime module; stored with the event
 * so a replay filters exactly like live delivery.
 */
export type Audience =
  | { kind: 'public' }
  | { kind: 'signed_in' } // any signed-in user (reserved FAQs)
  | { kind: 'experts' } // experts and moderators
  | { kind: 'moderators' }
  | { kind: 'organization'; organizationId: string } // that organization's staff (and moderators)
  | { kind: 'question'; questionId: string; organizationId: string } // its participants (and moderators)

export interface EventsTable {
  position: GeneratedAlways<number>
  type: string
  // JSON columns are written as JSON text: node-postgres would turn a JS array into a SQL array.
  payload: JSONColumnType<Record<string, unknown>>
  channels: string[]
  audience: JSONColumnType<Audience[]>
  txid: Generated<string>
  occurredAt: Generated<Date>
}
