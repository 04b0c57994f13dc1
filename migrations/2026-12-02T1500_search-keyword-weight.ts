import { sql, type Kysely } from 'kysely'

// The keywords field (weight C of the document: theme, tags, laws, citations) weighs 0.6 instead
// of 0.3 in the postings' impacts, as it now does in ranking (src/search/postgres-search-index.ts,
// FIELD_WEIGHTS): a word the curator put in an FAQ's tags says what the FAQ is about. Every
// posting is recomputed, as in migration 2026-12-02T1000; the statement is that one's with the
// keyword weight as a parameter (a migration keeps the SQL of its day).
const impacts = (keywordWeight: number) => `
  with docs as (select greatest(1, coalesce((select df from search_terms where lexeme = ''), 0))::float8 as n),
  average as (
    select coalesce(max(occurrences) filter (where field = 'A'), 0) / docs.n as a,
      coalesce(max(occurrences) filter (where field = 'B'), 0) / docs.n as b,
      coalesce(max(occurrences) filter (where field = 'C'), 0) / docs.n as c,
      coalesce(max(occurrences) filter (where field = 'D'), 0) / docs.n as d
    from search_field_lengths, docs group by docs.n
  ),
  norm as (
    select f.id,
      0.25 + 0.75 * count(*) filter (where x = 'A') / greatest(average.a, 1e-9) as a,
      0.25 + 0.75 * count(*) filter (where x = 'B') / greatest(average.b, 1e-9) as b,
      0.25 + 0.75 * count(*) filter (where x = 'C') / greatest(average.c, 1e-9) as c,
      0.25 + 0.75 * count(*) filter (where x = 'D') / greatest(average.d, 1e-9) as d
    from search_faqs f cross join average, unnest(f.document) u, unnest(u.weights) x
    group by f.id, average.a, average.b, average.c, average.d
  )
  insert into search_postings (lexeme, faq_id, impact)
  select u.lexeme, f.id, round(1000 * s.w / (s.w + 0.4))::smallint
  from search_faqs f join norm n on n.id = f.id, unnest(f.document) u,
    lateral (select sum(case x when 'A' then 1.0 / n.a when 'B' then 0.5 / n.b when 'C' then ${keywordWeight} / n.c else 0.1 / n.d end) as w
      from unnest(u.weights) x) s
  order by 1, 2`

async function refill(db: Kysely<unknown>, keywordWeight: number): Promise<void> {
  // Dropped and rebuilt around the fill: one sort instead of an index grown row by row.
  await sql`drop index search_postings_impact_idx`.execute(db)
  await sql`drop index search_postings_faq_idx`.execute(db)
  await sql`truncate search_postings`.execute(db)
  await sql.raw(impacts(keywordWeight)).execute(db)
  await sql`create index search_postings_impact_idx on search_postings (lexeme, impact desc, faq_id)`.execute(db)
  await sql`create index search_postings_faq_idx on search_postings (faq_id)`.execute(db)
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await refill(db, 0.6)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await refill(db, 0.3)
}
