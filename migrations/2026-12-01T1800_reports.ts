import { sql, type Kysely } from 'kysely'

/**
 * The secretariat's reports (src/reports/).
 *
 * `faq_views_daily` counts how often each FAQ page is read, per Rome calendar day: one counter per
 * FAQ and day, and nothing about who read it (no user, session or address).
 *
 * The indexes serve the report queries: the FAQs published from a forum day, the forum days of an
 * edition, the most read FAQs of a period. None is added to questions (its writes are the
 * forum-day peak's hot path): the reports read it by day, and forum_day_counts for who asked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table faq_views_daily (
      faq_id uuid not null references faqs (id) on delete cascade,
      day date not null,
      views integer not null default 0 check (views >= 0),
      primary key (faq_id, day)
    )
  `.execute(db)
  await sql`create index faq_views_daily_day on faq_views_daily (day, faq_id) include (views)`.execute(db)
  await sql`create index faqs_forum_day on faqs (forum_day_id) where forum_day_id is not null`.execute(db)
  await sql`create index forum_days_edition on forum_days (edition_id, opens_at)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index forum_days_edition`.execute(db)
  await sql`drop index faqs_forum_day`.execute(db)
  await sql`drop table faq_views_daily`.execute(db)
}
