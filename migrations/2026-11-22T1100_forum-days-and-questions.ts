import { sql, type Kysely } from 'kysely'

/**
 * Programme editions (themes, eligibility rule, enrolled organizations, stored eligibility
 * decisions), their forum days, and the questions asked during them: transitions, conversation
 * messages, experts' answer drafts, and the Idempotency-Key records of submissions.
 * Every instant is timestamptz and comes from the application's clock, never from now().
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table programme_editions (
      id uuid primary key default gen_random_uuid(),
      programme text not null,
      name text not null,
      themes jsonb not null,
      eligibility jsonb not null,
      registry_date date not null,
      version integer not null default 1,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )
  `.execute(db)

  await sql`
    create table edition_enrollments (
      edition_id uuid not null references programme_editions (id) on delete cascade,
      organization_id uuid not null references organizations (id) on delete cascade,
      enrolled_at timestamptz not null,
      enrolled_by uuid references users (id) on delete set null,
      primary key (edition_id, organization_id)
    )
  `.execute(db)

  // The latest decision per organization; dropped when the edition's rule or enrollments change.
  await sql`
    create table eligibility_decisions (
      edition_id uuid not null references programme_editions (id) on delete cascade,
      organization_id uuid not null references organizations (id) on delete cascade,
      eligible boolean not null,
      reason text not null,
      detail text not null,
      registry_date date not null,
      decided_at timestamptz not null,
      primary key (edition_id, organization_id)
    )
  `.execute(db)

  await sql`
    create table forum_days (
      id uuid primary key default gen_random_uuid(),
      edition_id uuid not null references programme_editions (id) on delete restrict,
      title text not null,
      themes text[] not null,
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      answer_deadline timestamptz not null,
      max_open_questions_per_organization integer check (max_open_questions_per_organization > 0),
      rehearsal boolean not null default false,
      cancelled_at timestamptz,
      cancel_reason text,
      -- Set once each by whoever announces the opening/closing (the realtime scheduler).
      opened_announced_at timestamptz,
      closed_announced_at timestamptz,
      version integer not null default 1,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (opens_at < closes_at),
      check (closes_at <= answer_deadline)
    )
  `.execute(db)
  await sql`create index forum_days_opens_at on forum_days (opens_at)`.execute(db)

  await sql`
    create table questions (
      id uuid primary key default gen_random_uuid(),
      forum_day_id uuid not null references forum_days (id) on delete cascade,
      organization_id uuid not null references organizations (id) on delete restrict,
      asked_by uuid not null references users (id) on delete restrict,
      asker_name text not null,
      title text not null,
      body text not null,
      theme text not null,
      state text not null check (state in
        ('submitted', 'claimed', 'awaiting_clarification', 'answered', 'closed', 'duplicate', 'rejected', 'withdrawn')),
      claimed_by uuid references users (id) on delete set null,
      claimed_by_name text,
      claimed_at timestamptz,
      lease_expires_at timestamptz,
      answer text,
      answered_by uuid references users (id) on delete set null,
      answered_by_name text,
      answered_at timestamptz,
      answered_late boolean,
      duplicate_of_faq text,
      rejection_reason text,
      submitted_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      check ((state = 'claimed') = (claimed_by is not null and lease_expires_at is not null))
    )
  `.execute(db)
  await sql`create index questions_queue on questions (submitted_at) where state = 'submitted'`.execute(db)
  await sql`create index questions_forum_day on questions (forum_day_id, state)`.execute(db)
  await sql`create index questions_organization on questions (organization_id, submitted_at desc)`.execute(db)
  await sql`create index questions_lease on questions (lease_expires_at) where state = 'claimed'`.execute(db)
  await sql`create index questions_title_trgm on questions using gin (lower(f_unaccent(title)) gin_trgm_ops)`.execute(db)

  await sql`
    create table question_transitions (
      id bigint generated always as identity primary key,
      question_id uuid not null references questions (id) on delete cascade,
      action text not null,
      from_state text,
      to_state text not null,
      actor_id uuid references users (id) on delete set null,
      actor_role text,
      note text,
      at timestamptz not null
    )
  `.execute(db)
  await sql`create index question_transitions_question on question_transitions (question_id, id)`.execute(db)
  await sql`create index question_transitions_actor on question_transitions (actor_id)`.execute(db)

  await sql`
    create table question_messages (
      id uuid primary key default gen_random_uuid(),
      -- Thread order: several messages can share one clock instant, so order by this.
      seq bigint generated always as identity,
      question_id uuid not null references questions (id) on delete cascade,
      kind text not null check (kind in ('question', 'clarification_request', 'reply', 'answer')),
      author_id uuid references users (id) on delete set null,
      author_name text not null,
      author_role text not null,
      body text not null,
      created_at timestamptz not null
    )
  `.execute(db)
  await sql`create index question_messages_question on question_messages (question_id, seq)`.execute(db)

  await sql`
    create table answer_drafts (
      question_id uuid not null references questions (id) on delete cascade,
      expert_id uuid not null references users (id) on delete cascade,
      expert_name text not null,
      body text not null,
      version integer not null default 1,
      updated_at timestamptz not null,
      primary key (question_id, expert_id)
    )
  `.execute(db)

  // One row per (user, key): the unique key makes concurrent retries wait for the first one.
  await sql`
    create table idempotency_keys (
      user_id uuid not null references users (id) on delete cascade,
      key text not null,
      fingerprint text not null,
      status integer,
      response jsonb,
      resource_id uuid,
      created_at timestamptz not null,
      primary key (user_id, key)
    )
  `.execute(db)
  await sql`create index idempotency_keys_created_at on idempotency_keys (created_at)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table idempotency_keys`.execute(db)
  await sql`drop table answer_drafts`.execute(db)
  await sql`drop table question_messages`.execute(db)
  await sql`drop table question_transitions`.execute(db)
  await sql`drop table questions`.execute(db)
  await sql`drop table forum_days`.execute(db)
  await sql`drop table eligibility_decisions`.execute(db)
  await sql`drop table edition_enrollments`.execute(db)
  await sql`drop table programme_editions`.execute(db)
}
