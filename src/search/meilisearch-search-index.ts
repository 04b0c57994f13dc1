import { Meilisearch, MeilisearchApiError, MeilisearchTaskTimeOutError, type EnqueuedTaskPromise, type Index, type IndexSwap, type Settings, type Task } from 'meilisearch'
import { ITALIAN_STOP_WORDS, citationTokens, contentWords, queryWords, stem, stemCompanion } from './italian.js'
import {
  MARK_END,
  MARK_START,
  emptyFacets,
  markedToHtml,
  indexableDocument,
  type FaqSearchDocument,
  type SearchFacets,
  type SearchFilters,
  type SearchHit,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
  type SimilarOptions,
  InvalidSearchFilterError,
} from './search-index.js'
import { derivedForms } from './derivations.js'
import { synonymExpansion } from './synonyms.js'

export interface MeilisearchOptions {
  host: string
  apiKey?: string
  /** Index uid; a reindex builds `<uid>_next_<time>` and swaps it in. */
  indexUid?: string
  /** How long a write may wait for Meilisearch to process it. */
  taskTimeoutMs?: number
}

/** What the engine stores per FAQ: the document plus the fields Meilisearch cannot derive itself. */
interface MeiliFaq extends Omit<FaqSearchDocument, 'publishedAt' | 'updatedAt'> {
  /** Milliseconds since the epoch: sortable numbers. */
  publishedAt: number
  updatedAt: number
  /** "142/2015" as one token ("n142a2015"): Meilisearch splits words at the slash. */
  citations: string
  /** Italian Snowball stems of the text: Meilisearch does not stem Italian. */
  stems: string
  /**
   * The other ways of saying what the FAQ says (synonyms and acronyms, stop words left out),
   * expanded on the document side (the PostgreSQL engine expands the query instead): Meilisearch's own synonyms drop
   * stop words from a multi-word synonym while the text keeps their positions, so "permesso di
   * soggiorno" never met "pds", and it looks synonyms up only for runs of 2-3 query words.
   */
  synonyms: string
}

const MAX_TOTAL_HITS = 10_000
/** Meilisearch only reads the first ten words of a query. */
const MAX_QUERY_WORDS = 10

/** The index settings, declared here and applied by applySettings(). */
export const MEILISEARCH_SETTINGS: Settings = {
  // In order of weight: a word in the title counts more than one in the answer.
  searchableAttributes: ['title', 'question', 'tags', 'laws', 'citations', 'theme', 'synonyms', 'stems', 'answer'],
  filterableAttributes: ['theme', 'tags', 'laws', 'year', 'visibility', 'forumDayId'],
  sortableAttributes: ['publishedAt', 'updatedAt'],
  displayedAttributes: ['id', 'slug', 'title', 'question', 'answer', 'publishedAt'],
  stopWords: stopWordForms(),
  // Expanded on the document side instead (see MeiliFaq.synonyms).
  synonyms: {},
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 }, disableOnAttributes: ['citations'] },
  localizedAttributes: [{ attributePatterns: ['*'], locales: ['ita'] }],
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
  faceting: { maxValuesPerFacet: 100 },
}

/**
 * The stop words in every form a text may write them: Meilisearch compares stop words with the
 * words as written, before lower-casing and accent folding, so "Il", "Per", "perché" and "è"
 * were indexed as words. Our list is folded; this adds capitalised, upper-case and accented forms.
 */
export function stopWordForms(): string[] {
  const accents: Record<string, string[]> = { a: ['à'], e: ['è', 'é'], i: ['ì'], o: ['ò'], u: ['ù'] }
  const forms = new Set<string>()
  for (const word of ITALIAN_STOP_WORDS) {
    const variants = [word, ...(accents[word.at(-1)!] ?? []).map((accented) => word.slice(0, -1) + accented)]
    for (const v of variants) {
      forms.add(v)
      forms.add(v.charAt(0).toUpperCase() + v.slice(1))
      forms.add(v.toUpperCase())
    }
  }
  return [...forms].sort()
}

export class SearchEngineError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'SearchEngineError'
  }
}

/**
 * Waits for a Meilisearch task and throws a SearchEngineError unless it succeeded. A task that
 * outlives the wait is cancelled (best effort), so a retry does not race a write still pending.
 */
