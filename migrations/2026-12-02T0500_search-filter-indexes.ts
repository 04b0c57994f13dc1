import { sql, type Kysely } from 'kysely'

// The PostgreSQL engine now reads the FAQs a filter selects before anything else (up to a
// thousand, to know whether it may test them all). Theme, tags and laws had indexes; year and
// forum day had none, so a filter on them scanned the whole table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index search_faqs_year_idx on search_faqs (year)`.execute(db)
  await sql`create index search_faqs_forum_day_idx on search_faqs (forum_day_id) where forum_day_id is not null`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists search_faqs_forum_day_idx`.execute(db)
  await sql`drop index if exists search_faqs_year_idx`.execute(db)
}
