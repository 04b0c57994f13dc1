import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely'
import type { Database } from '../db/database.js'
import type { MessageKind, QuestionsTable, QuestionState } from './tables.js'
import { OPEN_STATES, QUEUE_STATES } from './lifecycle.js'

export type QuestionRow = Selectable<QuestionsTable>

export const QUESTION_COLUMNS = [
  'questions.id',
  'questions.forumDayId',
  'questions.organizationId',
  'questions.askedBy',
  'questions.askerName',
  'questions.title',
  'questions.body',
  'questions.theme',
  'questions.state',
  'questions.claimedBy',
  'questions.claimedByName',
  'questions.claimedAt',
  'questions.leaseExpiresAt',
  'questions.answer',
  'questions.answeredBy',
  'questions.answeredByName',
  'questions.answeredAt',
  'questions.answeredLate',
  'questions.duplicateOfFaq',
  'questions.rejectionReason',
  'questions.submittedAt',
  'questions.updatedAt',
  'questions.version',
] as const

/** Who sees which questions: moderators all, staff their organization's, experts the queue and what they handled. */
export type Visibility = { kind: 'all' } | { kind: 'organization'; organizationId: string } | { kind: 'expert'; userId: string }

export function visibleTo(visibility: Visibility) {
  return (eb: ExpressionBuilder<Database, 'questions'>): Expression<SqlBool> => {
    if (visibility.kind === 'all') return sql<SqlBool>`true`
    if (visibility.kind === 'organization') return eb('questions.organizationId', '=', visibility.organizationId)
    return eb.or([
      eb('questions.state', 'in', [...QUEUE_STATES, 'claimed']),
      eb('questions.claimedBy', '=', visibility.userId),
      eb('questions.answeredBy', '=', visibility.userId),
      eb.exists(
        eb
          .selectFrom('questionTransitions as t')
          .select('t.id')
          .whereRef('t.questionId', '=', 'questions.id')
          .where('t.actorId', '=', visibility.userId),
      ),
    ])
  }
}