async function settled(task: EnqueuedTaskPromise, timeout: number, what: string, client?: Meilisearch): Promise<Task> {
  let done: Task
  try {
    done = await task.waitTask({ timeout })
  } catch (err) {
    if (err instanceof MeilisearchTaskTimeOutError) {
      await client?.tasks.cancelTasks({ uids: [err.cause.taskUid] }).catch(() => undefined)
      throw new SearchEngineError(`Meilisearch ${what} not done within ${timeout} ms (task ${err.cause.taskUid} cancelled)`, { cause: err })
    }
    throw new SearchEngineError(`Meilisearch ${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
  if (done.status !== 'succeeded') {
    throw new SearchEngineError(`Meilisearch ${what} ${done.status}: ${done.error?.message ?? 'no error message'}`, { cause: done.error })
  }
  return done
}

export function toMeiliDocument(doc: FaqSearchDocument): MeiliFaq {
  const text = `${doc.title}\n${doc.question}\n${doc.answer}`
  return {
    ...indexableDocument(doc),
    publishedAt: doc.publishedAt.getTime(),
    updatedAt: doc.updatedAt.getTime(),
    citations: citationTokens(`${text}\n${doc.laws.join('\n')}`).join(' '),
    stems: stemCompanion(`${text}\n${doc.tags.join('\n')}`),
    synonyms: contentWords(
      queryWords(
        [
          synonymExpansion(`${doc.title} . ${doc.question} . ${doc.tags.join(' . ')} . ${doc.theme}`),
          synonymExpansion(doc.answer),
          synonymExpansion(citationTokens(`${text}\n${doc.laws.join('\n')}`).join(' . ')),
          // Derived forms the stemmer keeps apart ("adesione" also says "aderire").
          [...new Set(queryWords(`${doc.title} ${doc.question}`).flatMap(derivedForms))].join(' '),
        ].join(' ; '),
      ),
    ).join(' '),
  }
}

/**
 * The query as Meilisearch should see it: citation shapes as their token, and the stems of
 * the words put first so that the visitor's own last word stays last (Meilisearch matches the last
 * word as a prefix).
 */
export function meiliQuery(q: string): string {
  const list = queryWords(q)
  const stems = [...new Set(contentWords(list).map(stem).filter((s) => !list.includes(s)))]
  const trailingSpace = /\s$/.test(q)
  return [...stems, ...list].slice(-MAX_QUERY_WORDS).join(' ') + (trailingSpace ? ' ' : '')
}

/**
 * A filter value as a quoted string. The server unescapes only `\"`, so a backslash is passed as
 * it is (escaping it as `\\` made such values never match); a backslash that would read as
 * escaping the quote after it cannot be written, and the filter is refused as invalid.
 */
function quote(value: string): string {
  if (/\\$/.test(value) || value.includes('\\"')) throw new InvalidSearchFilterError(`filter value not expressible in Meilisearch: ${JSON.stringify(value)}`)
  return `"${value.replace(/"/g, '\\"')}"`
}

export function meiliFilter(filters: SearchFilters): string[] {
  const filter = [`visibility IN [${filters.visibility.map(quote).join(', ')}]`]
  if (filters.theme !== undefined) filter.push(`theme = ${quote(filters.theme)}`)
  if (filters.tag !== undefined) filter.push(`tags = ${quote(filters.tag)}`)
  if (filters.law !== undefined) filter.push(`laws = ${quote(filters.law)}`)
  if (filters.year !== undefined) filter.push(`year = ${Math.trunc(filters.year)}`)
  if (filters.forumDayId !== undefined) filter.push(`forumDayId = ${quote(filters.forumDayId)}`)
  return filter
}

function toFacets(distribution: Record<string, Record<string, number>> | undefined): SearchFacets {
  return { ...emptyFacets(), ...(distribution ?? {}) }
}

/** The Meilisearch engine (production), through the official client. */
export class MeilisearchSearchIndex implements SearchIndex {
  readonly kind = 'meilisearch' as const
  readonly client: Meilisearch
  readonly indexUid: string
  private readonly timeout: number

  constructor(options: MeilisearchOptions) {
    this.client = new Meilisearch({ host: options.host, apiKey: options.apiKey, timeout: 10_000 })
    this.indexUid = options.indexUid ?? 'faqs'
    this.timeout = options.taskTimeoutMs ?? 30_000
  }

  private get index(): Index<MeiliFaq> {
    return this.client.index<MeiliFaq>(this.indexUid)
  }

  async health(): Promise<void> {
    await this.client.health()
  }

  async applySettings(): Promise<void> {
    await this.configure(this.indexUid)
  }

  private async configure(uid: string): Promise<void> {
    const created = await this.client.createIndex(uid, { primaryKey: 'id' }).waitTask({ timeout: this.timeout })
    if (created.status !== 'succeeded' && created.error?.code !== 'index_already_exists') {
      throw new SearchEngineError(`Meilisearch index creation ${created.status}: ${created.error?.message ?? ''}`, { cause: created.error })
    }
    await settled(this.client.index(uid).updateSettings(MEILISEARCH_SETTINGS), this.timeout, 'settings update', this.client)
  }

  async upsert(documents: FaqSearchDocument[]): Promise<void> {
    if (documents.length === 0) return
    await settled(this.index.addDocuments(documents.map(toMeiliDocument), { primaryKey: 'id' }), this.timeout, 'document upsert', this.client)
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return
    await settled(this.index.deleteDocuments(ids), this.timeout, 'document removal', this.client)
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const page = Math.max(1, Math.floor(query.page))
    const pageSize = Math.max(1, Math.floor(query.pageSize))
    if (query.filters.visibility.length === 0) return { hits: [], total: 0, totalIsExact: true, facets: emptyFacets(), page, pageSize }
    const q = query.q?.trim() ? meiliQuery(query.q) : ''
    const sort = !q || query.sort === 'newest' ? ['publishedAt:desc'] : query.sort === 'updated' ? ['updatedAt:desc'] : undefined
    const response = await this.searching(q, {
      filter: meiliFilter(query.filters),
      sort,
      page,
      hitsPerPage: pageSize,
      facets: ['theme', 'tags', 'laws', 'year'],
      matchingStrategy: 'frequency',
      ...this.highlighting(),
    })
    const total = response.totalHits
    return {
      hits: response.hits.map((hit) => this.toHit(hit)),
      total,
      totalIsExact: total < MAX_TOTAL_HITS,
      facets: toFacets(response.facetDistribution),
      page,
      pageSize,
    }
  }

  async similar(text: string, options: SimilarOptions): Promise<SearchHit[]> {
    if (options.visibility.length === 0) return []
    // The ten most telling words of the text (the longest distinct stems) make the query.
    const seen = new Set<string>()
    const words = contentWords(queryWords(text)).filter((w) => {
      const s = stem(w)
      if (seen.has(s)) return false
      seen.add(s)
      return true
    })
    const q = [...words].sort((a, b) => b.length - a.length).slice(0, MAX_QUERY_WORDS).join(' ')
    if (!q) return []
    const response = await this.index.search(q, {
      filter: meiliFilter({ visibility: options.visibility }),
      limit: options.limit,
      matchingStrategy: 'frequency',
      rankingScoreThreshold: 0.2,
      ...this.highlighting(),
    })
    return response.hits.map((hit) => this.toHit(hit))
  }

  /**
   * Rebuilds the index atomically: `build` writes every document into a fresh index with the same
   * settings, which then replaces the live one in one swap; searches never see a half-built index.
   */
  async swapIn(build: (writer: { upsert(documents: FaqSearchDocument[]): Promise<void> }) => Promise<void>): Promise<void> {
    await this.configure(this.indexUid)
    const next = `${this.indexUid}_next_${Date.now()}`
    try {
      // Inside the try: a new index whose settings failed is deleted too, not left behind.
      await this.configure(next)
      await build({
        upsert: async (documents) => {
          if (documents.length === 0) return
          await settled(this.client.index(next).addDocuments(documents.map(toMeiliDocument), { primaryKey: 'id' }), this.timeout, 'reindex batch', this.client)
        },
      })
      // No `rename` field: it exists only from Meilisearch 1.18, and older servers reject unknown fields.
      const swap = { indexes: [this.indexUid, next] } as IndexSwap
      await settled(this.client.swapIndexes([swap]), this.timeout, 'index swap', this.client)
    } finally {
      // After the swap `next` holds the old documents; before it, a failed build. Either way it goes.
      await settled(this.client.deleteIndex(next), this.timeout, 'old index deletion', this.client).catch(() => undefined)
    }
  }

  /** A search whose rejected filter becomes an InvalidSearchFilterError (a 400, not an outage). */
  private async searching<P extends NonNullable<Parameters<Index<MeiliFaq>['search']>[1]>>(q: string, params: P) {
    try {
      return await this.index.search<MeiliFaq, P>(q, params)
    } catch (err) {
      if (err instanceof MeilisearchApiError && err.cause?.code === 'invalid_search_filter') {
        throw new InvalidSearchFilterError(err.cause.message, { cause: err })
      }
      throw err
    }
  }

  /** Deletes the index (tests, and operators starting over). */
  async drop(): Promise<void> {
    await this.client.deleteIndexIfExists(this.indexUid)
  }

  private highlighting() {
    return {
      attributesToHighlight: ['answer'],
      attributesToCrop: ['answer'],
      cropLength: 30,
      cropMarker: '…',
      highlightPreTag: MARK_START,
      highlightPostTag: MARK_END,
      showRankingScore: true,
    }
  }

  private toHit(hit: MeiliFaq & { _formatted?: Partial<MeiliFaq>; _rankingScore?: number }): SearchHit {
    // The cropped answer carries only our markers as markup; everything else is escaped.
    const snippet = markedToHtml(hit._formatted?.answer ?? hit.answer)
    return { id: hit.id, slug: hit.slug, title: hit.title, snippet, score: hit._rankingScore }
  }
}
