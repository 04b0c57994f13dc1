import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'

/**
 * The report queries. The reports are a read model over the other modules' tables: they read
 * questions, forum days, organizations and FAQs, and write nothing but the FAQ read counter they
 * own (faq_views_daily). Every query is scoped by a forum day or an edition through an index:
 * questions by day, forum_day_counts by day (per-organization day counters, kept by the trigger on questions),
 * and those of migration 2026-12-01T1800_reports (FAQs by forum day, forum days by edition,
 * readings by day). No index was added to questions: its writes are the forum-day peak's hot path.
 */

type Db = Kysely<Database>

/** An organization's region and province (an Unione's are its members') and population band. */
const ORGANIZATION_PLACE = sql`
  coalesce(o.region, (select min(c.region) from organization_members m join organizations c on c.id = m.comune_id where m.unione_id = o.id)) as region,
  coalesce(o.province, (select min(c.province) from organization_members m join organizations c on c.id = m.comune_id where m.unione_id = o.id)) as province,
  case
    when o.kind = 'unione' then 'unione'
    when o.population is null then 'non-nota'
    when o.population <= 1000 then 'fino-1000'
    when o.population <= 5000 then '1001-5000'
    when o.population <= 15000 then '5001-15000'
    when o.population <= 50000 then '15001-50000'
    when o.population <= 150000 then '50001-150000'
    else 'oltre-150000'
  end as band`

// ---- index ----

export interface DayListRow {
  id: string
  editionId: string
  title: string
  opensAt: Date
  closesAt: Date
  rehearsal: boolean
  cancelledAt: Date | null
}

export async function listEditionsAndDays(db: Db) {
  const [editions, days] = await Promise.all([
    db.selectFrom('programmeEditions').select(['id', 'programme', 'name', 'createdAt']).orderBy('createdAt', 'desc').execute(),
    db.selectFrom('forumDays').select(['id', 'editionId', 'title', 'opensAt', 'closesAt', 'rehearsal', 'cancelledAt']).orderBy('opensAt', 'desc').execute(),
  ])
  return { editions, days: days as DayListRow[] }
}

// ---- a forum day ----

export async function findDay(db: Db, id: string) {
  return db
    .selectFrom('forumDays as d')
    .innerJoin('programmeEditions as e', 'e.id', 'd.editionId')
    .select(['d.id', 'd.editionId', 'e.name as editionName', 'e.themes', 'd.title', 'd.opensAt', 'd.closesAt', 'd.answerDeadline', 'd.rehearsal', 'd.cancelledAt'])
    .where('d.id', '=', id)
    .executeTakeFirst()
}

export interface DayQuestionRow {
  organizationId: string
  theme: string
  state: string
  submittedAt: Date
  answeredAt: Date | null
  answeredByName: string | null
  /** The first claim (a question can be claimed again after a lease expires or a clarification). */
  claimedAt: Date | null
  clarificationRequests: number
  replies: number
}

/**
 * The day's questions with what the report needs of each, in one statement: their first claim
 * and their clarification messages are aggregated for the day's questions only and joined by
 * hash (5,000 correlated lookups per question cost twice as much, and pushed the plan past the
 * JIT threshold). The figures are then counted in memory (day-figures.ts): a day holds thousands
 * of questions, not millions.
 */
export async function dayQuestions(db: Db, dayId: string): Promise<DayQuestionRow[]> {
  const { rows } = await sql<DayQuestionRow>`
    with q as materialized (
      select id, organization_id, theme, state, submitted_at, answered_at, answered_by_name from questions where forum_day_id = ${dayId}
    ), claims as (
      select question_id, min(at) as claimed_at from question_transitions
      where question_id in (select id from q) and action = 'claimed' group by question_id
    ), messages as (
      select question_id, count(*) filter (where kind = 'clarification_request') as requests, count(*) filter (where kind = 'reply') as replies
      from question_messages where question_id in (select id from q) and kind in ('clarification_request', 'reply') group by question_id
    )
    select q.organization_id, q.theme, q.state, q.submitted_at, q.answered_at, q.answered_by_name, c.claimed_at,
      coalesce(m.requests, 0)::int as clarification_requests, coalesce(m.replies, 0)::int as replies
    from q left join claims c on c.question_id = q.id left join messages m on m.question_id = q.id
  `.execute(db)
  return rows
}

/** Region, province and band of the organizations that asked on the day (forum_day_counts, on its primary key). */
export async function dayOrganizationPlaces(db: Db, dayId: string): Promise<Array<{ id: string; region: string | null; province: string | null; band: string }>> {
  const { rows } = await sql<{ id: string; region: string | null; province: string | null; band: string }>`
    select o.id, ${ORGANIZATION_PLACE} from organizations o
    where o.id in (select organization_id from forum_day_counts where forum_day_id = ${dayId})
  `.execute(db)
  return rows
}

export async function dayFaqs(db: Db, dayId: string) {
  return db
    .selectFrom('faqs')
    .select(['slug', 'title', 'publishedAt'])
    .where('forumDayId', '=', dayId)
    .where('state', '=', 'published')
    .orderBy('publishedAt')
    .execute()
}

// ---- an edition ----

export async function findEdition(db: Db, id: string) {
  return db.selectFrom('programmeEditions').select(['id', 'programme', 'name', 'themes', 'eligibility', 'registryDate']).where('id', '=', id).executeTakeFirst()
}

export async function editionDays(db: Db, editionId: string) {
  return db
    .selectFrom('forumDays')
    .select(['id', 'title', 'opensAt', 'closesAt', 'rehearsal', 'cancelledAt'])
    .where('editionId', '=', editionId)
    .orderBy('opensAt')
    .execute()
}

