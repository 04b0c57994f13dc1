import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../db/database.js'
import { citationTokens, contentWords, queryWords, stem, words } from './italian.js'
import {
  emptyFacets,
  markedToHtml,
  escapeHtml,
  indexableDocument,
  MARK_END,
  MARK_START,
  type FaqSearchDocument,
  type SearchFacets,
  type SearchFilters,
  type SearchHit,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
  type SimilarOptions,
} from './search-index.js'
import { findConcepts, synonymExpansion } from './synonyms.js'

/**
 * Limits that keep a query's cost independent of how many FAQs match it.
 *
 * Ranking every row that contains a common word ("comune" in half of 100,000 FAQs) is what makes
 * naive full-text search slow. Instead, each query first takes a bounded candidate set from the
 * GIN index (up to CANDIDATES rows that match all words, and as many that match any word, in
 * the order the bitmap scan meets them, i.e. storage order: cheap, not newest or best) and
 * ranks only those; snippets are computed for the returned page only. When more than CANDIDATES
 * rows match, `total` and the facet counts describe the candidate set: `total` is then a lower
 * bound and the response says so (`totalIsExact: false`). A knowledge base of a few thousand
 * FAQs never reaches the cap and gets exact numbers.
 */
export interface PostgresSearchLimits {
  /** Rows taken from the index per candidate list (all words / any word). */
  candidates: number
  /** Empty query: rows counted, and newest rows whose facets are counted. */
  browseCount: number
}

const DEFAULT_LIMITS: PostgresSearchLimits = { candidates: 1_000, browseCount: 5_000 }

/** A query word or synonym concept, as a to_tsquery expression (only [a-z0-9] and operators). */
interface Term {
  expr: string
  /** A single word that may be misspelled (corrected from the vocabulary when it matches nothing). */
  word?: string
  prefix?: boolean
}

