import { sql, type Kysely } from 'kysely'

/**
 * The e-mail reminder the day before a forum day opens: each person may turn it off
 * (`users.mail_reminders`), and `forum_day_reminders` records the days whose reminders were
 * queued, so that every instance's scheduler queues them once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column mail_reminders boolean not null default true`.execute(db)
  await sql`
    create table forum_day_reminders (
      forum_day_id uuid primary key references forum_days (id) on delete cascade,
      queued_at timestamptz not null,
      recipients integer not null
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table forum_day_reminders`.execute(db)
  await sql`alter table users drop column mail_reminders`.execute(db)
}
