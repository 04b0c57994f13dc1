import { sql, type Kysely } from 'kysely'

// Postings for pairs of words next to each other in one field of an FAQ ("kit postale",
// "permesso di soggiorno": a stop word between them at most). A phrase is far rarer than either
// of its words, so the PostgreSQL engine can rank every FAQ that says a pair the visitor typed,
// where the single words' strongest postings would have cut the FAQ that says it in its answer.
// Computed in SQL from the stored tsvector, as the engine's upsert does
// (src/search/postgres-search-index.ts).
const PAIRS_OF = (where: string) => `
  with occurrences as (
    select f.id as faq_id, u.lexeme, p.pos, p.weight
    from search_faqs f, unnest(f.document) u, unnest(u.positions, u.weights) as p(pos, weight)
    ${where}
  ),
  sequence as (
    select faq_id, lexeme, pos, weight,
      lead(lexeme) over w as next1, lead(pos) over w as pos1, lead(weight) over w as weight1,
      lead(lexeme, 2) over w as next2, lead(pos, 2) over w as pos2, lead(weight, 2) over w as weight2
    from occurrences window w as (partition by faq_id order by pos)
  )
  insert into search_pair_postings (pair, faq_id)
  select distinct pair, faq_id from (
    select faq_id, lexeme || ' ' || next1 as pair from sequence where pos1 - pos <= 2 and weight1 = weight
    union all
    select faq_id, lexeme || ' ' || next2 from sequence where pos2 - pos <= 2 and weight2 = weight
  ) pairs
  order by pair, faq_id`

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table search_pair_postings (
      pair text not null,
      faq_id text not null references search_faqs (id) on delete cascade
    )
  `.execute(db)
  await sql.raw(PAIRS_OF('')).execute(db)
  // After the fill: one sort instead of an index grown row by row.
  await sql`alter table search_pair_postings add primary key (pair, faq_id)`.execute(db)
  await sql`create index search_pair_postings_faq_idx on search_pair_postings (faq_id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists search_pair_postings`.execute(db)
}
