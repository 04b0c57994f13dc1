import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { prepared } from '../db/prepared-statements.js'
import { EVENT_TXID, eventWakeUp, insertEvent, insertEventRows, type EventInStatement, type NewEvent } from '../events/event-log.js'
import type { DayCountsInStatement } from '../forum-days/service.js'
import type { QuestionRow } from './repository.js'
import { submissionContextOf, type SubmissionContext, type SubmissionContextRow } from './statements.js'

/**
 * The two statements of submission (statements.ts) for the submissions of many requests at once,
 * in one transaction: one round trip, one plan and one commit for the lot instead of for each.
 * Each request's values travel as arrays (unnest), so the text, and the prepared statement, is
 * the same whatever the batch holds. The rules are those of the single statements, applied per
 * request: the Idempotency-Key first, the cap counted under its lock, the events in order.
 *
 * Locks are taken in one order by every batch, so two batches (of two instances, say) wait for
 * each other rather than deadlock: Idempotency-Keys by (user, key), the cap locks by their hash,
 * and the counters rows (the trigger's) by (day, organization), the questions' insertion order.
 */

export interface BatchRequest {
  userId: string
  key: string
  fingerprint: string
  now: Date
  forumDayId: string
  organizationId: string
}

/** submissionContext of every request, in the order given. */
export async function batchSubmissionContext(trx: Kysely<Database>, requests: readonly BatchRequest[]): Promise<SubmissionContext[]> {
  const column = <K extends keyof BatchRequest>(k: K) => requests.map((r) => r[k])
  const { rows } = await prepared(sql<SubmissionContextRow>`
    with input as (
      select * from unnest(${column('userId')}::uuid[], ${column('key')}::text[], ${column('fingerprint')}::text[], ${column('now')}::timestamptz[],
        ${column('forumDayId')}::uuid[], ${column('organizationId')}::uuid[])
        with ordinality as i(user_id, key, fingerprint, created_at, forum_day_id, organization_id, n)
    ),
    key as (
      insert into idempotency_keys (user_id, key, fingerprint, created_at)
      select user_id, key, fingerprint, created_at from input order by user_id, key
      on conflict (user_id, key) do nothing
      returning user_id, key
    ),
    day as (
      select d.id, d.edition_id, d.themes, d.opens_at, d.closes_at, d.cancelled_at, d.max_open_questions_per_organization, d.rehearsal,
        e.name as edition_name, e.registry_date as edition_registry_date
      from forum_days d join programme_editions e on e.id = d.edition_id
      where d.id in (select forum_day_id from input)
    ),
    decision as (
      select day.id as forum_day_id, ed.organization_id, ed.eligible, ed.reason, ed.detail, ed.registry_date
      from eligibility_decisions ed join day on ed.edition_id = day.edition_id
      where ed.organization_id in (select organization_id from input)
    ),
    lock as (
      select pg_advisory_xact_lock(l.lock_key) from (
        select distinct hashtext('questions:' || i.forum_day_id || ':' || i.organization_id) as lock_key
        from input i join day on day.id = i.forum_day_id
        where day.max_open_questions_per_organization is not null
          and exists (select 1 from key where key.user_id = i.user_id and key.key = i.key)
        order by lock_key
      ) l
    )
    select key.user_id is not null as fresh,
      day.id as day_id, day.edition_id, day.themes, day.opens_at, day.closes_at, day.cancelled_at, day.max_open_questions_per_organization,
      day.rehearsal, day.edition_name, day.edition_registry_date,
      decision.eligible as decision_eligible, decision.reason as decision_reason, decision.detail as decision_detail,
      decision.registry_date as decision_registry_date,
      (select count(*) from lock)::int as locked
    from input
      left join key on key.user_id = input.user_id and key.key = input.key
      left join day on day.id = input.forum_day_id
      left join decision on decision.forum_day_id = input.forum_day_id and decision.organization_id = input.organization_id
    order by input.n
  `).execute(trx)
  if (rows.length !== requests.length) throw new Error(`batch submission context returned ${rows.length} rows for ${requests.length} requests`)
  return rows.map(submissionContextOf)
}

export interface BatchQuestion {
  q: QuestionRow
  cap: number | null
  actorRole: string
  key: string
  response: Record<string, unknown>
  submitted: NewEvent
}

/**
 * insertSubmission for many questions, after batchSubmissionContext: each question checked
 * against its organization's cap (counting the batch's earlier questions of the same
 * organization and day), inserted with its message, transition, stored response and event, then
 * one counters event per day that gained questions. The Idempotency-Keys in `released` (requests
 * the batch turned down or left to the single path) and those of questions over the cap are
 * deleted, as a rolled-back transaction would have left them. Returns, per question in order,
 * whether it was inserted and its organization's open questions before it.
 */
