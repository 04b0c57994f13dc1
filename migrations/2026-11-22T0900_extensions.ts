import { sql, type Kysely } from 'kysely'

// Both extensions ship with PostgreSQL's contrib and with PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db)
  await sql`create extension if not exists pg_trgm`.execute(db)
  // unaccent() is only STABLE (its dictionary could change); indexes need an IMMUTABLE wrapper
  // that names the dictionary explicitly.
  await sql`
    create or replace function f_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists f_unaccent(text)`.execute(db)
  await sql`drop extension if exists pg_trgm`.execute(db)
  await sql`drop extension if exists unaccent`.execute(db)
}