export async function insertQuestion(
  db: Kysely<Database>,
  row: { forumDayId: string; organizationId: string; askedBy: string; askerName: string; title: string; body: string; theme: string; now: Date },
): Promise<QuestionRow> {
  return db
    .insertInto('questions')
    .values({
      forumDayId: row.forumDayId,
      organizationId: row.organizationId,
      askedBy: row.askedBy,
      askerName: row.askerName,
      title: row.title,
      body: row.body,
      theme: row.theme,
      state: 'submitted',
      submittedAt: row.now,
      updatedAt: row.now,
    })
    .returning(QUESTION_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findQuestion(db: Kysely<Database>, id: string, { forUpdate = false } = {}): Promise<QuestionRow | undefined> {
  let q = db.selectFrom('questions').select(QUESTION_COLUMNS).where('questions.id', '=', id)
  if (forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function isVisible(db: Kysely<Database>, id: string, visibility: Visibility): Promise<boolean> {
  const row = await db.selectFrom('questions').select('questions.id').where('questions.id', '=', id).where(visibleTo(visibility)).executeTakeFirst()
  return row !== undefined
}

export type QuestionChanges = Partial<Omit<QuestionRow, 'id' | 'version' | 'forumDayId' | 'organizationId' | 'askedBy' | 'submittedAt'>>

/** Changes a question only if it is still in the state (and version) the caller decided on. */
export async function updateQuestion(
  db: Kysely<Database>,
  id: string,
  expected: { state: QuestionState; version: number },
  changes: QuestionChanges,
): Promise<QuestionRow | undefined> {
  return db
    .updateTable('questions')
    .set({ ...changes, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('state', '=', expected.state)
    .where('version', '=', expected.version)
    .returning(QUESTION_COLUMNS)
    .executeTakeFirst()
}

export async function insertTransition(
  db: Kysely<Database>,
  row: { questionId: string; action: string; fromState: QuestionState | null; toState: QuestionState; actorId: string | null; actorRole: string | null; note: string | null; at: Date },
): Promise<void> {
  await db.insertInto('questionTransitions').values(row).execute()
}

export async function listTransitions(db: Kysely<Database>, questionId: string) {
  return db
    .selectFrom('questionTransitions')
    .select(['action', 'fromState', 'toState', 'actorId', 'actorRole', 'note', 'at'])
    .where('questionId', '=', questionId)
    .orderBy('id')
    .execute()
}

export async function insertMessage(
  db: Kysely<Database>,
  row: { questionId: string; kind: MessageKind; authorId: string | null; authorName: string; authorRole: string; body: string; createdAt: Date },
): Promise<string> {
  const { id } = await db.insertInto('questionMessages').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}

/** Who wrote the latest message of a kind (the expert behind a clarification request). */
export async function lastMessageAuthor(db: Kysely<Database>, questionId: string, kind: MessageKind) {
  return db
    .selectFrom('questionMessages')
    .select(['authorId', 'authorName'])
    .where('questionId', '=', questionId)
    .where('kind', '=', kind)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/**
 * An expert's desk: the questions with them (claimed, or waiting for a clarification they asked),
 * with the last recorded action, so those the comune just replied to can go on top.
 */
export async function desk(db: Kysely<Database>, expertId: string): Promise<Array<QuestionRow & { answerDeadline: Date; forumDayTitle: string; lastAction: string | null }>> {
  return db
    .selectFrom('questions')
    .innerJoin('forumDays', 'forumDays.id', 'questions.forumDayId')
    .select([
      ...QUESTION_COLUMNS,
      'forumDays.answerDeadline',
      'forumDays.title as forumDayTitle',
      (eb) =>
        eb
          .selectFrom('questionTransitions as t')
          .select('t.action')
          .whereRef('t.questionId', '=', 'questions.id')
          .orderBy('t.id', 'desc')
          .limit(1)
          .as('lastAction'),
    ])
    .where('questions.claimedBy', '=', expertId)
    .where('questions.state', 'in', ['claimed', 'awaiting_clarification'])
    .orderBy('questions.submittedAt')
    .execute()
}

/** The asking organization's other questions, newest first (the desk's profile of who asks). */
export async function organizationHistory(db: Kysely<Database>, organizationId: string, exceptId: string, limit: number) {
  return db
    .selectFrom('questions')
    .select(['id', 'title', 'state', 'theme', 'submittedAt', 'duplicateOfFaq'])
    .where('organizationId', '=', organizationId)
    .where('id', '!=', exceptId)
    .orderBy('submittedAt', 'desc')
    .limit(limit)
    .execute()
}

export async function updateMessageBody(db: Kysely<Database>, questionId: string, kind: MessageKind, body: string): Promise<void> {
  // The thread shows the current text of the question and of the answer.
  const latest = await db
    .selectFrom('questionMessages')
    .select('id')
    .where('questionId', '=', questionId)
    .where('kind', '=', kind)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (latest) await db.updateTable('questionMessages').set({ body }).where('id', '=', latest.id).execute()
}

export async function listMessages(db: Kysely<Database>, questionId: string) {
  return db
    .selectFrom('questionMessages')
    .select(['id', 'kind', 'authorId', 'authorName', 'authorRole', 'body', 'createdAt'])
    .where('questionId', '=', questionId)
    .orderBy('seq')
    .execute()
}

export interface QuestionMatch {
  forumDayId?: string
  theme?: string
  state?: QuestionState
  organizationId?: string
  /** The asking organization is one of these (none matches an empty list): the region filter, resolved by the comuni service. */
  organizationIds?: string[]
  /** The expert holding the claim now, or who answered (the "Esperto" a list shows). */
  expertId?: string
}

/** The questions a caller may see that match every filter; the list and its count share it. */
function matching(db: Kysely<Database>, visibility: Visibility, filter: QuestionMatch) {
  let q = db.selectFrom('questions').where(visibleTo(visibility))
  if (filter.forumDayId) q = q.where('questions.forumDayId', '=', filter.forumDayId)
  if (filter.theme) q = q.where('questions.theme', '=', filter.theme)
  if (filter.state) q = q.where('questions.state', '=', filter.state)
  if (filter.organizationId) q = q.where('questions.organizationId', '=', filter.organizationId)
  // One array parameter, however many organizations a region has; an empty one matches nothing.
  if (filter.organizationIds) q = q.where(sql<SqlBool>`questions.organization_id = any(${filter.organizationIds}::uuid[])`)
  if (filter.expertId) {
    const expertId = filter.expertId
    // claimedBy can outlive the claim (after the answer, say): only a held claim counts, as in the DTO's `claim`.
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('questions.state', 'in', ['claimed', 'awaiting_clarification']), eb('questions.claimedBy', '=', expertId)]),
        eb('questions.answeredBy', '=', expertId),
      ]),
    )
  }
  return q
}

/**
 * Every filter is applied here, inside the caller's visibility, so a page of results is a page of
 * matches: newest first, ties broken by id so offsets are stable across pages.
 */
export async function listQuestions(db: Kysely<Database>, visibility: Visibility, filter: QuestionMatch & { limit: number; offset: number }): Promise<QuestionRow[]> {
  return matching(db, visibility, filter)
    .select(QUESTION_COLUMNS)
    .orderBy('questions.submittedAt', 'desc')
    .orderBy('questions.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute()
}

export async function countQuestions(db: Kysely<Database>, visibility: Visibility, filter: QuestionMatch): Promise<number> {
  const { n } = await matching(db, visibility, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(n)
}

/** The organizations that asked something, for a filter's choices (a few hundred; served by questions_organization). */
export async function askingOrganizationIds(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('questions').select('organizationId').distinct().execute()).map((r) => r.organizationId)
}

/** The experts' queue: unclaimed (and, if asked, claimed) questions, oldest first. */
export async function queue(
  db: Kysely<Database>,
  filter: { forumDayId?: string; theme?: string; includeClaimed: boolean; limit: number },
): Promise<Array<QuestionRow & { answerDeadline: Date; forumDayTitle: string }>> {
  let q = db
    .selectFrom('questions')
    .innerJoin('forumDays', 'forumDays.id', 'questions.forumDayId')
    .select([...QUESTION_COLUMNS, 'forumDays.answerDeadline', 'forumDays.title as forumDayTitle'])
    .where('questions.state', 'in', filter.includeClaimed ? [...QUEUE_STATES, 'claimed'] : QUEUE_STATES)
  if (filter.forumDayId) q = q.where('questions.forumDayId', '=', filter.forumDayId)
  if (filter.theme) q = q.where('questions.theme', '=', filter.theme)
  return q.orderBy('questions.submittedAt').orderBy('questions.id').limit(filter.limit).execute()
}

/** The oldest claimable question, locked; rows other claimers hold are skipped, not waited for. */
export async function lockNextClaimable(db: Kysely<Database>, filter: { forumDayId?: string; theme?: string }, now: Date): Promise<QuestionRow | undefined> {
  let q = db
    .selectFrom('questions')
    .select(QUESTION_COLUMNS)
    .where((eb) => eb.or([eb('state', '=', 'submitted'), eb.and([eb('state', '=', 'claimed'), eb('leaseExpiresAt', '<=', now)])]))
  if (filter.forumDayId) q = q.where('forumDayId', '=', filter.forumDayId)
  if (filter.theme) q = q.where('theme', '=', filter.theme)
  return q.orderBy('submittedAt').orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst()
}

/** Claimed questions whose lease has run out, locked for the caller's transaction. */
export async function lockExpiredLeases(db: Kysely<Database>, now: Date, limit = 100): Promise<QuestionRow[]> {
  return db
    .selectFrom('questions')
    .select(QUESTION_COLUMNS)
    .where('state', '=', 'claimed')
    .where('leaseExpiresAt', '<=', now)
    .orderBy('leaseExpiresAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}

// ---- answer drafts ----

export async function findDraft(db: Kysely<Database>, questionId: string, expertId: string) {
  return db
    .selectFrom('answerDrafts')
    .select(['questionId', 'expertId', 'expertName', 'body', 'version', 'updatedAt'])
    .where('questionId', '=', questionId)
    .where('expertId', '=', expertId)
    .executeTakeFirst()
}

/**
 * Saves a draft only over the version the caller names: 0 creates the first one (and saves
 * nothing when one exists), n replaces version n. Undefined when the draft is not at that version.
 */
export async function saveDraft(
  db: Kysely<Database>,
  row: { questionId: string; expertId: string; expertName: string; body: string; now: Date },
  expectedVersion: number,
) {
  if (expectedVersion === 0) {
    return db
      .insertInto('answerDrafts')
      .values({ questionId: row.questionId, expertId: row.expertId, expertName: row.expertName, body: row.body, updatedAt: row.now })
      .onConflict((oc) => oc.columns(['questionId', 'expertId']).doNothing())
      .returning(['version', 'updatedAt'])
      .executeTakeFirst()
  }
  return upsertDraft(db, row, expectedVersion)
}

export async function upsertDraft(
  db: Kysely<Database>,
  row: { questionId: string; expertId: string; expertName: string; body: string; now: Date },
  expectedVersion: number | undefined,
) {
  if (expectedVersion === undefined || expectedVersion === 0) {
    return db
      .insertInto('answerDrafts')
      .values({ questionId: row.questionId, expertId: row.expertId, expertName: row.expertName, body: row.body, updatedAt: row.now })
      .onConflict((oc) =>
        oc.columns(['questionId', 'expertId']).doUpdateSet({ body: row.body, updatedAt: row.now, version: sql<number>`answer_drafts.version + 1` }),
      )
      .returning(['version', 'updatedAt'])
      .executeTakeFirstOrThrow()
  }
  return db
    .updateTable('answerDrafts')
    .set({ body: row.body, updatedAt: row.now, version: sql<number>`version + 1` })
    .where('questionId', '=', row.questionId)
    .where('expertId', '=', row.expertId)
    .where('version', '=', expectedVersion)
    .returning(['version', 'updatedAt'])
    .executeTakeFirst()
}

export async function deleteDraft(db: Kysely<Database>, questionId: string, expertId: string): Promise<void> {
  await db.deleteFrom('answerDrafts').where('questionId', '=', questionId).where('expertId', '=', expertId).execute()
}

/** Experts who saved a draft on these questions since `since` (the soft "colleague working" indicator). */
export async function recentDrafters(db: Kysely<Database>, questionIds: string[], since: Date) {
  if (questionIds.length === 0) return []
  return db
    .selectFrom('answerDrafts')
    .select(['questionId', 'expertId', 'expertName', 'updatedAt'])
    .where('questionId', 'in', questionIds)
    .where('updatedAt', '>=', since)
    .orderBy('updatedAt', 'desc')
    .execute()
}

// ---- idempotency keys ----

export async function purgeIdempotencyKeys(db: Kysely<Database>, olderThan: Date): Promise<number> {
  const result = await db.deleteFrom('idempotencyKeys').where('createdAt', '<', olderThan).executeTakeFirst()
  return Number(result.numDeletedRows)
}

// ---- similar questions ----

/**
 * Open questions resembling a draft: Italian full-text match on any of its words, plus trigram
 * similarity of titles (catches typos), restricted to what the caller may see.
 */
export async function similarOpenQuestions(db: Kysely<Database>, visibility: Visibility, text: string, words: string[], limit: number) {
  const document = sql`to_tsvector('italian', f_unaccent(questions.title || ' ' || questions.body))`
  // One plainto_tsquery per word, OR-ed: plainto never reads operators, and unaccent can turn a
  // letter into punctuation (⑴ → "(1)", ŉ → "'n") that to_tsquery would parse as syntax.
  const query =
    words.length > 0 ? sql`(${sql.join(words.map((word) => sql`plainto_tsquery('italian', f_unaccent(${word}))`), sql` || `)})` : sql`''::tsquery`
  const score = sql<number>`(ts_rank(${document}, ${query}) + similarity(lower(f_unaccent(questions.title)), lower(f_unaccent(${text}))))::float8`
  return db
    .selectFrom('questions')
    .select(['questions.id', 'questions.title', 'questions.state', 'questions.forumDayId', 'questions.theme', 'questions.submittedAt', score.as('score')])
    .where(visibleTo(visibility))
    .where('questions.state', 'in', [...OPEN_STATES, 'answered'])
    .where((eb) =>
      eb.or([
        eb(sql<boolean>`${document} @@ ${query}`, '=', true),
        eb(sql<number>`similarity(lower(f_unaccent(questions.title)), lower(f_unaccent(${text})))`, '>', 0.3),
      ]),
    )
    .orderBy('score', 'desc')
    .limit(limit)
    .execute()
}

/**
 * Questions per day, not counting withdrawn ones; "answered" includes closed; "open" the states
 * still waiting for an answer. Read from the figures the trigger on questions keeps per day and
 * organization (migration 2026-12-01T1200), so the cost follows the organizations that asked,
 * not every question of the day.
 */
export async function countsByDay(db: Kysely<Database>, dayIds: string[]): Promise<Map<string, { questions: number; answered: number; open: number }>> {
  const result = new Map<string, { questions: number; answered: number; open: number }>()
  if (dayIds.length === 0) return result
  // forum_day_counts is written only by its trigger: not part of the Kysely schema.
  const { rows } = await sql<{ forumDayId: string; questions: number; answered: number; open: number }>`
    select forum_day_id, sum(questions)::int as questions, sum(answered)::int as answered, sum(open)::int as open
    from forum_day_counts where forum_day_id in (${sql.join(dayIds)}) group by forum_day_id
  `.execute(db)
  for (const r of rows) result.set(r.forumDayId, { questions: r.questions, answered: r.answered, open: r.open })
  return result
}

/** Deletes a day's questions (cascading to messages, transitions, drafts) and their idempotency records; returns how many questions. */
export async function deleteDayQuestions(db: Kysely<Database>, dayId: string): Promise<number> {
  const ids = (await db.selectFrom('questions').select('id').where('forumDayId', '=', dayId).execute()).map((r) => r.id)
  if (ids.length > 0) await db.deleteFrom('idempotencyKeys').where('resourceId', 'in', ids).execute()
  const deleted = await db.deleteFrom('questions').where('forumDayId', '=', dayId).executeTakeFirst()
  return Number(deleted.numDeletedRows)
}
