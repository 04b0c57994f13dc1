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
} as const

export interface NewEvent {
  type: string
  payload: Record<string, unknown>
  channels: string[]
  /** Any one of these admits a subscriber. */
  audience: Audience[]
}

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

/** Appends an event in the caller's transaction: it commits, or vanishes, with the change it describes. */
export async function appendEvent(trx: Kysely<Database>, event: NewEvent): Promise<number> {
  const row = await trx
    .insertInto('events')
    .values({
      type: event.type,
      payload: JSON.stringify(event.payload),
      channels: event.channels,
      audience: JSON.stringify(event.audience),
    })
    .returning('position')
    .executeTakeFirstOrThrow()
  return row.position
}
