import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import type { ForumDayRow } from '../forum-days/repository.js'
import { prepared } from '../db/prepared-statements.js'
import { EVENT_TXID, eventWakeUp, insertEvent, type EventInStatement, type NewEvent } from '../events/event-log.js'
import type { DayCountsInStatement } from '../forum-days/service.js'
import { claimedEventInStatement } from './question-events.js'
import type { QuestionRow } from './repository.js'

/**
 * The hot paths of a forum day (submission, claim-next) as few statements as their rules allow:
 * a pooled connection held through a dozen sequential statements was the ceiling at the peak.
 * Each statement does several things through CTEs; the rules stay in one transaction.
 * They read forum-day tables (days, editions, stored eligibility decisions) without writing them.
 * Each is prepared once per pooled connection (db/prepared-statements.ts), so its fixed values are
 * written as SQL literals and only what varies is a parameter.
 */

/** Columns of questions in SQL, in QuestionRow's order (CamelCasePlugin maps them back). */
const QUESTION_SQL_COLUMNS = sql.raw(
  'id, forum_day_id, organization_id, asked_by, asker_name, title, body, theme, state, claimed_by, claimed_by_name, claimed_at, lease_expires_at, ' +
    'answer, answered_by, answered_by_name, answered_at, answered_late, duplicate_of_faq, rejection_reason, submitted_at, updated_at, version',
)

export interface SubmissionContext {
  /** False: the Idempotency-Key was there already (after any concurrent holder committed). */
  fresh: boolean
  day:
    | (Pick<ForumDayRow, 'id' | 'editionId' | 'themes' | 'opensAt' | 'closesAt' | 'cancelledAt' | 'maxOpenQuestionsPerOrganization' | 'rehearsal'> & {
        editionName: string
        editionRegistryDate: string
      })
    | undefined
  /** The stored eligibility decision, when there is one. */
  decision: { eligible: boolean; reason: string; detail: string; registryDate: string } | undefined
}

/** What submissionContext's statement returns per request, in columns (CamelCasePlugin's names). */
export interface SubmissionContextRow {
  fresh: boolean
  dayId: string | null
  editionId: string
  themes: string[]
  opensAt: Date
  closesAt: Date
  cancelledAt: Date | null
  maxOpenQuestionsPerOrganization: number | null
  rehearsal: boolean
  editionName: string
  editionRegistryDate: string
  decisionEligible: boolean | null
  decisionReason: string
  decisionDetail: string
  decisionRegistryDate: string
  locked: number
}

/** A SubmissionContext from its statement's row (this one's, or a batch's, submission-batch.ts). */
export function submissionContextOf(r: SubmissionContextRow): SubmissionContext {
  return {
    fresh: r.fresh,
    day: r.dayId
      ? {
          id: r.dayId,
          editionId: r.editionId,
          themes: r.themes,
          opensAt: r.opensAt,
          closesAt: r.closesAt,
          cancelledAt: r.cancelledAt,
          maxOpenQuestionsPerOrganization: r.maxOpenQuestionsPerOrganization,
          rehearsal: r.rehearsal,
          editionName: r.editionName,
          editionRegistryDate: r.editionRegistryDate,
        }
      : undefined,
    decision:
      r.decisionEligible === null ? undefined : { eligible: r.decisionEligible, reason: r.decisionReason, detail: r.decisionDetail, registryDate: r.decisionRegistryDate },
  }
}

/**
 * One statement: records the Idempotency-Key, reads the day, its edition and the organization's
 * stored eligibility decision, and (for a capped day, a fresh key only) takes the per
 * organization-and-day lock that serialises the cap check. The lock depends on the key's insert,
 * so every transaction takes the key before the lock: two retries of one key cannot deadlock.
 */
