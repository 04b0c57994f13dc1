import { sql, type Kysely } from 'kysely'

/**
 * Login throttling moves from a fixed lock per window to growing waits counted from the last
 * failure (src/accounts/login-throttle.ts). Old counters meant something else: they are dropped.
 * The sessions index answers "has this account signed in from this address" for revoked sessions too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from login_throttle`.execute(db)
  await sql`alter table login_throttle rename column window_started_at to last_failed_at`.execute(db)
  await sql`create index sessions_user_address on sessions (user_id, ip)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index sessions_user_address`.execute(db)
  await sql`delete from login_throttle`.execute(db)
  await sql`alter table login_throttle rename column last_failed_at to window_started_at`.execute(db)
}