// ts_rank weights for D, C, B, A: answer, keywords, question, title.
const RANK_WEIGHTS = '{0.1, 0.3, 0.5, 1.0}'
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`
const MIN_CORRECTION_SIMILARITY = 0.45
const MAX_SIMILAR_TERMS = 24

/** Terms of a visitor's query: synonym phrases become one OR-term each, the last word is a prefix. */
export function queryTerms(q: string, { prefixLastWord = true } = {}): Term[] {
  const list = queryWords(q)
  const concepts = findConcepts(list)
  const terms: Term[] = []
  const endsWithWord = /[\p{L}\p{N}]$/u.test(q.trim()) && !/\s$/.test(q)
  let i = 0
  for (const concept of concepts) {
    for (; i < concept.start; i++) pushWord(list[i]!, i === list.length - 1)
    terms.push({ expr: concept.phrases.map(phraseExpr).filter(Boolean).join(' | ') })
    i = concept.end
  }
  for (; i < list.length; i++) pushWord(list[i]!, i === list.length - 1)
  return dedupe(terms)

  function pushWord(word: string, last: boolean) {
    if (contentWords([word]).length === 0) return
    const prefix = prefixLastWord && last && endsWithWord && word.length >= 3 && !/^\d+$/.test(word) && !/^n\d+a\d{4}$/.test(word)
    terms.push({ expr: prefix ? `${word}:*` : word, word: /^[a-z]{4,}$/.test(word) ? word : undefined, prefix })
  }
}

// A phrase's words are ANDed, not matched as a phrase (<->): phrase and weight operators make
// PostgreSQL recheck every GIN match against the stored tsvector, which is what costs on 100k rows.
const phraseExpr = (phrase: readonly string[]) => {
  const kept = contentWords([...phrase])
  if (kept.length === 0) return ''
  return kept.length === 1 ? kept[0]! : `(${kept.join(' & ')})`
}

function dedupe(terms: Term[]): Term[] {
  const seen = new Set<string>()
  return terms.filter((t) => {
    // Two words with one stem ("permesso permessi") are one term.
    const key = t.word ? stem(t.word) + (t.prefix ? ':*' : '') : t.expr
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Words to index for a document beside its own text: tags, laws, theme, citations, synonyms. */
export function documentKeywords(doc: FaqSearchDocument): string {
  const text = `${doc.title}\n${doc.question}\n${doc.answer}\n${doc.tags.join('\n')}\n${doc.laws.join('\n')}`
  return [
    doc.theme,
    doc.tags.join(' ; '),
    doc.laws.join(' ; '),
    citationTokens(text).join(' '),
    synonymExpansion(`${doc.title} . ${doc.question} . ${doc.tags.join(' . ')} . ${doc.theme}`),
    synonymExpansion(doc.answer),
  ].join(' ; ')
}

const tsq = (expr: string) => sql`to_tsquery('italian', ${expr})`

function filterSql(filters: SearchFilters): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [sql`f.visibility = any(${filters.visibility}::text[])`]
  if (filters.theme !== undefined) conditions.push(sql`f.theme = ${filters.theme}`)
  if (filters.tag !== undefined) conditions.push(sql`f.tags @> array[${filters.tag}]::text[]`)
  if (filters.law !== undefined) conditions.push(sql`f.laws @> array[${filters.law}]::text[]`)
  if (filters.year !== undefined) conditions.push(sql`f.year = ${filters.year}`)
  if (filters.forumDayId !== undefined) conditions.push(sql`f.forum_day_id = ${filters.forumDayId}`)
  return sql.join(conditions, sql` and `)
}

interface FacetRow {
  facet: 'theme' | 'tags' | 'laws' | 'year'
  value: string
  n: number
}

function toFacets(rows: FacetRow[] | null): SearchFacets {
  const facets = emptyFacets()
  for (const row of rows ?? []) facets[row.facet][row.value] = Number(row.n)
  return facets
}

/** Facet counts over the rows of a CTE named `kept` (which has theme, tags, laws, year). */
const FACETS_OF_KEPT = sql`(select json_agg(x) from (
    select 'theme' as facet, theme as value, count(*) as n from kept group by theme
    union all select 'tags', tag, count(*) from kept, unnest(kept.tags) tag group by tag
    union all select 'laws', law, count(*) from kept, unnest(kept.laws) law group by law
    union all select 'year', year::text, count(*) from kept group by year
  ) x)`

interface RankedRow {
  total: number
  hits: Array<{ id: string; slug: string; title: string; snippet: string; score: number }> | null
  facets: FacetRow[] | null
}

/** The PostgreSQL full-text search engine (the embedded default). */
export class PostgresSearchIndex implements SearchIndex {
  readonly kind = 'postgres' as const
  private readonly limits: PostgresSearchLimits

  constructor(
    private readonly db: Kysely<Database>,
    limits: Partial<PostgresSearchLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits }
  }

  /** The tables come with the migrations; nothing to configure at run time. */
  async applySettings(): Promise<void> {}

  async health(): Promise<void> {
    await sql`select 1 from search_faqs limit 1`.execute(this.db)
  }

  async upsert(documents: FaqSearchDocument[]): Promise<void> {
    if (documents.length === 0) return
    const rows = documents.map((doc) => ({
      ...indexableDocument(doc),
      keywords: documentKeywords(doc),
    }))
    const vocabulary = new Set<string>()
    for (const doc of documents) {
      for (const w of words(`${doc.title} ${doc.question} ${doc.answer} ${doc.tags.join(' ')} ${doc.theme}`)) {
        if (w.length >= 4 && !/\d/.test(w)) vocabulary.add(w)
      }
    }
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('searchFaqs')
        .values(rows)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            slug: eb.ref('excluded.slug'),
            title: eb.ref('excluded.title'),
            question: eb.ref('excluded.question'),
            answer: eb.ref('excluded.answer'),
            theme: eb.ref('excluded.theme'),
            tags: eb.ref('excluded.tags'),
            laws: eb.ref('excluded.laws'),
            year: eb.ref('excluded.year'),
            visibility: eb.ref('excluded.visibility'),
            forumDayId: eb.ref('excluded.forumDayId'),
            scopeRegion: eb.ref('excluded.scopeRegion'),
            publishedAt: eb.ref('excluded.publishedAt'),
            updatedAt: eb.ref('excluded.updatedAt'),
            keywords: eb.ref('excluded.keywords'),
          })),
        )
        .execute()
      await sql`insert into search_vocabulary (word) select unnest(${[...vocabulary].sort()}::text[]) on conflict do nothing`.execute(trx)
    })
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return
    await this.db.deleteFrom('searchFaqs').where('id', 'in', ids).execute()
  }

  /** Empties the index (a reindex starts from here). */
  async clear(): Promise<void> {
    await sql`truncate search_faqs, search_vocabulary`.execute(this.db)
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const page = Math.max(1, Math.floor(query.page))
    const pageSize = Math.max(1, Math.floor(query.pageSize))
    const base = { page, pageSize }
    if (query.filters.visibility.length === 0) return { ...base, hits: [], total: 0, totalIsExact: true, facets: emptyFacets() }
    const terms = query.q ? queryTerms(query.q) : []
    if (terms.length === 0) return { ...base, ...(await this.browse(query.filters, page, pageSize, query.sort)) }
    const { terms: corrected, fixes } = await this.correctMisspellings(terms)
    // Two words need both; longer queries need most of their words (a question in everyday words
    // has words no FAQ uses), relaxed to the best coverage any candidate reaches.
    const minMatch = corrected.length <= 2 ? corrected.length : Math.ceil(corrected.length * 0.6)
    const result = await this.ranked(corrected, minMatch, query.filters, (page - 1) * pageSize, pageSize)
    return { ...base, ...result, ...(fixes.size > 0 ? { suggestion: respell(query.q!, fixes) } : {}) }
  }

  async similar(text: string, options: SimilarOptions): Promise<SearchHit[]> {
    if (options.visibility.length === 0) return []
    const terms = queryTerms(text, { prefixLastWord: false }).slice(0, MAX_SIMILAR_TERMS)
    if (terms.length === 0) return []
    // A text says more than a query: a third of its terms in common is already "about the same thing".
    const minMatch = Math.max(1, Math.ceil(terms.length / 3))
    const result = await this.ranked(terms, minMatch, { visibility: options.visibility }, 0, options.limit, { relax: false })
    return result.hits
  }

  /**
   * Replaces each word no indexed text contains by itself OR its closest vocabulary words, and the
   * last typed word by itself OR the words it begins. "Contains"
   * is checked on the small vocabulary table (some word starts with the typed word's stem), not on
   * the documents: the planner guesses a rare word's frequency badly and would scan every document.
   */
  private async correctMisspellings(terms: Term[]): Promise<{ terms: Term[]; fixes: Map<string, string> }> {
    const fixes = new Map<string, string>()
    const checkable = terms.filter((t) => t.word !== undefined)
    if (checkable.length === 0) return { terms, fixes }
    const { rows } = await sql<{ found: boolean[] }>`select array[${sql.join(
      checkable.map((t) => sql`exists(select 1 from search_vocabulary where word like ${`${stem(t.word!)}%`})`),
    )}] as found`.execute(this.db)
    const missing = checkable.filter((_, i) => rows[0]?.found[i] === false)
    const corrections = new Map<Term, string[]>()
    // A prefix is stemmed as if it were a word ("cittadinanz" stays whole while "cittadinanza"
    // stems to "cittadin"), so the last word also matches the whole words it begins.
    for (const term of checkable.filter((t) => t.prefix && !missing.includes(t))) {
      const { rows: completions } = await sql<{ word: string }>`
        select word from search_vocabulary where word like ${`${term.word!}%`} order by length(word), word limit 8
      `.execute(this.db)
      if (completions.length > 0) corrections.set(term, completions.map((r) => r.word))
    }
    for (const term of missing) {
      const word = term.word!
      const { rows: similar } = await sql<{ word: string }>`
        select word from search_vocabulary
        where word % ${word} and similarity(word, ${word}) >= ${MIN_CORRECTION_SIMILARITY}
        order by similarity(word, ${word}) desc, word
        limit 3
      `.execute(this.db)
      if (similar.length > 0) {
        corrections.set(term, similar.map((r) => r.word))
        fixes.set(word, similar[0]!.word)
      }
    }
    return {
      fixes,
      terms: terms.map((t) => {
        const words = corrections.get(t)
        return words ? { expr: [t.expr, ...words].join(' | ') } : t
      }),
    }
  }

  private async ranked(
    terms: Term[],
    minMatch: number,
    filters: SearchFilters,
    offset: number,
    limit: number,
    { relax = true } = {},
  ): Promise<Omit<SearchResult, 'page' | 'pageSize'>> {
    const all = tsq(terms.map((t) => `(${t.expr})`).join(' & '))
    const any = tsq(terms.map((t) => `(${t.expr})`).join(' | '))
    const where = filterSql(filters)
    const cap = this.limits.candidates
    const matched = sql.join(
      terms.map((t) => sql`(f.document @@ ${tsq(t.expr)})::int`),
      sql` + `,
    )
    const threshold = relax ? sql`least(${minMatch}, (select max(matched) from scored))` : sql`${minMatch}`
    const statement = sql<RankedRow & { candidates: number }>`
      with candidates as (
        (select f.id from search_faqs f where f.document @@ ${all} and ${where} limit ${cap})
        ${terms.length > 1 ? sql`union (select f.id from search_faqs f where f.document @@ ${any} and ${where} limit ${cap})` : sql``}
      ),
      scored as materialized (
        select f.id, f.theme, f.tags, f.laws, f.year, f.published_at,
          ${matched} as matched,
          ts_rank(${RANK_WEIGHTS}, f.document, ${any}) as rank
        from search_faqs f where f.id = any(array(select id from candidates))
      ),
      kept as materialized (select * from scored where matched >= ${threshold}),
      page as (
        select id, matched + rank as score from kept
        order by matched desc, rank desc, published_at desc, id
        limit ${limit} offset ${offset}
      )
      select
        (select count(*) from candidates) as candidates,
        (select count(*) from kept) as total,
        (select json_agg(json_build_object(
            'id', f.id, 'slug', f.slug, 'title', f.title, 'score', p.score,
            'snippet', ts_headline('italian', f.question || ' ' || f.answer, ${any}, ${HEADLINE_OPTIONS})
          ) order by p.score desc, f.published_at desc, f.id)
          from page p join search_faqs f on f.id = p.id) as hits,
        ${FACETS_OF_KEPT} as facets
    `
    // Candidates come from the GIN index only. Left to itself the planner may walk the
    // published_at index filtering every row (or scan the table) when it overestimates how many
    // rows match, which on 100k rows costs hundreds of milliseconds; a bitmap scan never does.
    const { rows } = await this.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx)
      await sql`set local enable_indexscan = off`.execute(trx)
      return statement.execute(trx)
    })
    const row = rows[0]!
    return {
      hits: (row.hits ?? []).map((h) => ({ id: h.id, slug: h.slug, title: h.title, snippet: markedToHtml(h.snippet), score: h.score })),
      total: Number(row.total),
      // A full candidate list means more rows matched than were ranked.
      totalIsExact: Number(row.candidates) < cap,
      facets: toFacets(row.facets),
    }
  }

  /** No text: newest first, counted and faceted over at most `browseCount` rows. */
  private async browse(filters: SearchFilters, page: number, pageSize: number, sort: SearchQuery['sort']) {
    const where = filterSql(filters)
    const order = sort === 'updated' ? sql`f.updated_at desc, f.id` : sql`f.published_at desc, f.id`
    const orderPage = sort === 'updated' ? sql`p.updated_at desc, p.id` : sql`p.published_at desc, p.id`
    const sample = this.limits.browseCount
    const { rows } = await sql<RankedRow>`
      with kept as materialized (
        select f.theme, f.tags, f.laws, f.year from search_faqs f where ${where}
        order by f.published_at desc, f.id limit ${sample}
      )
      select
        (select count(*) from kept) as total,
        (select json_agg(json_build_object('id', p.id, 'slug', p.slug, 'title', p.title, 'snippet', p.snippet) order by ${orderPage})
          from (
            select f.id, f.slug, f.title, left(f.answer, 240) as snippet, f.published_at, f.updated_at
            from search_faqs f where ${where}
            order by ${order} limit ${pageSize} offset ${(page - 1) * pageSize}
          ) p) as hits,
        ${FACETS_OF_KEPT} as facets
    `.execute(this.db)
    const row = rows[0]!
    const total = Number(row.total)
    return {
      hits: (row.hits ?? []).map((h) => ({ id: h.id, slug: h.slug, title: h.title, snippet: escapeHtml(excerpt(h.snippet)) })),
      total,
      totalIsExact: total < sample,
      facets: toFacets(row.facets),
    }
  }
}

/** The visitor's query with each misspelled word (as folded) replaced by its correction; the rest as typed. */
function respell(q: string, fixes: Map<string, string>): string {
  return q
    .split(/(\s+)/)
    .map((token) => {
      const folded = words(token)
      return folded.length === 1 && fixes.has(folded[0]!) ? fixes.get(folded[0]!)! : token
    })
    .join('')
    .trim()
}

/** The start of a text cut at a word boundary. */
function excerpt(text: string, max = 200): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max)
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))} …`
}
