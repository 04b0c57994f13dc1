import { sql, type Kysely } from 'kysely'

// What the PostgreSQL search engine needs to choose candidates by relevance rather than storage
// order: how many FAQs contain each lexeme (rare words weigh more and are searched exhaustively)
// and a small vector of the title and question, where the FAQs that answer a query say it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table search_faqs add column head tsvector generated always as (
      setweight(to_tsvector('italian', f_unaccent(title)), 'A') ||
      setweight(to_tsvector('italian', f_unaccent(question)), 'B')
    ) stored
  `.execute(db)
  await sql`create index search_faqs_head_idx on search_faqs using gin (head)`.execute(db)
  // Document frequency per lexeme of search_faqs.document; the empty lexeme counts the FAQs.
  await sql`create table search_terms (lexeme text primary key, df integer not null)`.execute(db)
  await sql`create index search_terms_prefix_idx on search_terms (lexeme text_pattern_ops)`.execute(db)
  await sql`
    insert into search_terms (lexeme, df)
    select lexeme, count(*) from search_faqs, unnest(tsvector_to_array(document)) lexeme group by lexeme
    union all select '', count(*) from search_faqs
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists search_terms`.execute(db)
  await sql`alter table search_faqs drop column if exists head`.execute(db)
}