export async function submissionContext(
  trx: Kysely<Database>,
  args: { userId: string; key: string; fingerprint: string; now: Date; forumDayId: string; organizationId: string },
): Promise<SubmissionContext> {
  const { rows } = await prepared(sql<SubmissionContextRow>`
    with key as (
      insert into idempotency_keys (user_id, key, fingerprint, created_at)
      values (${args.userId}, ${args.key}, ${args.fingerprint}, ${args.now})
      on conflict (user_id, key) do nothing
      returning true as fresh
    ),
    day as (
      select d.id, d.edition_id, d.themes, d.opens_at, d.closes_at, d.cancelled_at, d.max_open_questions_per_organization, d.rehearsal,
        e.name as edition_name, e.registry_date as edition_registry_date
      from forum_days d join programme_editions e on e.id = d.edition_id
      where d.id = ${args.forumDayId}
    ),
    decision as (
      select ed.eligible, ed.reason, ed.detail, ed.registry_date
      from eligibility_decisions ed join day on ed.edition_id = day.edition_id
      where ed.organization_id = ${args.organizationId}
    ),
    lock as (
      select pg_advisory_xact_lock(hashtext(${`questions:${args.forumDayId}:${args.organizationId}`}))
      from day where day.max_open_questions_per_organization is not null and exists (select 1 from key)
    )
    select coalesce((select fresh from key), false) as fresh,
      day.id as day_id, day.edition_id, day.themes, day.opens_at, day.closes_at, day.cancelled_at, day.max_open_questions_per_organization,
      day.rehearsal, day.edition_name, day.edition_registry_date,
      decision.eligible as decision_eligible, decision.reason as decision_reason, decision.detail as decision_detail,
      decision.registry_date as decision_registry_date,
      (select count(*) from lock)::int as locked
    from (select 1) one left join day on true left join decision on true
  `).execute(trx)
  const r = rows[0]
  if (!r) throw new Error('submission context returned no row')
  return submissionContextOf(r)
}

export interface SubmissionOutcome {
  /** False: the organization's open questions reached the cap; nothing was written. */
  inserted: boolean
  /** The organization's open questions on the day before this one. */
  open: number
}

/**
 * One statement, after submissionContext (so a capped day's count is read under its lock, in a
 * snapshot taken after the lock was granted): checks the cap, inserts the question, its opening
 * message and transition, stores the response under the Idempotency-Key, reads the day's
 * counters, and appends the question.submitted event and then the day's counters event (the
 * forum days module's, counted in this statement). The question row, its response and its event
 * are made by the caller, so nothing needs reading back.
 */
export async function insertSubmission(
  trx: Kysely<Database>,
  q: QuestionRow,
  args: {
    cap: number | null
    actorRole: string
    key: string
    response: Record<string, unknown>
    submitted: NewEvent
    counters: (counts: DayCountsInStatement) => EventInStatement
  },
): Promise<SubmissionOutcome> {
  // The counters' snapshot precedes the insert (its trigger runs at the end of the statement).
  const counters = args.counters({ questions: sql`day.questions + 1`, answered: sql`day.answered`, open: sql`day.day_open + 1` })
  const wakeUp = eventWakeUp(trx)
  const { rows } = await prepared(sql<{ inserted: boolean; open: number }>`
    with ${EVENT_TXID},
    mine as (
      select coalesce(sum(open), 0)::int as open from forum_day_counts
      where forum_day_id = ${q.forumDayId} and organization_id = ${q.organizationId}
    ),
    question as (
      insert into questions (id, forum_day_id, organization_id, asked_by, asker_name, title, body, theme, state, submitted_at, updated_at)
      select ${q.id}, ${q.forumDayId}, ${q.organizationId}, ${q.askedBy}, ${q.askerName}, ${q.title}, ${q.body}, ${q.theme}, 'submitted', ${q.submittedAt}, ${q.updatedAt}
      from mine where ${args.cap}::int is null or mine.open < ${args.cap}::int
      returning id
    ),
    message as (
      insert into question_messages (question_id, kind, author_id, author_name, author_role, body, created_at)
      select id, 'question', ${q.askedBy}, ${q.askerName}, ${args.actorRole}, ${q.body}, ${q.submittedAt} from question
    ),
    transition as (
      insert into question_transitions (question_id, action, from_state, to_state, actor_id, actor_role, note, at)
      select id, 'submitted', null, 'submitted', ${q.askedBy}, ${args.actorRole}, null, ${q.submittedAt} from question
    ),
    response as (
      update idempotency_keys set status = 201, response = ${JSON.stringify(args.response)}::jsonb, resource_id = question.id
      from question where user_id = ${q.askedBy} and key = ${args.key}
    ),
    day as (
      select coalesce(sum(questions), 0)::int as questions, coalesce(sum(answered), 0)::int as answered, coalesce(sum(open), 0)::int as day_open
      from forum_day_counts where forum_day_id = ${q.forumDayId}
    ),
    submitted_event as (${insertEvent(args.submitted, sql`question`)}),
    -- Drawn from the submitted event's row: its position comes after that event's.
    counters_event as (${insertEvent(counters, sql`submitted_event cross join day`)})
    select exists (select 1 from question) as inserted, mine.open${wakeUp.notify(sql`submitted_event`)} from mine
  `).execute(trx)
  const r = rows[0]
  if (!r) throw new Error('submission returned no row')
  if (r.inserted) wakeUp.appended()
  return { inserted: r.inserted, open: r.open }
}

