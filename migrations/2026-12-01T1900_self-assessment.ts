import { sql, type Kysely } from 'kysely'

/**
 * Autodiagnosi (self-assessment). `self_assessment_questionnaires` holds one row per version of a
 * questionnaire: `lineage_id` ties the versions together, `content` is the validated document
 * (areas, questions, levels, targets), frozen once an organization has answered it.
 * `self_assessments` are the organizations' fillings-in, each pointing at the version it answered,
 * with a snapshot of the organization's profile (size class, region, population) at the start,
 * so results and aggregates keep the shape they were made with.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table self_assessment_questionnaires (
      id uuid primary key default gen_random_uuid(),
      lineage_id uuid not null,
      edition_id uuid not null references programme_editions (id) on delete restrict,
      number integer not null check (number >= 1),
      title text not null,
      content jsonb not null,
      state text not null check (state in ('draft', 'published', 'superseded')),
      version integer not null default 1,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      published_at timestamptz,
      unique (lineage_id, number)
    )
  `.execute(db)
  // One published version per questionnaire: publishing supersedes the previous one.
  await sql`create unique index self_assessment_questionnaires_one_published on self_assessment_questionnaires (lineage_id) where state = 'published'`.execute(db)
  await sql`create index self_assessment_questionnaires_edition on self_assessment_questionnaires (edition_id)`.execute(db)
  await sql`
    create table self_assessments (
      id uuid primary key default gen_random_uuid(),
      questionnaire_id uuid not null references self_assessment_questionnaires (id) on delete restrict,
      lineage_id uuid not null,
      edition_id uuid not null references programme_editions (id) on delete restrict,
      organization_id uuid not null references organizations (id) on delete restrict,
      organization_name text not null,
      size_class text not null check (size_class in ('comune_piccolo', 'unione', 'comune')),
      region text,
      population integer,
      state text not null check (state in ('in_progress', 'submitted')),
      answers jsonb not null default '{}'::jsonb,
      version integer not null default 1,
      started_by uuid references users (id) on delete set null,
      started_at timestamptz not null,
      updated_by uuid references users (id) on delete set null,
      updated_by_name text,
      updated_at timestamptz not null,
      submitted_by uuid references users (id) on delete set null,
      submitted_at timestamptz
    )
  `.execute(db)
  // One assessment in progress per organization and questionnaire: colleagues share it.
  await sql`create unique index self_assessments_one_in_progress on self_assessments (organization_id, lineage_id) where state = 'in_progress'`.execute(db)
  await sql`create index self_assessments_organization on self_assessments (organization_id, started_at desc)`.execute(db)
  await sql`create index self_assessments_edition on self_assessments (edition_id, state)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table self_assessments`.execute(db)
  await sql`drop table self_assessment_questionnaires`.execute(db)
}
