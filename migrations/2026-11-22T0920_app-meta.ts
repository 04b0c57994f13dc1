import { sql, type Kysely } from 'kysely'

/** Small facts about this installation (e.g. whether demo data was loaded). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table app_meta (key text primary key, value jsonb not null, updated_at timestamptz not null default now())`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table app_meta`.execute(db)
}