/** What an earlier request stored under an Idempotency-Key (read after its transaction committed). */
export async function storedIdempotencyKey(trx: Kysely<Database>, userId: string, key: string) {
  return trx.selectFrom('idempotencyKeys').select(['fingerprint', 'status', 'response']).where('userId', '=', userId).where('key', '=', key).executeTakeFirstOrThrow()
}

export interface NextClaim {
  expertId: string
  expertName: string
  actorRole: string
  now: Date
  leaseExpiresAt: Date
}

/**
 * Claim-next in one statement, outside any explicit transaction (a statement is atomic), for
 * every expert of `claims` asking with the same filter: the oldest waiting questions matching
 * it, locked with SKIP LOCKED (concurrent experts take the next ones instead of queueing behind
 * each other), one to each expert in the order given, claimed, each with its transition and its
 * question.claimed event (question-events.ts), so a claim costs a share of one round trip.
 * Served by the partial indexes of waiting questions by day (and theme) and submission time.
 * Returns, per claim in order, the question it got, or undefined when no waiting question was
 * left free for it.
 */
export async function claimNextWaiting(
  db: Kysely<Database>,
  filter: { forumDayId?: string; theme?: string },
  claims: readonly NextClaim[],
): Promise<Array<QuestionRow | undefined>> {
  const conditions = [
    sql`state = 'submitted'`,
    ...(filter.forumDayId ? [sql`forum_day_id = ${filter.forumDayId}`] : []),
    ...(filter.theme ? [sql`theme = ${filter.theme}`] : []),
  ]
  const column = <T>(pick: (c: NextClaim) => T) => claims.map(pick)
  const wakeUp = eventWakeUp(db)
  const { rows } = await prepared(sql<QuestionRow & { n: number }>`
    with ${EVENT_TXID},
    expert as (
      select * from unnest(${column((c) => c.expertId)}::uuid[], ${column((c) => c.expertName)}::text[], ${column((c) => c.actorRole)}::text[],
        ${column((c) => c.now)}::timestamptz[], ${column((c) => c.leaseExpiresAt)}::timestamptz[],
        -- The event's timestamps as JavaScript writes them (question-events.ts).
        ${column((c) => c.now.toISOString())}::text[], ${column((c) => c.leaseExpiresAt.toISOString())}::text[])
        with ordinality as e(expert_id, expert_name, actor_role, claimed_at, lease_expires_at, at_text, lease_text, n)
    ),
    next as (
      select id, submitted_at from questions where ${sql.join(conditions, sql` and `)}
      order by submitted_at, id limit ${claims.length}::int
      for update skip locked
    ),
    numbered as (
      select id, row_number() over (order by submitted_at, id) as n from next
    ),
    claimed as (
      update questions q
      set state = 'claimed', claimed_by = e.expert_id, claimed_by_name = e.expert_name, claimed_at = e.claimed_at,
        lease_expires_at = e.lease_expires_at, updated_at = e.claimed_at, version = q.version + 1
      from numbered join expert e using (n)
      where q.id = numbered.id
      returning q.*, e.n, e.actor_role, e.at_text, e.lease_text
    ),
    transition as (
      insert into question_transitions (question_id, action, from_state, to_state, actor_id, actor_role, note, at)
      select id, 'claimed', 'submitted', 'claimed', claimed_by, actor_role, null, claimed_at from claimed order by n
    ),
    claim_event as (${insertEvent(claimedEventInStatement(), sql`(select * from claimed order by n) as claimed`)})
    select ${QUESTION_SQL_COLUMNS}, n::int as n${wakeUp.notify(sql`claim_event`)} from claimed
  `).execute(db)
  if (rows.length) wakeUp.appended()
  const byClaim = new Map(rows.map(({ n, ...row }) => [n, row]))
  return claims.map((_, i) => byClaim.get(i + 1))
}
