import { sql, type Kysely } from 'kysely'

/**
 * E-mail goes through an outbox, like search indexing: the message is written in the transaction
 * of the change it reports, and a worker sends it later with retries. `dedupe_key` names the
 * change and the recipient, so one change never queues a message twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mail_outbox (
      id bigint generated always as identity primary key,
      dedupe_key text not null unique,
      recipient text not null,
      subject text not null,
      -- Cleared once sent: bodies can carry one-time links.
      text_body text,
      html_body text,
      created_at timestamptz not null,
      next_attempt_at timestamptz not null,
      attempts integer not null default 0,
      last_error text,
      sent_at timestamptz
    )
  `.execute(db)
  await sql`create index mail_outbox_due on mail_outbox (next_attempt_at, id) where sent_at is null`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table mail_outbox`.execute(db)
}
