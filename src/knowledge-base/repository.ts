import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely'
import type { Database } from '../db/database.js'
import { prepared } from '../db/prepared-statements.js'
import type { FaqsTable } from './tables.js'

export type FaqRow = Selectable<FaqsTable>
export type NewFaqRow = Insertable<FaqsTable>
export type FaqPatch = Updateable<FaqsTable>

const FAQ_COLUMNS = [
  'id',
  'slug',
  'title',
  'question',
  'answer',
  'theme',
  'tags',
  'legalReferences',
  'lawKeys',
  'scopeRegion',
  'visibility',
  'originDescription',
  'sourceQuestionId',
  'forumDayId',
  'state',
  'publishedAt',
  'updatedAt',
  'answeredOn',
  'reviewBy',
  'reviewFlaggedAt',
  'reviewReason',
  'duplicateCount',
  'version',
  'publishedBy',
  'updatedBy',
] as const

export async function insertFaq(db: Kysely<Database>, row: NewFaqRow): Promise<FaqRow> {
  return db.insertInto('faqs').values(row).returning(FAQ_COLUMNS).executeTakeFirstOrThrow()
}

export async function findFaqById(db: Kysely<Database>, id: string): Promise<FaqRow | undefined> {
  return db.selectFrom('faqs').select(FAQ_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function findFaqBySlug(db: Kysely<Database>, slug: string): Promise<FaqRow | undefined> {
  return db.selectFrom('faqs').select(FAQ_COLUMNS).where('slug', '=', slug).executeTakeFirst()
}

/** Of these questions, those already made into an FAQ, with the FAQ's slug. */
export async function slugsOfSourceQuestions(db: Kysely<Database>, questionIds: string[]): Promise<Map<string, string>> {
  if (questionIds.length === 0) return new Map()
  const rows = await db.selectFrom('faqs').select(['sourceQuestionId', 'slug']).where('sourceQuestionId', 'in', questionIds).execute()
  return new Map(rows.map((r) => [r.sourceQuestionId as string, r.slug]))
}

/** The current slug of an FAQ that used to have `oldSlug`. */
export async function findRedirect(db: Kysely<Database>, oldSlug: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('faqSlugRedirects')
    .innerJoin('faqs', 'faqs.id', 'faqSlugRedirects.faqId')
    .select('faqs.slug')
    .where('faqSlugRedirects.oldSlug', '=', oldSlug)
    .executeTakeFirst()
  return row?.slug
}

export async function findFaqBySourceQuestion(db: Kysely<Database>, questionId: string): Promise<FaqRow | undefined> {
  return db.selectFrom('faqs').select(FAQ_COLUMNS).where('sourceQuestionId', '=', questionId).executeTakeFirst()
}

export async function findFaqsByIds(db: Kysely<Database>, ids: string[]): Promise<FaqRow[]> {
  if (ids.length === 0) return []
  return db.selectFrom('faqs').select(FAQ_COLUMNS).where('id', 'in', ids).execute()
}

/** What a search hit shows of an FAQ, and what deciding who may see it needs: no texts. */
export type FaqHitRow = Pick<FaqRow, 'id' | 'slug' | 'title' | 'theme' | 'tags' | 'publishedAt' | 'visibility' | 'state'>

/** The rows behind a page of search hits (a search reads ten FAQs; their answers would be most of the bytes). */
export async function findFaqHitsByIds(db: Kysely<Database>, ids: string[]): Promise<FaqHitRow[]> {
  if (ids.length === 0) return []
  // Prepared, with the ids as one array (one statement text whatever their number): every
  // search runs it, cached answers included.
  const { rows } = await prepared(sql<FaqHitRow>`
    select id, slug, title, theme, tags, published_at, visibility, state from faqs where id = any(${ids}::uuid[])
  `).execute(db)
  return rows
}

/** Slugs already taken that start with `base` (to pick the next free `base-2`, `base-3`...). */
export async function slugsStartingWith(db: Kysely<Database>, base: string): Promise<string[]> {
  const rows = await db
    .selectFrom('faqs')
    .select('slug')
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
    .execute()
  return rows.map((r) => r.slug)
}

/** Applies the patch only if the FAQ is still at `expectedVersion`; undefined when it moved on. */
export async function updateFaqIfVersion(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  patch: FaqPatch,
): Promise<FaqRow | undefined> {
  return db
    .updateTable('faqs')
    .set({ ...patch, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning(FAQ_COLUMNS)
    .executeTakeFirst()
}

export async function insertRevision(
  db: Kysely<Database>,
  faq: FaqRow,
  editedBy: string,
  editedAt: Date,
  note: string | null,
): Promise<void> {
  const { id, version, ...content } = faq
  await db
    .insertInto('faqRevisions')
    .values({ faqId: id, version, snapshot: JSON.stringify(content), editedBy, editedAt, note })
    .execute()
}

export async function listRevisions(db: Kysely<Database>, faqId: string) {
  return db
    .selectFrom('faqRevisions')
    .select(['version', 'snapshot', 'editedBy', 'editedAt', 'note'])
    .where('faqId', '=', faqId)
    .orderBy('version', 'desc')
    .execute()
}

export async function incrementDuplicateCount(db: Kysely<Database>, faqId: string): Promise<void> {
  await db
    .updateTable('faqs')
    .set({ duplicateCount: sql<number>`duplicate_count + 1` })
    .where('id', '=', faqId)
    .execute()
}

export async function insertAmendment(
  db: Kysely<Database>,
  row: { lawKey: string; amendedOn: string; note: string; recordedBy: string; recordedAt: Date },
): Promise<string> {
  const { id } = await db.insertInto('actAmendments').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}

/** Flags for review every published FAQ citing the act whose answer predates the amendment. */
export async function flagFaqsCiting(
  db: Kysely<Database>,
  lawKey: string,
  amendedOn: string,
  at: Date,
  reason: string,
): Promise<string[]> {
  const rows = await db
    .updateTable('faqs')
    .set({ reviewFlaggedAt: at, reviewReason: reason })
    .where(sql<boolean>`law_keys @> array[${lawKey}]::text[]`)
    .where('answeredOn', '<=', amendedOn)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** FAQs a moderator should look at: flagged by an amendment, or past their review-by date. */
export async function listReviewQueue(db: Kysely<Database>, today: string): Promise<FaqRow[]> {
  return db
    .selectFrom('faqs')
    .select(FAQ_COLUMNS)
    .where('state', '=', 'published')
    .where((eb) => eb.or([eb('reviewFlaggedAt', 'is not', null), eb('reviewBy', '<=', today)]))
    .orderBy('reviewFlaggedAt', 'asc')
    .orderBy('reviewBy', 'asc')
    .execute()
}

/** Newest first; for the Atom feed and the open-data export. */
export async function listPublishedPublic(db: Kysely<Database>, limit?: number): Promise<FaqRow[]> {
  let query = db
    .selectFrom('faqs')
    .select(FAQ_COLUMNS)
    .where('state', '=', 'published')
    .where('visibility', '=', 'public')
    .orderBy('publishedAt', 'desc')
    .orderBy('id')
  if (limit !== undefined) query = query.limit(limit)
  return query.execute()
}

/** Slug and last change of every public FAQ, newest change first (the sitemap). */
export async function listPublicSlugs(db: Kysely<Database>): Promise<Array<{ slug: string; updatedAt: Date }>> {
  return db
    .selectFrom('faqs')
    .select(['slug', 'updatedAt'])
    .where('state', '=', 'published')
    .where('visibility', '=', 'public')
    .orderBy('updatedAt', 'desc')
    .orderBy('slug')
    .execute()
}

/** Every published FAQ's id, for a full reindex. */
export async function listPublishedFaqIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('faqs').select('id').where('state', '=', 'published').orderBy('id').execute()
  return rows.map((r) => r.id)
}

// ---- search outbox ----

/** Due at once by the application's clock (not the database's, which tests cannot move). */
export async function enqueueIndexing(db: Kysely<Database>, faqIds: string[], now: Date): Promise<void> {
  if (faqIds.length === 0) return
  await db
    .insertInto('searchOutbox')
    .values(faqIds.map((faqId) => ({ faqId, enqueuedAt: now, nextAttemptAt: now, lastError: null, processedAt: null })))
    .execute()
}

export async function markOutboxProcessed(db: Kysely<Database>, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return
  await db.updateTable('searchOutbox').set({ processedAt: at, lastError: null }).where('id', 'in', ids).execute()
}

export async function markOutboxFailed(
  db: Kysely<Database>,
  ids: number[],
  error: string,
  nextAttemptAt: Date,
): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('searchOutbox')
    .set({ attempts: sql<number>`attempts + 1`, lastError: error.slice(0, 2000), nextAttemptAt })
    .where('id', 'in', ids)
    .execute()
}

export async function outboxBacklog(db: Kysely<Database>) {
  return db
    .selectFrom('searchOutbox')
    .select([
      sql<number>`count(*)::int`.as('pending'),
      sql<number>`coalesce(max(attempts), 0)::int`.as('maxAttempts'),
      sql<string | null>`(array_agg(last_error order by id desc) filter (where last_error is not null))[1]`.as('lastError'),
    ])
    .where('processedAt', 'is', null)
    .executeTakeFirstOrThrow()
}

/** Processed entries are only history; keep the table small. */
export async function pruneProcessedOutbox(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom('searchOutbox').where('processedAt', '<', before).execute()
}

// ---- search analytics ----

export interface QueryStat {
  weekStart: string
  query: string
  searches: number
  zeroResultSearches: number
}

/** Per week since `fromWeek`: the `perWeek` most frequent queries, and the most frequent that found nothing. */
export async function weeklyQueryStats(
  db: Kysely<Database>,
  fromWeek: string,
  perWeek: number,
): Promise<{ frequent: QueryStat[]; zeroResults: QueryStat[] }> {
  const ranked = (orderColumn: 'searches' | 'zero_result_searches') => sql<QueryStat>`
    select week_start, query, searches, zero_result_searches from (
      select s.*, row_number() over (partition by week_start order by ${sql.ref(orderColumn)} desc, query) as rank
      from search_query_stats s
      where week_start >= ${fromWeek} and ${sql.ref(orderColumn)} > 0
    ) ranked
    where rank <= ${perWeek}
    order by week_start desc, ${sql.ref(orderColumn)} desc, query
  `
  const [frequent, zeroResults] = await Promise.all([
    ranked('searches').execute(db),
    ranked('zero_result_searches').execute(db),
  ])
  return { frequent: frequent.rows, zeroResults: zeroResults.rows }
}
