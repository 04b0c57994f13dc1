import { sql, type Kysely } from 'kysely'

// What a search first asks the vocabulary (document frequencies, whether a word is known, its
// completions and corrections; see src/search/postgres-query-analysis.ts) becomes a function:
//
// - Its tests were written so that no index could serve them (`like x || '%'` on a column of the
//   default collation, a `case` choosing between a prefix range and an equality): each word of
//   each query scanned both vocabulary tables. Among 100,000 FAQs a real vocabulary holds some
//   150,000 words, and the statement took 76 ms for a one-word query. Here every test is a range
//   of a `text_pattern_ops` index (or the trigram index, for corrections).
// - PostgreSQL planned the statement anew for every query, which cost twice as much as running
//   it. Its plan does not depend on the words looked up, so the function keeps one generic plan
//   per connection (`plan_cache_mode`, set for the function's statements only).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index search_vocabulary_prefix_idx on search_vocabulary (word text_pattern_ops)`.execute(db)
  await sql`
    create function search_query_analysis(
      words text[], prefixes boolean[], checked text[], stems text[], check_prefixes boolean[],
      completions int, corrections int, min_similarity real
    ) returns json
    language plpgsql stable
    set plan_cache_mode = force_generic_plan
    as $fn$
    begin
      return (
        with checks as (
          select c.i, c.word, c.prefix,
            exists(select 1 from search_vocabulary v where v.word ~>=~ c.stem and v.word ~<~ (c.stem || '{')) as found
          from unnest(checked, stems, check_prefixes) with ordinality as c(word, stem, prefix, i)
        ),
        -- Materialized: its words are read twice below, and inlined, each misspelled word's
        -- trigram search ran twice.
        fixes as materialized (
          select c.i, c.found, case
            when c.found and c.prefix then array(
              select v.word from search_vocabulary v where v.word ~>=~ c.word and v.word ~<~ (c.word || '{')
              order by length(v.word), v.word limit completions)
            when not c.found then array(
              select v.word from search_vocabulary v
              where v.word % c.word and similarity(v.word, c.word) >= min_similarity
              order by similarity(v.word, c.word) desc, v.word limit corrections)
            end as words
          from checks c
        ),
        frequencies as (
          select w.i, coalesce((
            select sum(t.df) from unnest(tsvector_to_array(to_tsvector('italian', w.word))) lex,
              lateral (
                select t.df from search_terms t
                where t.lexeme ~>=~ lex and t.lexeme ~<~ (lex || case when w.prefix then '{' else chr(1) end)
              ) t
          ), 0)::float8 as df
          from unnest(words, prefixes) with ordinality as w(word, prefix, i)
        )
        select json_build_object(
          'total', coalesce((select df from search_terms where lexeme = ''), 0),
          'df', (select json_agg(df order by i) from frequencies),
          'checks', (
            select json_agg(json_build_object(
              'found', f.found, 'words', f.words,
              'df', (
                select json_agg(coalesce((
                  select sum(t.df) from unnest(tsvector_to_array(to_tsvector('italian', x.word))) lex, search_terms t where t.lexeme = lex
                ), 0)::float8 order by x.n)
                from unnest(f.words) with ordinality as x(word, n)
              )
            ) order by f.i)
            from fixes f
          )
        )
      );
    end
    $fn$
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists search_query_analysis(text[], boolean[], text[], text[], boolean[], int, int, real)`.execute(db)
  await sql`drop index if exists search_vocabulary_prefix_idx`.execute(db)
}
