import { sql, type Kysely } from 'kysely'

/**
 * The registry of organizations that take part: comuni (ISTAT code, province, region, resident
 * population) and Unioni di Comuni, whose region and population come from their member comuni.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organizations (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('comune', 'unione')),
      name text not null,
      istat_code text unique check (istat_code ~ '^[0-9]{6}$'),
      province text,
      region text,
      population integer check (population >= 0),
      population_updated_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((kind = 'comune') = (istat_code is not null)),
      check (kind = 'comune' or region is null)
    )
  `.execute(db)
  // Accent- and case-insensitive prefix search: "forli" finds "Forlì".
  await sql`create index organizations_name_prefix on organizations (lower(f_unaccent(name)) text_pattern_ops)`.execute(db)
  await sql`create index organizations_kind on organizations (kind)`.execute(db)

  // A comune belongs to at most one Unione.
  await sql`
    create table organization_members (
      unione_id uuid not null references organizations (id) on delete cascade,
      comune_id uuid not null unique references organizations (id) on delete restrict,
      primary key (unione_id, comune_id)
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table organization_members`.execute(db)
  await sql`drop table organizations`.execute(db)
}
