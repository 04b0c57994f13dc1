import { sql } from 'kysely'
import { channel, type Audience, type EventInStatement, type NewEvent } from '../events/event-log.js'
import type { QuestionRow } from './repository.js'
import { holderOf } from './rules.js'

/** Who hears about a question: the experts' queue, the asking organization, the question's followers. */
export function questionAudience(q: Pick<QuestionRow, 'id' | 'organizationId'>): Audience[] {
  return [{ kind: 'experts' }, { kind: 'organization', organizationId: q.organizationId }, { kind: 'question', questionId: q.id, organizationId: q.organizationId }]
}

/** The event of a change to a question, as every use case writes it (context.ts `emit`). */
export function questionEvent(type: string, q: QuestionRow, at: Date, extra: Record<string, unknown> = {}): NewEvent {
  return {
    type,
    // Ids, state and title only: the body and messages are fetched by those allowed to read them.
    payload: {
      questionId: q.id,
      forumDayId: q.forumDayId,
      organizationId: q.organizationId,
      state: q.state,
      title: q.title,
      theme: q.theme,
      version: q.version,
      claimedBy: q.state === 'claimed' || q.state === 'awaiting_clarification' ? holderOf(q) : null,
      leaseExpiresAt: q.state === 'claimed' ? (q.leaseExpiresAt?.toISOString() ?? null) : null,
      at: at.toISOString(),
      ...extra,
    },
    channels: [channel.queue, channel.organization(q.organizationId), channel.question(q.id)],
    audience: questionAudience(q),
  }
}

/**
 * The question.claimed event of claim-next's statement (statements.ts), which learns only as it
 * runs which question each expert got: every value is SQL over its `claimed` CTE, which carries
 * the question's columns and the claim's timestamps as JavaScript writes them (`at_text`,
 * `lease_text`). It must equal questionEvent of the claimed row, as a test checks
 * (test/questions/claim-next.test.ts); change the two together.
 */
export function claimedEventInStatement(): EventInStatement {
  const organizationId = sql`claimed.organization_id`
  const questionId = sql`claimed.id`
  return {
    type: 'question.claimed',
    payload: {
      questionId,
      forumDayId: sql`claimed.forum_day_id`,
      organizationId,
      state: 'claimed',
      title: sql`claimed.title`,
      theme: sql`claimed.theme`,
      version: sql`claimed.version`,
      claimedBy: { id: sql`claimed.claimed_by`, name: sql`claimed.claimed_by_name` },
      leaseExpiresAt: sql`claimed.lease_text`,
      at: sql`claimed.at_text`,
    },
    channels: [channel.queue, sql`${channel.organization('')}::text || claimed.organization_id`, sql`${channel.question('')}::text || claimed.id`],
    audience: [{ kind: 'experts' }, { kind: 'organization', organizationId }, { kind: 'question', questionId, organizationId }],
  }
}
