import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../db/database.js'
import { createTtlCache } from '../shared/ttl-cache.js'
import { derivedForms } from './derivations.js'
import { citationTokens, contentWords, isStopWord, queryWords, slashParts, stem, withoutActKinds, words } from './italian.js'
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
import { analyseQuery, type Form, type Frequencies, type Term } from './postgres-query-analysis.js'

/**
 * Limits that keep a query's cost bounded without letting storage order choose what is ranked.
 *
 * Ranking every row that contains a common word ("comune" in half of 100,000 FAQs) is what makes
 * naive full-text search slow. Each query's terms are weighted by rarity (an IDF from the
 * engine's own document frequencies, `search_terms`). Without filters, candidates come from the
 * postings (see `postingsCandidates`). With filters, the rarest terms, as long as together they
 * occur in at most `candidates` FAQs, are searched exhaustively: every FAQ containing one of
 * them is ranked, so an FAQ matching the decisive word of a query is never cut. The remaining
 * common terms add, in order of relevance, FAQs with all of them in the title or question, FAQs
 * with all of them anywhere, and FAQs with any of them, each tier bounded by `candidates`. Only a
 * tier that reaches its bound is cut (there storage order picks), and then `total` and the facet
 * counts describe the ranked rows: a lower bound, flagged `totalIsExact: false`.
 */
export interface PostgresSearchLimits {
  /** Filtered searches: rows of rare terms searched exhaustively, and rows per common-term tier. */
  candidates: number
  /**
   * Unfiltered searches (postings): a term in at most this many FAQs has all its postings read,
   * a commoner one only this many, its strongest by impact.
   */
  postings: number
  /** Unfiltered searches: FAQs ranked beyond those of exhaustively read terms, best partial score first. */
  shortlist: number
  /**
   * Unfiltered searches: the pairs of words the visitor typed next to each other, rarest first,
   * have every FAQ that says them ranked, as long as together they occur in at most this many.
   */
  pairPostings: number
  /** Unfiltered searches: of the typed pairs too common to be read whole, the FAQs with them in their title, rarest pairs first, up to this many. */
  titlePairPostings: number
  /** Rows ranked finely (field weights, proximity) beyond the requested page. */
  rerank: number
  /** Empty query: rows counted, and newest rows whose facets are counted. */
  browseCount: number
  /** Filtered searches: a filter matching at most this many FAQs has every one of them tested. */
  filteredExhaustive: number
}

/** Filters selecting more FAQs than this count as selecting all of them (see filterSize). */
const FILTER_COUNT_BOUND = 20_000

const isFiltered = (filters: SearchFilters) => Object.entries(filters).some(([key, value]) => key !== 'visibility' && value !== undefined)

const DEFAULT_LIMITS: PostgresSearchLimits = { candidates: 2_000, postings: 1_000, shortlist: 300, pairPostings: 300, titlePairPostings: 100, rerank: 500, browseCount: 5_000, filteredExhaustive: 1_000 }

const exprOf = (t: Term) => t.forms.map((f) => f.expr).join(' | ')
const matchOf = (f: Form) => f.match ?? f.expr
const matchExpr = (t: Term) => t.forms.map(matchOf).join(' | ')

