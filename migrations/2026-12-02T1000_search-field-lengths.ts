import { sql, type Kysely } from 'kysely'

// Impacts normalized by field length (BM25F): a word once in a title of four words says more
// than the same word once in a title of fifteen. Impacts were a field-weighted count of
// occurrences, so hundreds of FAQs tied at the 1,000th place of a common word's postings and
// the cut fell inside the tie. Each field's length in an FAQ is set against that field's average
// over the index, kept in search_field_lengths as FAQs come and go (src/search/postgres-search-index.ts
// computes impacts the same way on upsert). The fill below recomputes every posting.
const FIELD_WEIGHTS = `case x when 'A' then 1.0 when 'B' then 0.5 when 'C' then 0.3 else 0.1 end`

const NORMALIZED_IMPACTS = `
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
    lateral (select sum(case x when 'A' then 1.0 / n.a when 'B' then 0.5 / n.b when 'C' then 0.3 / n.c else 0.1 / n.d end) as w from unnest(u.weights) x) s
  order by 1, 2`

const COUNTED_IMPACTS = `
  insert into search_postings (lexeme, faq_id, impact)
  select u.lexeme, f.id, round(1000 * s.w / (s.w + 0.4))::smallint
  from search_faqs f, unnest(f.document) u,
    lateral (select sum(${FIELD_WEIGHTS}) as w from unnest(u.weights) x) s
  order by 1, 2`

async function refill(db: Kysely<unknown>, impacts: string): Promise<void> {
  // Dropped and rebuilt around the fill: one sort instead of an index grown row by row.
  await sql`drop index search_postings_impact_idx`.execute(db)
  await sql`drop index search_postings_faq_idx`.execute(db)
  await sql`truncate search_postings`.execute(db)
  await sql.raw(impacts).execute(db)
  await sql`create index search_postings_impact_idx on search_postings (lexeme, impact desc, faq_id)`.execute(db)
  await sql`create index search_postings_faq_idx on search_postings (faq_id)`.execute(db)
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Occurrences of lexemes in each field (the tsvector's weights A to D: title, question,
  // keywords, answer) over every indexed FAQ; their number is search_terms' row ''.
  await sql`create table search_field_lengths (field text primary key, occurrences bigint not null)`.execute(db)
  await sql`
    insert into search_field_lengths (field, occurrences)
    select v.field, coalesce(c.n, 0)
    from unnest(array['A', 'B', 'C', 'D']) as v(field)
      left join (select x::text as field, count(*) as n from search_faqs f, unnest(f.document) u, unnest(u.weights) x group by 1) c using (field)
  `.execute(db)
  await refill(db, NORMALIZED_IMPACTS)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await refill(db, COUNTED_IMPACTS)
  await sql`drop table search_field_lengths`.execute(db)
}
