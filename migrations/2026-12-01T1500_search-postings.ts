import { sql, type Kysely } from 'kysely'

// Postings with precomputed impacts: for each lexeme of an FAQ's document, how strongly the FAQ
// says it (which fields, how often). The PostgreSQL engine reads, for a common query word, only
// its strongest postings in impact order (an index range, no tsvector to open) instead of ranking
// every FAQ that contains it. Impacts are computed in SQL from the stored tsvector, so the fill
// below and the engine's upsert (src/search/postgres-search-index.ts) give the same numbers.
const IMPACTS_OF = (where: string) => `
  insert into search_postings (lexeme, faq_id, impact)
  select u.lexeme, f.id, round(1000 * s.w / (s.w + 0.4))::smallint
  from search_faqs f, unnest(f.document) u,
    lateral (select sum(case x when 'A' then 1.0 when 'B' then 0.5 when 'C' then 0.3 else 0.1 end) as w from unnest(u.weights) x) s
  ${where}`

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table search_postings (
      lexeme text not null,
      faq_id text not null references search_faqs (id) on delete cascade,
      impact smallint not null
    )
  `.execute(db)
  await sql.raw(IMPACTS_OF('')).execute(db)
  await sql`create index search_postings_impact_idx on search_postings (lexeme, impact desc, faq_id)`.execute(db)
  await sql`create index search_postings_faq_idx on search_postings (faq_id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists search_postings`.execute(db)
}