// How much a field's length moves a posting's impact (BM25's b): 0 not at all, 1 in proportion.
const LENGTH_NORMALIZATION = 0.75
// How much a word counts by where an FAQ says it: title (A), question (B), keywords (C: theme,
// tags, laws and citations, chosen by whoever curated the FAQ to say what it is about) and
// answer (D, where words occur in passing). Both the postings' impacts and ts_rank use them.
const FIELD_WEIGHTS = { A: 1.0, B: 0.5, C: 0.6, D: 0.1 } as const
// ts_rank takes them as D, C, B, A.
const RANK_WEIGHTS = `{${FIELD_WEIGHTS.D}, ${FIELD_WEIGHTS.C}, ${FIELD_WEIGHTS.B}, ${FIELD_WEIGHTS.A}}`
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`
// Weight of two query words found next to each other, relative to the words' own weights.
const PROXIMITY = 1
// Weight of each further field (title, question, keywords, answer) a query word is found in,
// relative to the word's own weight: an FAQ about something names it in the title or question,
// tags it and explains it again in the answer, while a text that has the word once, in passing,
// is less about it. 1 rather than 0.5 since session 24: queries written blind gained 3-4 points
// of top-1 among 100,000 FAQs, the tuned relevance set (fitted at 0.5) lost 4 (BENCHMARKS.md).
const FIELD_SPREAD = 1
// Weight, per word, of a curated tag of several words that the visitor typed whole ("test di
// italiano"): whoever curated the FAQ named it by the very phrase asked for, which no FAQ saying
// those words scattered over its text does.
const TYPED_TAG = 0.5
const MAX_SIMILAR_TERMS = 24
// Of a text's terms, the rarest this many rank related FAQs (see similar()).
const SIMILAR_RANKED_TERMS = 8
// At most this many FAQs with every one of those terms are read beyond the postings' bound.
const SIMILAR_EVERY_TERM = 50

/** Terms of a visitor's query: synonym phrases become one OR-term each, the last word is a prefix. */
export function queryTerms(q: string, { prefixLastWord = true } = {}): Term[] {
  const list = withoutActKinds(queryWords(q))
  const concepts = findConcepts(list)
  const terms: Term[] = []
  const endsWithWord = /[\p{L}\p{N}]$/u.test(q.trim()) && !/\s$/.test(q)
  let i = 0
  for (const concept of concepts) {
    for (; i < concept.start; i++) pushWord(list[i]!, i === list.length - 1)
    const phrases = concept.phrases.filter((p) => contentWords([...p]).length > 0)
    if (phrases.length > 0) {
      const typed = contentWords(list.slice(concept.start, concept.end)).join(' ')
      const forms = phrases.map((p) => ({ expr: phraseExpr(contentWords([...p])), match: strictPhraseExpr(p), words: contentWords([...p]) }))
      const typedForm = forms.findIndex((f) => f.words.join(' ') === typed)
      terms.push({ forms, ...(typedForm >= 0 && { typed: typedForm }) })
    }
    i = concept.end
  }
  for (; i < list.length; i++) pushWord(list[i]!, i === list.length - 1)
  return dedupe(terms)

  function pushWord(word: string, last: boolean) {
    if (isStopWord(word)) return
    const prefix = prefixLastWord && last && endsWithWord && word.length >= 3 && !/^\d+$/.test(word) && !/^n\d+a\d{4}$/.test(word)
    const own = prefix ? `${word}:*` : word
    // Derived forms the stemmer keeps apart ("aderire" also finds "adesione").
    const derived = derivedForms(word)
    terms.push({
      forms: [own, ...derived].map((w) => ({ expr: w, words: [w] })),
      typed: 0,
      word: /^[a-z]{4,}$/.test(word) ? word : undefined,
      prefix,
    })
  }
}

// A phrase's words are ANDed, not matched as a phrase (<->): phrase and weight operators make
// PostgreSQL recheck every GIN match against the stored tsvector, which is what costs on 100k rows.
const phraseExpr = (words: readonly string[]) => (words.length === 1 ? words[0]! : `(${words.join(' & ')})`)

/**
 * The same phrase with its words in order, as far apart as the stop words between them
 * ("permesso di soggiorno" -> permesso <2> soggiorno): evaluated only on ranked candidates, so a
 * text that merely contains "permesso" and, elsewhere, "soggiorno" does not count as saying it.
 */
function strictPhraseExpr(phrase: readonly string[]): string {
  let expr = ''
  let gap = 0
  for (const word of phrase) {
    gap += 1
    if (isStopWord(word)) continue
    expr = expr === '' ? word : `${expr} <${gap}> ${word}`
    gap = 0
  }
  return `(${expr})`
}

/** A to_tsquery expression with every lexeme restricted to one field weight ("a <2> b:*" -> "a:A <2> b:*A"). */
const inWeight = (expr: string, weight: string) =>
  expr.replace(/(?<![<\d])([a-z0-9]+)(:\*)?(?![\d>])/g, (_m, word: string, star?: string) => `${word}:${star ? '*' : ''}${weight}`)

function dedupe(terms: Term[]): Term[] {
  const seen = new Set<string>()
  return terms.filter((t) => {
    // Two words with one stem ("permesso permessi") are one term.
    const key = t.word ? stem(t.word) + (t.prefix ? ':*' : '') : exprOf(t)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Words to index for a document beside its own text: tags, laws, theme, citations and the
 * citations' other names. Synonyms of the text itself are not added: the query expands them
 * (queryTerms), and adding them here as well made a rare synonym as common as its common partner
 * ("naturalizzazione" in every FAQ saying "cittadinanza"), so the word the visitor typed lost
 * the weight of its rarity.
 */
export function documentKeywords(doc: FaqSearchDocument): string {
  const text = `${doc.title}\n${doc.question}\n${doc.answer}\n${doc.tags.join('\n')}\n${doc.laws.join('\n')}`
  return [
    doc.theme,
    doc.tags.join(' ; '),
    doc.laws.join(' ; '),
    citationTokens(text).join(' '),
    slashParts(text),
    // "D.Lgs. 286/1998" is also the TUI: synonyms of the citation tokens.
    synonymExpansion(citationTokens(text).join(' . ')),
  ].join(' ; ')
}

const tsq = (expr: string) => sql`to_tsquery('italian', ${expr})`
/** A tsquery matching any of the terms, or every one of them. */
const anyTerm = (list: Term[]) => tsq(list.map((t) => `(${exprOf(t)})`).join(' | '))
const everyTerm = (list: Term[]) => tsq(list.map((t) => `(${exprOf(t)})`).join(' & '))

/**
 * A tsvector column of `f` read once per row. A document's tsvector (about 2 KB) is stored
 * compressed, and PostgreSQL decompresses it again for every operator that reads the column:
 * ranking tests it against each form of each term, twenty times a row and more. Concatenated with
 * an empty vector in a subquery kept apart by `offset 0`, it is decompressed once and the copy is
 * what every test reads (two thirds of a search's time among 100,000 FAQs went to the repeats).
 */
const detoasted = (column: 'document' | 'head') => sql`f.${sql.raw(column)} || ''::tsvector as ${sql.raw(column)}`

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

/**
 * Words a visitor's question is phrased with rather than about. Not stop words (PostgreSQL's list
 * keeps them, and an FAQ can be about what happens "dopo"), but never weighed as rarer than a word
 * in 30% of FAQs: among 100,000 generated FAQs "quando" was in 15%, rarer than "lavoro" or "asilo",
 * so "quando può lavorare un richiedente asilo" preferred titles that said "quando può".
 */
const PHRASING_WORDS: ReadonlySet<string> = new Set(['quando', 'puo', 'posso', 'possono', 'puoi', 'deve', 'devono', 'devo', 'dopo', 'prima', 'serve', 'servono', 'bisogna', 'occorre', 'cosa'])
const PHRASING_WORD_SHARE = 0.3

/** The words of the form the visitor typed, when the term records one. */
const typedWords = (term: Term) => (term.typed === undefined ? undefined : term.forms[term.typed]!.words)

/** How many words the visitor typed for a term (a synonym phrase counts its content words). */
const typedWordCount = (term: Term) => typedWords(term)?.length ?? 1

function isPhrasing(term: Term): boolean {
  const typed = typedWords(term)
  return typed?.length === 1 && PHRASING_WORDS.has(typed[0]!.replace(/:\*$/, ''))
}

/** The weight of each form of each term, and of each term: BM25's idf of what the index holds. */
function termWeights(terms: Term[], { formDf, total: docs }: Frequencies): { formWeight: number[][]; idf: number[] } {
  // BM25's idf: a word in every FAQ weighs almost nothing, a word in one FAQ of 100,000 about 11.
  const idfOf = (n: number) => Math.log(1 + (docs - n + 0.5) / (n + 0.5))
  // Each form of a term weighs by its own rarity, but never more than the form the visitor typed:
  // "naturalizzazione" found as itself outweighs "cittadinanza", its common synonym, while a
  // query for "cittadinanza" does not prefer the rarer synonym to the word asked for.
  const formWeight = terms.map((t, i) => {
    const floor = isPhrasing(t) ? PHRASING_WORD_SHARE * docs : 0
    const weigh = (n: number) => idfOf(Math.max(n, floor))
    const ceiling = weigh(t.typed === undefined ? Math.max(0, ...formDf[i]!) : formDf[i]![t.typed]!)
    return formDf[i]!.map((n) => Math.min(weigh(n), ceiling))
  })
  // A term's weight: the most any of its forms found in some FAQ can bring.
  const idf = formWeight.map((weights, i) => Math.max(0, ...weights.filter((_, j) => formDf[i]![j]! > 0)))
  return { formWeight, idf }
}

interface RankedRow {
  total: number
  hits: Array<{ id: string; slug: string; title: string; snippet: string; score: number }> | null
  facets: FacetRow[] | null
}

const toHit = (h: NonNullable<RankedRow['hits']>[number]): SearchHit => ({ id: h.id, slug: h.slug, title: h.title, snippet: markedToHtml(h.snippet), score: h.score })

/** The FAQs saying pair `k.pair` (those of `where`), counted up to one more than `bound`. */
const pairCount = (where: RawBuilder<unknown>, bound: number) =>
  sql`(select count(*) from (select 1 from search_pair_postings c where c.pair = k.pair ${where} limit ${bound + 1}::int) n)`

/** The pairs of `list` (pair, n), rarest first, `whole` while together they are in at most `bound` FAQs. */
const withinBound = (list: string, bound: number) =>
  sql`select pair, sum(n) over (order by n, pair) <= ${bound}::int as whole from ${sql.table(list)} where n > 0`

/** The PostgreSQL full-text search engine (the embedded default). */
export class PostgresSearchIndex implements SearchIndex {
  readonly kind = 'postgres' as const
  private readonly limits: PostgresSearchLimits
  private readonly filterSizes = createTtlCache<number | undefined>(60_000, { maxKeys: 1_000 })

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
    const ids = rows.map((r) => r.id)
    const vocabulary = new Set<string>()
    for (const doc of documents) {
      for (const w of words(`${doc.title} ${doc.question} ${doc.answer} ${doc.tags.join(' ')} ${doc.theme}`)) {
        if (w.length >= 4 && !/\d/.test(w)) vocabulary.add(w)
      }
    }
    await this.inTransaction(async (trx) => {
      await countTerms(trx, ids, -1)
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
      await countTerms(trx, ids, 1)
      await writePostings(trx, ids)
      await writePairPostings(trx, ids)
      await sql`insert into search_vocabulary (word) select unnest(${[...vocabulary].sort()}::text[]) on conflict do nothing`.execute(trx)
    })
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return
    await this.inTransaction(async (trx) => {
      await countTerms(trx, ids, -1)
      await trx.deleteFrom('searchFaqs').where('id', 'in', ids).execute()
    })
  }

  /** Empties the index (a reindex starts from here). */
  async clear(): Promise<void> {
    await sql`truncate search_faqs, search_vocabulary, search_terms, search_field_lengths, search_postings, search_pair_postings`.execute(this.db)
  }

  /**
   * Runs `work` in a transaction, or in the caller's when this index was built on one (a reindex
   * rebuilds inside a single transaction, and Kysely cannot nest them).
   */
  private inTransaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? work(this.db) : this.db.transaction().execute(work)
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const page = Math.max(1, Math.floor(query.page))
    const pageSize = Math.max(1, Math.floor(query.pageSize))
    const base = { page, pageSize }
    if (query.filters.visibility.length === 0) return { ...base, hits: [], total: 0, totalIsExact: true, facets: emptyFacets() }
    const terms = query.q ? queryTerms(query.q) : []
    if (terms.length === 0) return { ...base, ...(await this.browse(query.filters, page, pageSize, query.sort)) }
    const filtered = isFiltered(query.filters)
    const [{ terms: corrected, fixes, frequencies }, selected] = await Promise.all([
      analyseQuery(this.db, terms, { correct: true }),
      filtered ? this.filterSize(query.filters) : undefined,
    ])
    // Two words need both; longer queries need most of their weight (a question in everyday words
    // has words no FAQ uses), relaxed to the best weight any candidate reaches. Weights are by
    // rarity, so the decisive word of a query is never the one allowed to be missing. Words, not
    // terms: "permesso lungo periodo requisiti" is two terms, but the FAQ on that permit need not
    // say "requisiti".
    const share = corrected.reduce((n, t) => n + typedWordCount(t), 0) <= 2 ? 1 : 0.6
    const offset = (page - 1) * pageSize
    const typed = queryWords(query.q ?? '').join(' ')
    let result = await this.ranked(corrected, frequencies, share, query.filters, offset, pageSize, { selected, typed })
    if (!result.totalIsExact && result.total < offset + pageSize && filtered) {
      result = await this.ranked(corrected, frequencies, share, query.filters, offset, pageSize, { selected, typed, fallback: true })
    }
    return { ...base, ...result, ...(fixes.size > 0 ? { suggestion: respell(query.q!, fixes) } : {}) }
  }

  /**
   * Related FAQs: those sharing enough of a text's rarest terms, ranked by the terms' impacts in
   * the postings (rarity times how prominently each FAQ says them, as BM25 would), without
   * opening any FAQ's tsvector but the few shown, for their snippets. A search ranks finer; the
   * related FAQs of every FAQ page and of a clerk's question as it is typed need not, and ranked
   * as a search they cost tens of milliseconds of the database per page.
   */
  async similar(text: string, options: SimilarOptions): Promise<SearchHit[]> {
    if (options.visibility.length === 0) return []
    const all = queryTerms(text, { prefixLastWord: false }).slice(0, MAX_SIMILAR_TERMS)
    if (all.length === 0) return []
    // What a text is about is in its rarer words: ranking on them alone costs a fraction of
    // ranking on every word, and the common ones would only add noise to "related".
    const { frequencies } = await analyseQuery(this.db, all, { correct: false })
    const kept = all
      .map((_, i) => i)
      .filter((i) => frequencies.df[i]! > 0)
      .sort((a, b) => frequencies.df[a]! - frequencies.df[b]! || a - b)
      .slice(0, SIMILAR_RANKED_TERMS)
    if (kept.length === 0) return []
    const terms = kept.map((i) => all[i]!)
    const { formWeight, idf } = termWeights(terms, { ...frequencies, formDf: kept.map((i) => frequencies.formDf[i]!) })
    // One row per word of each form; a form of several words ("sistema di accoglienza") counts
    // where the FAQ has all of them, at the impact of the weakest.
    const words = terms.flatMap((t, i) =>
      t.forms.flatMap((form, j) => form.words.map((word) => ({ i: i + 1, j: j + 1, word: word.replace(/:\*$/, ''), weight: formWeight[i]![j]! }))),
    )
    // A text says more than a query: a third of its weight in common, or a third of its terms,
    // is already "about the same thing".
    const required = idf.reduce((sum, w) => sum + w, 0) / 3 - 1e-9
    const requiredCount = terms.length / 3 - 1e-9
    // A common word's postings are read strongest first, up to a bound: then an FAQ that says
    // every term, none of them strongly, comes from the full-text index instead (a few).
    const cut = kept.some((i) => frequencies.wordDf[i]!.some((form) => form.some((n) => n > this.limits.postings)))
    const withEveryTerm = sql`
      select w.i, w.j, w.lexeme, w.weight, p.faq_id, p.impact
      from (
        select f.id from search_faqs f
        where f.document @@ ${everyTerm(terms)} and ${filterSql({ visibility: options.visibility })}
        limit ${SIMILAR_EVERY_TERM}
      ) e
      join search_postings p on p.faq_id = e.id join words w on w.lexeme = p.lexeme`
    const { rows } = await sql<{ hits: RankedRow['hits'] }>`
      with words as (
        select i, j, lexeme, max(weight) as weight
        from (
          select q.i, q.j, q.weight, (tsvector_to_array(to_tsvector('italian', q.word)))[1] as lexeme
          from unnest(${words.map((w) => w.i)}::int[], ${words.map((w) => w.j)}::int[], ${words.map((w) => w.word)}::text[], ${words.map((w) => w.weight)}::float8[])
            as q(i, j, word, weight)
        ) q
        where lexeme is not null
        group by i, j, lexeme
      ),
      form_words as (select i, j, count(*) as n from words group by i, j),
      read as (
        select w.i, w.j, w.lexeme, w.weight, p.faq_id, p.impact
        from words w, lateral (
          select p.faq_id, p.impact from search_postings p where p.lexeme = w.lexeme
          order by p.impact desc limit ${this.limits.postings}::int
        ) p
        ${cut ? sql`union all ${withEveryTerm}` : sql``}
      ),
      -- Most FAQs read come up under one term only and cannot be related: one cheap pass keeps
      -- those that might be (as many rows as terms needed, or as much weight counting every row:
      -- weights are BM25 idfs, never negative), and only they are de-duplicated (the GIN tier
      -- reads some FAQs the postings did) and grouped by term and form.
      maybe as (
        select faq_id from read group by faq_id
        having sum(weight) >= ${required}::float8 or count(*) >= ${requiredCount}::float8
      ),
      posted as (
        select i, j, faq_id, count(*) as n, min(impact) as impact, max(weight) as weight
        from (select distinct * from read where faq_id in (select faq_id from maybe)) r
        group by i, j, faq_id
      ),
      term_hits as (
        select p.i, p.faq_id, max(p.weight * p.impact) as weight, max(p.weight) as found_weight
        from posted p join form_words w on w.i = p.i and w.j = p.j and w.n = p.n
        group by p.i, p.faq_id
      ),
      related as (
        select faq_id, sum(weight) as weight from term_hits group by faq_id
        having sum(found_weight) >= ${required}::float8 or count(*) >= ${requiredCount}::float8
      ),
      page as (
        select r.faq_id as id, r.weight, f.published_at
        from related r join search_faqs f on f.id = r.faq_id
        where ${filterSql({ visibility: options.visibility })}
        order by r.weight desc, f.published_at desc, f.id
        limit ${options.limit}
      )
      select json_agg(json_build_object(
          'id', f.id, 'slug', f.slug, 'title', f.title, 'score', p.weight,
          'snippet', ts_headline('italian', f.question || ' ' || f.answer, ${anyTerm(terms)}, ${HEADLINE_OPTIONS})
        ) order by p.weight desc, p.published_at desc, p.id) as hits
      from page p join search_faqs f on f.id = p.id
    `.execute(this.db)
    return (rows[0]?.hits ?? []).map(toHit)
  }

  /**
   * How many FAQs a filter selects, counted up to FILTER_COUNT_BOUND (beyond it, as if all) and
   * kept a minute per filter: it tells how many FAQs with every query word the filter should
   * hold, the bound on the GIN tiers. An estimate, so a minute's staleness is harmless.
   */
  private filterSize(filters: SearchFilters): Promise<number | undefined> {
    return this.filterSizes.get(JSON.stringify(filters), async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from (select 1 from search_faqs f where ${filterSql(filters)} limit ${FILTER_COUNT_BOUND}) x
      `.execute(this.db)
      const n = rows[0]!.n
      return n < FILTER_COUNT_BOUND ? n : undefined
    })
  }

  private async ranked(
    terms: Term[],
    frequencies: Frequencies,
    share: number,
    filters: SearchFilters,
    offset: number,
    limit: number,
    { fallback = false, selected, typed = '' }: { fallback?: boolean; selected?: number; typed?: string } = {},
  ): Promise<Omit<SearchResult, 'page' | 'pageSize'>> {
    const cap = this.limits.candidates
    const { df, wordDf, total: docs } = frequencies
    const { formWeight, idf } = termWeights(terms, frequencies)
    const any = anyTerm(terms)
    const where = filterSql(filters)
    const tiers: Array<{ name: string; query: RawBuilder<unknown>; bound: number }> = []
    const filtered = isFiltered(filters)
    const postings = this.postingsCandidates(terms, wordDf, formWeight)
    // The postings read a common term's strongest FAQs only, one term at a time: an FAQ that
    // says every word of the query, none of them in its title, can be missing from each list.
    // FAQs with every word the index knows, or all but one, come from the GIN index (a bitmap
    // AND of the words' lists, a few milliseconds) whenever, words being independent, they
    // should be few (within the filter, if any); when they are many, the postings' strongest
    // FAQs are what should rank.
    const known = terms.flatMap((term, i) => (df[i]! > 0 ? [{ term, p: Math.min(1, df[i]! / Math.max(1, docs)) }] : []))
    const inFilter = selected === undefined ? docs : Math.min(docs, selected)
    const expected = (list: typeof known) => inFilter * list.reduce((product, t) => product * t.p, 1)
    const leaveOneOut = known.map((_, skip) => known.filter((_, i) => i !== skip))
    if (known.length >= 2 && expected(known) <= cap) {
      tiers.push({ name: 'every', query: sql`f.document @@ ${everyTerm(known.map((k) => k.term))}`, bound: cap })
    }
    if (known.length >= 3 && leaveOneOut.reduce((sum, list) => sum + expected(list), 0) <= cap) {
      const most = tsq(leaveOneOut.map((list) => `(${list.map((k) => `(${exprOf(k.term)})`).join(' & ')})`).join(' | '))
      tiers.push({ name: 'most', query: sql`f.document @@ ${most}`, bound: cap })
    }
    const tierCtes = tiers.map((tier) => sql`${sql.ref(`tier_${tier.name}`)} as materialized (select f.id from search_faqs f where ${tier.query} and ${where} limit ${tier.bound})`)
    const relevant = sql.join([sql`select id from posting_candidates`, ...tiers.map((tier) => sql`select id from ${sql.ref(`tier_${tier.name}`)}`)], sql` union `)
    // A tier that reached its bound was cut: more rows matched than were ranked.
    const cutSomewhere = sql`(${postings.cut}::boolean ${sql.join(
      tiers.map((tier) => sql` or (select count(*) from ${sql.ref(`tier_${tier.name}`)}) >= ${tier.bound}`),
      sql``,
    )})`
    let candidates: RawBuilder<unknown>
    let capped: RawBuilder<unknown>
    if (!filtered) {
      candidates = sql`${postings.sql}, ${sql.join([...tierCtes, sql`candidates as (${relevant})`])}`
      capped = cutSomewhere
    } else {
      // A filter that matches at most `filteredExhaustive` FAQs (a forum day, a law, a rare tag)
      // has every one of them tested: exact, and nothing else is read. A broader one (a theme, a
      // year) keeps what the postings found within it: the strongest FAQs by relevance. When
      // those fill less than the page (the filter holds few of the words' strongest FAQs), the
      // search runs again with its matches from the GIN index as found (`fallback`).
      const narrow = this.limits.filteredExhaustive
      const everyKnown = known.length > 0 ? everyTerm(known.map((k) => k.term)) : any
      const filter = [
        sql`in_filter as materialized (select f.id from search_faqs f where ${where} limit ${narrow + 1})`,
        sql`filter_is_narrow as materialized (select count(*) <= ${narrow} as yes from in_filter)`,
        sql`tier_narrow as materialized (
          select f.id from search_faqs f
          where (select yes from filter_is_narrow) and f.id = any(array(select id from in_filter)) and f.document @@ ${any}
        )`,
      ]
      const narrowOrBroad = sql`candidates as (select id from tier_narrow union select id from tier_broad)`
      if (fallback) {
        candidates = sql`${sql.join([
          ...filter,
          sql`tier_broad as materialized (
            select id from (
              (select f.id from search_faqs f where f.document @@ ${everyKnown} and ${where} limit ${cap})
              union (select f.id from search_faqs f where f.document @@ ${any} and ${where} limit ${cap})
            ) b
            where not (select yes from filter_is_narrow)
          )`,
          narrowOrBroad,
        ])}`
        capped = sql`(not (select yes from filter_is_narrow) and (select count(*) from tier_broad) >= ${cap})`
      } else {
        candidates = sql`${postings.sql}, ${sql.join([
          ...tierCtes,
          ...filter,
          sql`tier_broad as materialized (
            select f.id from search_faqs f
            where not (select yes from filter_is_narrow) and f.id = any(array(${relevant})) and ${where}
          )`,
          narrowOrBroad,
        ])}`
        capped = sql`(not (select yes from filter_is_narrow) and ${cutSomewhere})`
      }
    }
    const present = (t: Term) => tsq(matchExpr(t))
    // Where each term's forms sit in the flat array of form presences (1-based, as in SQL).
    let slot = 0
    const formSlots = terms.map((t) => t.forms.map(() => ++slot))
    // Ranked form by form: ts_rank divides an OR query's rank by its number of words, so a synonym
    // concept of ten words found in the title would count for a tenth of a plain word. Only the
    // forms a row contains are ranked, and the tests below run only for the terms it contains.
    const bonus = terms.map(
      (t, i) =>
        sql`greatest(${sql.join(
          t.forms.map(
            (form, j) =>
              sql`case when s.hits[${formSlots[i]![j]!}] = 1 then ${formWeight[i]![j]!}::float8 * ts_rank(${RANK_WEIGHTS}, s.document, ${tsq(matchOf(form))}, 0) else 0 end`,
          ),
        )})`,
    )
    // Words of the query next to each other in the FAQ (a stop word apart at most): what tells a
    // text about "lungo periodo" from one that merely contains both words.
    for (let i = 0; i + 1 < terms.length; i++) {
      const [a, b] = [`(${matchExpr(terms[i]!)})`, `(${matchExpr(terms[i + 1]!)})`]
      bonus.push(
        sql`case when s.tw[${i + 1}] > 0 and s.tw[${i + 2}] > 0 then ${PROXIMITY / 2}::float8 * (s.tw[${i + 1}] + s.tw[${i + 2}]) * (s.document @@ ${tsq(`(${a} <-> ${b}) | (${a} <2> ${b})`)})::int else 0 end`,
      )
    }
    // Each term in more than one of title, question, keywords (theme, tags, laws, citations) and
    // answer (weights A, B, C, D of the document): a term frequency by field, which ts_rank's
    // field weights all but ignore once the word is in the title.
    terms.forEach((t, i) => {
      const inField = (weight: string) => sql`(s.document @@ ${tsq(inWeight(matchExpr(t), weight))})::int`
      bonus.push(
        sql`case when s.tw[${i + 1}] > 0 then ${FIELD_SPREAD}::float8 * s.tw[${i + 1}] * greatest(0, ${sql.join(['A', 'B', 'C', 'D'].map(inField), sql` + `)} - 1) else 0 end`,
      )
    })
    // A tag of several words, all typed (in any order, stop words aside), by how many words it has.
    // The typed words' lexemes in a subquery of their own: computed once, not once per row and tag.
    bonus.push(sql`${TYPED_TAG}::float8 * coalesce((
      select max(cardinality(w)) from (select tsvector_to_array(to_tsvector('italian', f_unaccent(g))) as w from unnest(s.tags) g) t
      where cardinality(w) > 1 and w <@ (select tsvector_to_array(to_tsvector('italian', f_unaccent(${typed}::text))))
    ), 0)`)
    // A term no FAQ contains cannot be required of any.
    const required = share * idf.reduce((sum, w, i) => (df[i]! > 0 ? sum + w : sum), 0) - 1e-9
    // ...or enough of the query's words, whatever their weight: one rare word in the wrong FAQ
    // must not exclude the FAQ with all the other words.
    // (Counted in typed words: a synonym phrase typed as three words counts as three.)
    const wordsOf = terms.map(typedWordCount)
    const requiredCount = share * wordsOf.reduce((sum, n, i) => (df[i]! > 0 ? sum + n : sum), 0) - 1e-9
    // The weight each term brings to a row: that of its weightiest form present (a rarer synonym,
    // a weaker derived form). The finer ranking below scales with it, not with the term's best.
    const termWeight = formSlots.map((slots, i) => sql`greatest(${sql.join(slots.map((k, j) => sql`${formWeight[i]![j]!}::float8 * hits[${k}]`))})`)
    const threshold = sql`matched >= least(${required}::float8, (select max(matched) from scored)) or found >= least(${requiredCount}::float8, (select max(found) from scored))`
    const statement = sql<RankedRow & { capped: boolean }>`
      with ${candidates},
      scored as materialized (
        select id, theme, tags, laws, year, published_at, hits, document,
          ${sql.join(termWeight, sql` + `)} as matched,
          array[${sql.join(termWeight)}] as tw,
          ${sql.join(
            formSlots.map((slots, i) => sql`${wordsOf[i]!}::int * greatest(${sql.join(slots.map((k) => sql`hits[${k}]`))})`),
            sql` + `,
          )} as found,
          ${sql.join(terms.map((_, i) => sql`${idf[i]!}::float8 * heads[${i + 1}]`), sql` + `)} as in_head
        from (
          select f.id, f.theme, f.tags, f.laws, f.year, f.published_at, f.document,
            array[${sql.join(terms.flatMap((t) => t.forms.map((form) => sql`(f.document @@ ${tsq(matchOf(form))})::int`)))}] as hits,
            array[${sql.join(terms.map((t) => sql`(f.head @@ ${present(t)})::int`))}] as heads
          from (
            select f.id, f.theme, f.tags, f.laws, f.year, f.published_at, ${detoasted('document')}, ${detoasted('head')}
            from search_faqs f where f.id = any(array(select id from candidates)) and ${where}
            offset 0
          ) f
        ) m
      ),
      kept as materialized (select * from scored where ${threshold}),
      -- The finer (costlier) ranking only for the best kept rows by weight, title and question first,
      -- on the tsvectors already read for them (reading them again cost as much as ranking them).
      shortlist as materialized (
        select id, matched, tw, hits, document, tags, published_at from kept order by matched + in_head desc, published_at desc, id limit ${offset + limit + this.limits.rerank}
      ),
      page as (
        select s.id, s.matched + ${sql.join(bonus, sql` + `)} as score, s.published_at
        from shortlist s
        order by score desc, s.published_at desc, s.id
        limit ${limit} offset ${offset}
      )
      select
        ${capped} as capped,
        (select count(*) from kept) as total,
        (select json_agg(json_build_object(
            'id', f.id, 'slug', f.slug, 'title', f.title, 'score', p.score,
            'snippet', ts_headline('italian', f.question || ' ' || f.answer, ${any}, ${HEADLINE_OPTIONS})
          ) order by p.score desc, f.published_at desc, f.id)
          from page p join search_faqs f on f.id = p.id) as hits,
        ${FACETS_OF_KEPT} as facets
    `
    // The fallback's candidates come from the GIN indexes only. Left to itself the planner may
    // walk the published_at index filtering every row (or scan the table) when it overestimates
    // how many rows match, which on 100k rows costs hundreds of milliseconds; a bitmap scan never
    // does. The other searches read the postings through index-only scans, which these settings
    // would turn off, and run as one statement, without a transaction's three extra round trips.
    // (Inside a caller's transaction the settings would outlive the query: leave them alone.) JIT
    // compilation, which alone would take tens of milliseconds on these cheap plans estimated
    // dear, is off for every connection (db/connect.ts).
    const { rows } =
      this.db.isTransaction || !fallback
        ? await statement.execute(this.db)
        : await this.db.transaction().execute(async (trx) => {
            await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`.execute(trx)
            return statement.execute(trx)
          })
    const row = rows[0]!
    return {
      hits: (row.hits ?? []).map(toHit),
      total: Number(row.total),
      // A tier that reached its bound was cut: more rows matched than were ranked.
      totalIsExact: !row.capped,
      facets: toFacets(row.facets),
    }
  }

  /**
   * Candidates from the postings: every posting of a term in at most `postings` FAQs (rare terms
   * are searched exhaustively, whatever the age or place of their FAQs), the `postings` strongest
   * of a commoner one (the FAQs that say it in the title, question and answer), and of the FAQs
   * found only through common terms the `shortlist` best by the sum of their impacts weighted by
   * IDF; and every FAQ that says a pair of words the visitor typed next to each other (see
   * queryPairs), rarest pairs first, as long as together they occur in at most `pairPostings`
   * FAQs, and of the commoner pairs the FAQs that say them in their title (`titlePairPostings`).
   * Reads a few index ranges; no FAQ's tsvector is opened before ranking.
   */
  private postingsCandidates(terms: Term[], wordDf: number[][][], formWeight: number[][]): { sql: RawBuilder<unknown>; cut: boolean } {
    const { postings, shortlist, pairPostings, titlePairPostings } = this.limits
    const pairs = queryPairs(terms)
    // The rarest forms, as long as together they occur in at most `postings` FAQs, are read
    // exhaustively through their rarest word (a phrase's FAQs all contain it). A rare form of a
    // common term counts too: a derived form or a correction is read whole though its term is not.
    const forms = terms.flatMap((t, i) => t.forms.map((_, j) => ({ i, j, df: Math.min(...wordDf[i]![j]!) })))
    const exhaustive = new Set<string>()
    let budget = postings
    for (const form of [...forms].sort((a, b) => a.df - b.df)) {
      if (form.df > budget) break
      const words = wordDf[form.i]![form.j]!
      exhaustive.add(`${form.i}/${form.j}/${words.indexOf(Math.min(...words))}`)
      budget -= form.df
    }
    const cut = exhaustive.size < forms.length
    const index: number[] = []
    const list: string[] = []
    const prefix: boolean[] = []
    const whole: boolean[] = []
    const weight: number[] = []
    terms.forEach((t, i) => {
      t.forms.forEach((form, j) => {
        form.words.forEach((w, k) => {
          index.push(i + 1)
          list.push(w.replace(/:\*$/, ''))
          prefix.push(w.endsWith(':*'))
          whole.push(exhaustive.has(`${i}/${j}/${k}`))
          weight.push(formWeight[i]![j]!)
        })
      })
    })
    const statement = sql`
      q as (
        select * from unnest(${index}::int[], ${list}::text[], ${prefix}::bool[], ${whole}::bool[], ${weight}::float8[])
          as q(i, word, prefix, whole, weight)
      ),
      lex as (
        select q.i, t.lexeme, bool_or(q.whole) as whole, max(q.weight) as weight
        from q, unnest(tsvector_to_array(to_tsvector('italian', q.word))) l,
          lateral (
            select t.lexeme from search_terms t
            where t.lexeme ~>=~ l and t.lexeme ~<~ (l || case when q.prefix then '{' else chr(1) end) and t.lexeme <> ''
            order by t.df desc limit 24
          ) t
        group by q.i, t.lexeme
      ),
      hits as (
        select l.i, p.faq_id, bool_or(l.whole) as whole, max(l.weight * p.impact) as weight
        from lex l, lateral (
          select p.faq_id, p.impact from search_postings p where p.lexeme = l.lexeme
          order by p.impact desc limit (case when l.whole then null else ${postings}::int end)
        ) p
        group by l.i, p.faq_id
      ),
      pair_words as (
        select * from unnest(${pairs.map((p) => p.a)}::text[], ${pairs.map((p) => p.b)}::text[]) as w(a, b)
      ),
      query_pairs as (
        select k.pair, ${pairCount(sql``, pairPostings)} as n
        from (
          select distinct (tsvector_to_array(to_tsvector('italian', w.a)))[1] || ' ' || (tsvector_to_array(to_tsvector('italian', w.b)))[1] as pair
          from pair_words w
        ) k
        where k.pair is not null
      ),
      pair_budget as (${withinBound('query_pairs', pairPostings)}),
      pair_candidates as (
        select p.faq_id from pair_budget q join search_pair_postings p on p.pair = q.pair where q.whole
      ),
      -- A pair too common to be read whole is still read where an FAQ's title says it (a few dozen
      -- FAQs among 100,000 for "iscrizione anagrafica", against a thousand in any field): the
      -- rarest such pairs first, as long as together they are in at most titlePairPostings titles.
      title_pairs as (
        select k.pair, ${pairCount(sql`and c.in_title`, titlePairPostings)} as n
        from pair_budget k where not k.whole
      ),
      title_budget as (${withinBound('title_pairs', titlePairPostings)}),
      title_pair_candidates as (
        select p.faq_id from title_budget q join search_pair_postings p on p.pair = q.pair and p.in_title where q.whole
      ),
      partial as (
        select faq_id, bool_or(whole) as rare, sum(weight) as weight
        from hits group by faq_id
      ),
      posting_candidates as materialized (
        select faq_id as id from partial where rare
        union all (select faq_id from partial where not rare order by weight desc, faq_id limit ${shortlist})
        union all select faq_id from pair_candidates
        union all select faq_id from title_pair_candidates
      )`
    return { sql: statement, cut }
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

/** At most this many word pairs of a query are looked up (a question of twenty words has nineteen). */
const MAX_QUERY_PAIRS = 16

/**
 * The pairs of words the visitor typed next to each other, as typed (the engine stems them): the
 * last word of each term's typed form with the first of the next term's, and the words inside a
 * typed phrase ("centro di accoglienza straordinaria"). Synonyms and derived forms are left out:
 * their pairs are the engine's expansions, not what was asked, and brought in FAQs that merely
 * use a common wording ("permessi di soggiorno") to outrank the one that says the typed words.
 */
export function queryPairs(terms: Term[]): Array<{ a: string; b: string }> {
  const typedWords = (term: Term | undefined) => (term?.typed === undefined ? undefined : term.forms[term.typed]!.words.map((w) => w.replace(/:\*$/, '')))
  const pairs: Array<{ a: string; b: string }> = []
  terms.forEach((term, i) => {
    const words = typedWords(term)
    if (!words) return
    for (let k = 0; k + 1 < words.length; k++) pairs.push({ a: words[k]!, b: words[k + 1]! })
    const next = typedWords(terms[i + 1])
    if (next) pairs.push({ a: words.at(-1)!, b: next[0]! })
  })
  return pairs.slice(0, MAX_QUERY_PAIRS)
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

/**
 * Replaces the postings of the stored FAQs `ids`: one per lexeme of the document, its impact how
 * strongly the FAQ says it, saturated to 0..1000. BM25F: each occurrence weighs as its field does
 * in ranking (FIELD_WEIGHTS), divided by how long that field is in this FAQ against its average
 * over the index (b = 0.75), so that a word in a short title
 * outweighs the same word in a long one. Without the lengths, every FAQ saying a word once in its
 * title and once in its answer had the same impact, and a common word's 1,000th place fell inside
 * a tie of hundreds. The averages are those of the moment the FAQ is indexed (countTerms keeps
 * them); a reindex brings every FAQ to today's. Migrations 2026-12-02T1000 and T1500 fill the table
 * alike.
 */
async function writePostings(db: Kysely<Database>, ids: string[]): Promise<void> {
  await sql`delete from search_postings where faq_id = any(${ids}::text[])`.execute(db)
  await sql`
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
        ${1 - LENGTH_NORMALIZATION}::float8 + ${LENGTH_NORMALIZATION}::float8 * count(*) filter (where x = 'A') / greatest(average.a, 1e-9) as a,
        ${1 - LENGTH_NORMALIZATION}::float8 + ${LENGTH_NORMALIZATION}::float8 * count(*) filter (where x = 'B') / greatest(average.b, 1e-9) as b,
        ${1 - LENGTH_NORMALIZATION}::float8 + ${LENGTH_NORMALIZATION}::float8 * count(*) filter (where x = 'C') / greatest(average.c, 1e-9) as c,
        ${1 - LENGTH_NORMALIZATION}::float8 + ${LENGTH_NORMALIZATION}::float8 * count(*) filter (where x = 'D') / greatest(average.d, 1e-9) as d
      from search_faqs f cross join average, unnest(f.document) u, unnest(u.weights) x
      where f.id = any(${ids}::text[])
      group by f.id, average.a, average.b, average.c, average.d
    )
    insert into search_postings (lexeme, faq_id, impact)
    select u.lexeme, f.id, round(1000 * s.w / (s.w + 0.4))::smallint
    from search_faqs f join norm n on n.id = f.id, unnest(f.document) u,
      lateral (select sum(case x
        when 'A' then ${FIELD_WEIGHTS.A}::float8 / n.a when 'B' then ${FIELD_WEIGHTS.B}::float8 / n.b
        when 'C' then ${FIELD_WEIGHTS.C}::float8 / n.c else ${FIELD_WEIGHTS.D}::float8 / n.d end) as w from unnest(u.weights) x) s
    order by 1, 2
  `.execute(db)
}

/**
 * Replaces the pair postings of the stored FAQs `ids`: each two lexemes next to each other in one
 * field (a stop word between them at most), marked when found in the title. The same query fills
 * the table in migrations 2026-12-02T0100 and 2026-12-03T0900.
 */
async function writePairPostings(db: Kysely<Database>, ids: string[]): Promise<void> {
  await sql`delete from search_pair_postings where faq_id = any(${ids}::text[])`.execute(db)
  await sql`
    with occurrences as (
      select f.id as faq_id, u.lexeme, p.pos, p.weight
      from search_faqs f, unnest(f.document) u, unnest(u.positions, u.weights) as p(pos, weight)
      where f.id = any(${ids}::text[])
    ),
    sequence as (
      select faq_id, lexeme, pos, weight,
        lead(lexeme) over w as next1, lead(pos) over w as pos1, lead(weight) over w as weight1,
        lead(lexeme, 2) over w as next2, lead(pos, 2) over w as pos2, lead(weight, 2) over w as weight2
      from occurrences window w as (partition by faq_id order by pos)
    )
    insert into search_pair_postings (pair, faq_id, in_title)
    select pair, faq_id, bool_or(weight = 'A') from (
      select faq_id, lexeme || ' ' || next1 as pair, weight from sequence where pos1 - pos <= 2 and weight1 = weight
      union all
      select faq_id, lexeme || ' ' || next2, weight from sequence where pos2 - pos <= 2 and weight2 = weight
    ) pairs
    group by pair, faq_id
    order by pair, faq_id
  `.execute(db)
}

/**
 * Adds (+1) or takes away (-1) the lexemes of the stored FAQs `ids` to the document frequencies,
 * and their occurrences to each field's length (search_field_lengths, for the postings' impacts).
 * Two statements, each locking its rows in key order: the sub-statements of one would run in no
 * set order, and two upserts at once could then lock the same rows in opposite orders.
 */
async function countTerms(db: Kysely<Database>, ids: string[], sign: 1 | -1): Promise<void> {
  await sql`
    insert into search_field_lengths (field, occurrences)
    select x::text, ${sign}::int * count(*) from search_faqs f, unnest(f.document) u, unnest(u.weights) x
    where f.id = any(${ids}::text[])
    group by 1
    order by 1
    on conflict (field) do update set occurrences = search_field_lengths.occurrences + excluded.occurrences
  `.execute(db)
  await sql`
    insert into search_terms (lexeme, df)
    select lexeme, ${sign}::int * count(*)::int from (
      select unnest(tsvector_to_array(f.document)) as lexeme from search_faqs f where f.id = any(${ids}::text[])
      union all select '' from search_faqs f where f.id = any(${ids}::text[])
    ) l
    group by lexeme
    order by lexeme
    on conflict (lexeme) do update set df = search_terms.df + excluded.df
  `.execute(db)
}
