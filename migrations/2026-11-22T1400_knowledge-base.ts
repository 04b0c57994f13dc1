import { sql, type Kysely } from 'kysely'

/**
 * The Domande & Risposte knowledge base: published FAQs with their revisions, the amendments of
 * the acts they cite (which flag them for review), the search-indexing outbox and anonymous
 * search statistics.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table faqs (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      title text not null,
      question text not null,
      answer text not null,
      theme text not null,
      tags text[] not null default '{}',
      legal_references jsonb not null default '[]',
      law_keys text[] not null default '{}',
      scope_region text,
      visibility text not null check (visibility in ('public', 'reserved')),
      origin_description text,
      source_question_id uuid,
      forum_day_id uuid,
      state text not null default 'published' check (state in ('published', 'unpublished')),
      published_at timestamptz not null,
      updated_at timestamptz not null,
      answered_on date not null,
      review_by date,
      review_flagged_at timestamptz,
      review_reason text,
      duplicate_count integer not null default 0,
      version integer not null default 1,
      published_by uuid not null,
      updated_by uuid not null
    )
  `.execute(db)
  await sql`create index faqs_published_at on faqs (published_at desc) where state = 'published'`.execute(db)
  await sql`create index faqs_law_keys on faqs using gin (law_keys)`.execute(db)
  await sql`create unique index faqs_source_question on faqs (source_question_id) where source_question_id is not null`.execute(db)

  await sql`
    create table faq_revisions (
      faq_id uuid not null references faqs (id) on delete cascade,
      version integer not null,
      snapshot jsonb not null,
      edited_by uuid not null,
      edited_at timestamptz not null,
      note text,
      primary key (faq_id, version)
    )
  `.execute(db)

  await sql`
    create table act_amendments (
      id uuid primary key default gen_random_uuid(),
      law_key text not null,
      amended_on date not null,
      note text not null,
      recorded_by uuid not null,
      recorded_at timestamptz not null
    )
  `.execute(db)

  // One row per FAQ change; the worker reads the FAQ's current state, so replays are harmless.
  await sql`
    create table search_outbox (
      id bigint generated always as identity primary key,
      faq_id uuid not null,
      enqueued_at timestamptz not null default now(),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      processed_at timestamptz
    )
  `.execute(db)
  await sql`create index search_outbox_pending on search_outbox (next_attempt_at, id) where processed_at is null`.execute(db)

  // No user, session or address: only what was searched, per week.
  await sql`
    create table search_query_stats (
      week_start date not null,
      query text not null,
      searches integer not null default 0,
      zero_result_searches integer not null default 0,
      primary key (week_start, query)
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table search_query_stats`.execute(db)
  await sql`drop table search_outbox`.execute(db)
  await sql`drop table act_amendments`.execute(db)
  await sql`drop table faq_revisions`.execute(db)
  await sql`drop table faqs`.execute(db)
}
