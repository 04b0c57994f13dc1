import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'

/**
 * The report queries. The reports are a read model over the other modules' tables: they read
 * questions, forum days, organizations and FAQs, and write nothing but the FAQ read counter they
 * own (faq_views_daily). Every query is scoped by a forum day or an edition through indexes made
 * for it (migration 2026-12-01T1800_reports) or by small tables (editions, forum days, FAQs).
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

export interface DayTotals {
  questions: number
  organizations: number
  answered: number
  answeredWithinDeadline: number
  answeredLate: number
  withdrawn: number
  rejected: number
  duplicates: number
  waiting: number
}

export async function dayTotals(db: Db, dayId: string, answerDeadline: Date): Promise<DayTotals> {
  const { rows } = await sql<DayTotals>`
    select count(*)::int as questions,
      count(distinct organization_id)::int as organizations,
      count(*) filter (where answered_at is not null)::int as answered,
      count(*) filter (where answered_at <= ${answerDeadline})::int as answered_within_deadline,
      count(*) filter (where answered_at > ${answerDeadline})::int as answered_late,
      count(*) filter (where state = 'withdrawn')::int as withdrawn,
      count(*) filter (where state = 'rejected')::int as rejected,
      count(*) filter (where state = 'duplicate')::int as duplicates,
      count(*) filter (where state in ('submitted', 'claimed', 'awaiting_clarification'))::int as waiting
    from questions where forum_day_id = ${dayId}
  `.execute(db)
  return rows[0]!
}

/** Questions per Rome hour ("YYYY-MM-DDTHH"). */
export async function dayQuestionsPerHour(db: Db, dayId: string): Promise<Array<{ hour: string; questions: number }>> {
  const { rows } = await sql<{ hour: string; questions: number }>`
    select to_char(submitted_at at time zone 'Europe/Rome', 'YYYY-MM-DD"T"HH24') as hour, count(*)::int as questions
    from questions where forum_day_id = ${dayId} group by 1 order by 1
  `.execute(db)
  return rows
}

export async function dayQuestionsByTheme(db: Db, dayId: string): Promise<Array<{ theme: string; questions: number; organizations: number }>> {
  const { rows } = await sql<{ theme: string; questions: number; organizations: number }>`
    select theme, count(*)::int as questions, count(distinct organization_id)::int as organizations
    from questions where forum_day_id = ${dayId} group by theme order by questions desc, theme
  `.execute(db)
  return rows
}

export interface PlaceCount {
  key: string
  questions: number
  organizations: number
}

/** Questions and distinct organizations by region, province or population band of the asking organization. */
export async function dayQuestionsByPlace(db: Db, dayId: string, by: 'region' | 'province' | 'band'): Promise<PlaceCount[]> {
  const { rows } = await sql<PlaceCount>`
    with asked as (
      select organization_id, count(*)::int as questions from questions where forum_day_id = ${dayId} group by organization_id
    ), placed as (
      select a.organization_id, a.questions, ${ORGANIZATION_PLACE}
      from asked a join organizations o on o.id = a.organization_id
    )
    select coalesce(${sql.ref(by)}, '') as key, sum(questions)::int as questions, count(*)::int as organizations
    from placed group by 1 order by 1
  `.execute(db)
  return rows
}

export interface HourlyFlow {
  hour: string
  received: number
  claimed: number
  answered: number
}

/** Per Rome hour: questions received, claimed for the first time, answered. */
export async function dayFlow(db: Db, dayId: string): Promise<HourlyFlow[]> {
  const { rows } = await sql<HourlyFlow>`
    with q as (
      select q.submitted_at, q.answered_at,
        (select min(t.at) from question_transitions t where t.question_id = q.id and t.action = 'claimed') as claimed_at
      from questions q where q.forum_day_id = ${dayId}
    ), moments as (
      select submitted_at as at, 1 as received, 0 as claimed, 0 as answered from q
      union all select claimed_at, 0, 1, 0 from q where claimed_at is not null
      union all select answered_at, 0, 0, 1 from q where answered_at is not null
    )
    select to_char(at at time zone 'Europe/Rome', 'YYYY-MM-DD"T"HH24') as hour,
      sum(received)::int as received, sum(claimed)::int as claimed, sum(answered)::int as answered
    from moments group by 1 order by 1
  `.execute(db)
  return rows
}

