import { sql, type Kysely } from 'kysely'

// Marks the pair postings found in an FAQ's title. A pair of common words ("iscrizione
// anagrafica") can occur in a thousand FAQs among 100,000, too many to rank them all, yet in a few
// dozen titles: the PostgreSQL engine ranks those (src/search/postgres-search-index.ts). The
// title's pairs are computed in SQL from the stored tsvector, as the engine's upsert does; only
// their rows are updated, so the migration costs little even on a large knowledge base.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table search_pair_postings add column in_title boolean not null default false`.execute(db)
  await sql`
    with occurrences as (
      select f.id as faq_id, u.lexeme, p.pos
      from search_faqs f, unnest(f.document) u, unnest(u.positions, u.weights) as p(pos, weight)
      where p.weight = 'A'
    ),
    sequence as (
      select faq_id, lexeme, pos,
        lead(lexeme) over w as next1, lead(pos) over w as pos1,
        lead(lexeme, 2) over w as next2, lead(pos, 2) over w as pos2
      from occurrences window w as (partition by faq_id order by pos)
    ),
    title_pairs as (
      select faq_id, lexeme || ' ' || next1 as pair from sequence where pos1 - pos <= 2
      union select faq_id, lexeme || ' ' || next2 from sequence where pos2 - pos <= 2
    )
    update search_pair_postings p set in_title = true
    from title_pairs t where p.pair = t.pair and p.faq_id = t.faq_id
  `.execute(db)
  await sql`create index search_pair_postings_title_idx on search_pair_postings (pair, faq_id) where in_title`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists search_pair_postings_title_idx`.execute(db)
  await sql`alter table search_pair_postings drop column if exists in_title`.execute(db)
}