export async function insertSubmissions(
  trx: Kysely<Database>,
  questions: readonly BatchQuestion[],
  released: ReadonlyArray<{ userId: string; key: string }>,
  counters: (forumDayId: string, counts: DayCountsInStatement) => EventInStatement,
): Promise<Array<{ inserted: boolean; open: number }>> {
  const column = <T>(pick: (b: BatchQuestion) => T) => questions.map(pick)
  const days = [...new Set(questions.map((b) => b.q.forumDayId))].sort()
  // One counters event per day, after every question event: each reads the day's counts (the
  // snapshot precedes this statement's inserts) plus the questions it added.
  const countersEvents = days.map((dayId, i) => {
    const name = sql.raw(`counters_${i}`)
    return sql`${name} as (${insertEvent(
      counters(dayId, { questions: sql`day.questions + day.added`, answered: sql`day.answered`, open: sql`day.day_open + day.added` }),
      sql`(
        select c.questions, c.answered, c.day_open, a.added
        from (select count(*)::int as added from question where question.forum_day_id = ${dayId}::uuid) as a
          -- Read after every question event is written: this event's position comes after theirs.
          cross join (select count(*) from submitted_event) as after_question_events
          cross join (
            select coalesce(sum(questions), 0)::int as questions, coalesce(sum(answered), 0)::int as answered, coalesce(sum(open), 0)::int as day_open
            from forum_day_counts where forum_day_id = ${dayId}::uuid
          ) as c
        where a.added > 0
      ) as day`,
    )})`
  })
  const wakeUp = eventWakeUp(trx)
  const { rows } = await prepared(sql<{ inserted: boolean; open: number }>`
    with ${EVENT_TXID},
    input as (
      select * from unnest(
        ${column((b) => b.q.id)}::uuid[], ${column((b) => b.q.forumDayId)}::uuid[], ${column((b) => b.q.organizationId)}::uuid[],
        ${column((b) => b.q.askedBy)}::uuid[], ${column((b) => b.q.askerName)}::text[], ${column((b) => b.q.title)}::text[],
        ${column((b) => b.q.body)}::text[], ${column((b) => b.q.theme)}::text[], ${column((b) => b.q.submittedAt)}::timestamptz[],
        ${column((b) => b.cap)}::int[], ${column((b) => b.actorRole)}::text[], ${column((b) => b.key)}::text[],
        ${column((b) => JSON.stringify(b.response))}::jsonb[], ${column((b) => JSON.stringify(b.submitted.payload))}::jsonb[],
        ${column((b) => JSON.stringify(b.submitted.channels))}::jsonb[], ${column((b) => JSON.stringify(b.submitted.audience))}::jsonb[]
      ) with ordinality as i(id, forum_day_id, organization_id, asked_by, asker_name, title, body, theme, submitted_at,
        cap, actor_role, key, response, event_payload, event_channels, event_audience, n)
    ),
    mine as (
      select c.forum_day_id, c.organization_id, sum(c.open)::int as open from forum_day_counts c
      where (c.forum_day_id, c.organization_id) in (select forum_day_id, organization_id from input)
      group by c.forum_day_id, c.organization_id
    ),
    ranked as (
      select input.*, coalesce(mine.open, 0) + (row_number() over (partition by input.forum_day_id, input.organization_id order by input.n))::int - 1 as open_before
      from input left join mine on mine.forum_day_id = input.forum_day_id and mine.organization_id = input.organization_id
    ),
    decided as (
      select ranked.*, (ranked.cap is null or ranked.open_before < ranked.cap) as accepted from ranked
    ),
    question as (
      insert into questions (id, forum_day_id, organization_id, asked_by, asker_name, title, body, theme, state, submitted_at, updated_at)
      select id, forum_day_id, organization_id, asked_by, asker_name, title, body, theme, 'submitted', submitted_at, submitted_at
      from decided where accepted
      order by forum_day_id, organization_id, n
      returning id, forum_day_id
    ),
    message as (
      insert into question_messages (question_id, kind, author_id, author_name, author_role, body, created_at)
      select d.id, 'question', d.asked_by, d.asker_name, d.actor_role, d.body, d.submitted_at from decided d join question using (id)
    ),
    transition as (
      insert into question_transitions (question_id, action, from_state, to_state, actor_id, actor_role, note, at)
      select d.id, 'submitted', null, 'submitted', d.asked_by, d.actor_role, null, d.submitted_at from decided d join question using (id)
    ),
    response as (
      update idempotency_keys k set status = 201, response = d.response, resource_id = d.id
      from decided d join question using (id) where k.user_id = d.asked_by and k.key = d.key
    ),
    released as (
      delete from idempotency_keys k
      using (
        select * from unnest(${released.map((r) => r.userId)}::uuid[], ${released.map((r) => r.key)}::text[]) as r(user_id, key)
        union all
        select asked_by, key from decided where not accepted
      ) r
      where k.user_id = r.user_id and k.key = r.key
    ),
    submitted_event as (
      ${insertEventRows(sql`(
        select 'question.submitted' as type, d.event_payload as payload, d.event_channels as channels, d.event_audience as audience, d.n
        from decided d join question using (id)
      )`)}
    )${countersEvents.length ? sql`, ${sql.join(countersEvents, sql`, `)}` : sql``}
    select accepted as inserted, open_before as open${wakeUp.notify(sql`submitted_event`)} from decided order by n
  `).execute(trx)
  if (rows.length !== questions.length) throw new Error(`batch submission returned ${rows.length} rows for ${questions.length} questions`)
  if (rows.some((r) => r.inserted)) wakeUp.appended()
  return rows
}