export interface Timings {
  claimMedian: number | null
  claimP90: number | null
  answerMedian: number | null
  answerP90: number | null
}

/** Median and 90th percentile, in minutes, from submission to first claim and to the answer. */
export async function dayTimings(db: Db, dayId: string): Promise<Timings> {
  const { rows } = await sql<Timings>`
    with q as (
      select extract(epoch from (select min(t.at) from question_transitions t where t.question_id = q.id and t.action = 'claimed') - q.submitted_at) / 60 as to_claim,
        extract(epoch from q.answered_at - q.submitted_at) / 60 as to_answer
      from questions q where q.forum_day_id = ${dayId}
    )
    select percentile_cont(0.5) within group (order by to_claim) as claim_median,
      percentile_cont(0.9) within group (order by to_claim) as claim_p90,
      percentile_cont(0.5) within group (order by to_answer) as answer_median,
      percentile_cont(0.9) within group (order by to_answer) as answer_p90
    from q
  `.execute(db)
  const row = rows[0]!
  const minutes = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10)
  return { claimMedian: minutes(row.claimMedian), claimP90: minutes(row.claimP90), answerMedian: minutes(row.answerMedian), answerP90: minutes(row.answerP90) }
}

export async function dayAnswersPerExpert(db: Db, dayId: string): Promise<Array<{ expert: string; answers: number }>> {
  const { rows } = await sql<{ expert: string; answers: number }>`
    select coalesce(answered_by_name, '') as expert, count(*)::int as answers
    from questions where forum_day_id = ${dayId} and answered_at is not null
    group by 1 order by answers desc, expert
  `.execute(db)
  return rows
}

export async function dayClarifications(db: Db, dayId: string): Promise<{ requests: number; replies: number; questions: number }> {
  const { rows } = await sql<{ requests: number; replies: number; questions: number }>`
    select count(*) filter (where m.kind = 'clarification_request')::int as requests,
      count(*) filter (where m.kind = 'reply')::int as replies,
      count(distinct m.question_id) filter (where m.kind = 'clarification_request')::int as questions
    from questions q join question_messages m on m.question_id = q.id
    where q.forum_day_id = ${dayId} and m.kind in ('clarification_request', 'reply')
  `.execute(db)
  return rows[0]!
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

/** The organizations that asked at least one question on these forum days. */
export async function organizationsThatAsked(db: Db, dayIds: string[]): Promise<string[]> {
  if (dayIds.length === 0) return []
  const { rows } = await sql<{ organizationId: string }>`
    select distinct organization_id from questions where forum_day_id = any(${dayIds}::uuid[])
  `.execute(db)
  return rows.map((r) => r.organizationId)
}

export async function participationPerDay(db: Db, dayIds: string[]): Promise<Array<{ forumDayId: string; questions: number; organizations: number }>> {
  if (dayIds.length === 0) return []
  const { rows } = await sql<{ forumDayId: string; questions: number; organizations: number }>`
    select forum_day_id, count(*)::int as questions, count(distinct organization_id)::int as organizations
    from questions where forum_day_id = any(${dayIds}::uuid[]) group by forum_day_id
  `.execute(db)
  return rows
}

export async function themesAsked(db: Db, dayIds: string[]): Promise<Array<{ theme: string; questions: number }>> {
  if (dayIds.length === 0) return []
  const { rows } = await sql<{ theme: string; questions: number }>`
    select theme, count(*)::int as questions from questions where forum_day_id = any(${dayIds}::uuid[])
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
