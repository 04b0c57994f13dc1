import { sql, type Kysely } from 'kysely'

/**
 * Accounts (created by invitation), their sessions (only token hashes are stored), invitations,
 * password resets, login throttling counters (shared by every app instance) and the audit log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      display_name text not null,
      role text not null check (role in ('staff', 'expert', 'moderator', 'admin')),
      organization_id uuid references organizations (id) on delete restrict,
      topics text[] not null default '{}',
      password_hash text,
      active boolean not null default true,
      deactivated_at timestamptz,
      -- Room for SPID/CIE: an external identity linked later, unique per provider.
      external_provider text,
      external_subject text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check ((role = 'staff') = (organization_id is not null)),
      check ((external_provider is null) = (external_subject is null))
    )
  `.execute(db)
  await sql`create unique index users_email on users (lower(email))`.execute(db)
  await sql`create unique index users_external_identity on users (external_provider, external_subject) where external_provider is not null`.execute(db)
  await sql`create index users_organization on users (organization_id)`.execute(db)

  await sql`
    create table sessions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      token_hash text not null unique,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      ip text,
      user_agent text
    )
  `.execute(db)
  await sql`create index sessions_user on sessions (user_id) where revoked_at is null`.execute(db)

  await sql`
    create table invitations (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      email text not null,
      role text not null check (role in ('staff', 'expert', 'moderator', 'admin')),
      organization_id uuid references organizations (id) on delete cascade,
      topics text[] not null default '{}',
      invited_by uuid references users (id) on delete set null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      accepted_at timestamptz,
      user_id uuid references users (id) on delete set null,
      check ((role = 'staff') = (organization_id is not null))
    )
  `.execute(db)

  await sql`
    create table password_resets (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      user_id uuid not null references users (id) on delete cascade,
      issued_by uuid references users (id) on delete set null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    )
  `.execute(db)

  // One row per throttled key ("account:<email>", "ip:<address>"): failures in the current window.
  await sql`
    create table login_throttle (
      key text primary key,
      failures integer not null,
      window_started_at timestamptz not null
    )
  `.execute(db)

  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null,
      action text not null,
      actor_user_id uuid,
      target_user_id uuid,
      target_email text,
      ip text,
      details jsonb not null default '{}'
    )
  `.execute(db)
  await sql`create index audit_log_occurred_at on audit_log (occurred_at desc, id desc)`.execute(db)
  await sql`create index audit_log_target on audit_log (target_user_id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_log`.execute(db)
  await sql`drop table login_throttle`.execute(db)
  await sql`drop table password_resets`.execute(db)
  await sql`drop table invitations`.execute(db)
  await sql`drop table sessions`.execute(db)
  await sql`drop table users`.execute(db)
}
