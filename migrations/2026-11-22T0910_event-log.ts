import { sql, type Kysely } from 'kysely'

/**
 * The event log: one row per state change someone else cares about, written in the same
 * transaction as the change. `channels` say which subscriptions it belongs to, `audience` who may
 * receive it. `position` only grows; `txid` lets readers hold back events of
 * transactions that may still commit behind an already-delivered position.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table events (
      position bigint generated always as identity primary key,
      type text not null,
      payload jsonb not null,
      channels text[] not null,
      audience jsonb not null,
      txid xid8 not null default pg_current_xact_id(),
      occurred_at timestamptz not null default now()
    )
  `.execute(db)
  await sql`create index events_occurred_at on events (occurred_at)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table events`.execute(db)
}