export interface OrganizationPlace {
  id: string
  kind: 'comune' | 'unione'
  name: string
  population: number | null
  region: string | null
  province: string | null
  band: string
}

/** Every organization with its place and band (eligibility is judged on these, in the service). */
export async function organizationPlaces(db: Db): Promise<OrganizationPlace[]> {
  const { rows } = await sql<OrganizationPlace>`select o.id, o.kind, o.name, o.population, ${ORGANIZATION_PLACE} from organizations o`.execute(db)
  return rows
}

export async function enrolledOrganizations(db: Db, editionId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('editionEnrollments').select('organizationId').where('editionId', '=', editionId).execute()
  return new Set(rows.map((r) => r.organizationId))
}

/**
 * The organizations that asked at least one question on these forum days: the rows of
 * forum_day_counts (one per day and organization that asked, kept by the trigger on
 * questions; a row stays when its questions are withdrawn), read on its primary key.
 */
export async function organizationsThatAsked(db: Db, dayIds: string[]): Promise<string[]> {
  if (dayIds.length === 0) return []
  const { rows } = await sql<{ organizationId: string }>`
    select distinct organization_id from forum_day_counts where forum_day_id = any(${dayIds}::uuid[])
  `.execute(db)
  return rows.map((r) => r.organizationId)
}

/** Per day: questions (withdrawn ones left out, as the forum days' own counters) and organizations that asked. */
export async function participationPerDay(db: Db, dayIds: string[]): Promise<Array<{ forumDayId: string; questions: number; organizations: number }>> {
  if (dayIds.length === 0) return []
  const { rows } = await sql<{ forumDayId: string; questions: number; organizations: number }>`
    select forum_day_id, sum(questions)::int as questions, count(*)::int as organizations
    from forum_day_counts where forum_day_id = any(${dayIds}::uuid[]) group by forum_day_id
  `.execute(db)
  return rows
}

export async function themesAsked(db: Db, dayIds: string[]): Promise<Array<{ theme: string; questions: number }>> {
  if (dayIds.length === 0) return []
  const { rows } = await sql<{ theme: string; questions: number }>`
    select theme, count(*)::int as questions from questions where forum_day_id = any(${dayIds}::uuid[]) and state <> 'withdrawn'
    group by theme order by questions desc, theme
  `.execute(db)
  return rows
}

/** FAQs published per Rome month, and how many of them came from these forum days. */
export async function faqsPerMonth(db: Db, dayIds: string[]): Promise<Array<{ month: string; published: number; fromDays: number }>> {
  const { rows } = await sql<{ month: string; published: number; fromDays: number }>`
    select to_char(published_at at time zone 'Europe/Rome', 'YYYY-MM') as month, count(*)::int as published,
      count(*) filter (where forum_day_id = any(${dayIds}::uuid[]))::int as from_days
    from faqs where state = 'published' group by 1 order by 1
  `.execute(db)
  return rows
}

// ---- the knowledge base ----

export async function topQueries(db: Db, fromWeek: string, column: 'searches' | 'zero_result_searches', limit: number): Promise<Array<{ query: string; searches: number }>> {
  const { rows } = await sql<{ query: string; searches: number }>`
    select query, sum(${sql.ref(column)})::int as searches from search_query_stats
    where week_start >= ${fromWeek} group by query having sum(${sql.ref(column)}) > 0
    order by searches desc, query limit ${limit}
  `.execute(db)
  return rows
}

export async function searchTotals(db: Db, fromWeek: string): Promise<{ searches: number; zeroResultSearches: number }> {
  const { rows } = await sql<{ searches: number; zeroResultSearches: number }>`
    select coalesce(sum(searches), 0)::int as searches, coalesce(sum(zero_result_searches), 0)::int as zero_result_searches
    from search_query_stats where week_start >= ${fromWeek}
  `.execute(db)
  return rows[0]!
}

export async function mostReadFaqs(db: Db, fromDay: string, limit: number): Promise<Array<{ slug: string; title: string; views: number }>> {
  const { rows } = await sql<{ slug: string; title: string; views: number }>`
    select f.slug, f.title, v.views from (
      select faq_id, sum(views)::int as views from faq_views_daily where day >= ${fromDay} group by faq_id order by views desc limit ${limit}
    ) v join faqs f on f.id = v.faq_id
    order by v.views desc, f.title
  `.execute(db)
  return rows
}

export async function flaggedFaqs(db: Db) {
  return db
    .selectFrom('faqs')
    .select(['slug', 'title', 'reviewFlaggedAt', 'reviewReason'])
    .where('reviewFlaggedAt', 'is not', null)
    .where('state', '=', 'published')
    .orderBy('reviewFlaggedAt', 'desc')
    .limit(200)
    .execute()
}

export async function publishedFaqCount(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from faqs where state = 'published'`.execute(db)
  return rows[0]!.n
}

// ---- the FAQ read counter ----

/** Adds the counted readings in one statement (rows sorted, so concurrent flushes lock in one order). */
export async function addFaqViews(db: Db, rows: Array<{ faqId: string; day: string; views: number }>): Promise<void> {
  if (rows.length === 0) return
  await sql`
    insert into faq_views_daily (faq_id, day, views)
    select v.faq_id, v.day, v.views from unnest(${rows.map((r) => r.faqId)}::uuid[], ${rows.map((r) => r.day)}::date[], ${rows.map((r) => r.views)}::int[]) as v(faq_id, day, views)
    where exists (select 1 from faqs f where f.id = v.faq_id)
    on conflict (faq_id, day) do update set views = faq_views_daily.views + excluded.views
  `.execute(db)
}
