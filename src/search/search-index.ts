/**
 * The SearchIndex port: what the knowledge base needs from a search engine. Two real adapters
 * implement it (PostgreSQL full-text search, Meilisearch) and one contract suite
 * (test/search/contract.ts) holds them to the same behaviour.
 */

export const VISIBILITIES = ['public', 'reserved'] as const
export type Visibility = (typeof VISIBILITIES)[number]

/** A published FAQ as the index sees it: plain text only, no Markdown or HTML. */
export interface FaqSearchDocument {
  id: string
  slug: string
  title: string
  question: string
  /** Plain text of the answer. */
  answer: string
  theme: string
  tags: string[]
  /** Normalised citation keys, e.g. "D.Lgs. 142/2015". */
  laws: string[]
  year: number
  visibility: Visibility
  forumDayId: string | null
  /** Region the answer is valid for; null when national. */
  scopeRegion: string | null
  publishedAt: Date
  updatedAt: Date
}

export interface SearchFilters {
  theme?: string
  tag?: string
  law?: string
  year?: number
  /** What the caller may see: anonymous visitors pass ['public'] only. Never empty. */
  visibility: Visibility[]
  forumDayId?: string
}

export interface SearchQuery {
  /** Free text; empty or missing lists newest first. */
  q?: string
  filters: SearchFilters
  /** 1-based. */
  page: number
  pageSize: number
  /** Relevance for a text query, newest first otherwise. */
  sort?: 'relevance' | 'newest' | 'updated'
}

export interface SearchHit {
  id: string
  slug: string
  title: string
  /** HTML: the matched words wrapped in <mark>…</mark>, everything else escaped. */
  snippet: string
  /** Engine-specific relevance score, only comparable within one response. */
  score?: number
}

export interface SearchFacets {
  theme: Record<string, number>
  tags: Record<string, number>
  laws: Record<string, number>
  year: Record<string, number>
}

export interface SearchResult {
  hits: SearchHit[]
  /** Matching documents; a lower bound when `totalIsExact` is false (see the adapter). */
  total: number
  totalIsExact: boolean
  facets: SearchFacets
  page: number
  pageSize: number
  /** The query with its misspelled words replaced by the words the engine searched instead, when it did ("did you mean"). */
  suggestion?: string
}

export interface SimilarOptions {
  visibility: Visibility[]
  limit: number
}

export interface SearchIndex {
  readonly kind: 'postgres' | 'meilisearch'
  /** Creates or updates the index structure and settings (idempotent; run at start). */
  applySettings(): Promise<void>
  /** Inserts or replaces documents by id; resolves once they are searchable, throws otherwise. */
  upsert(documents: FaqSearchDocument[]): Promise<void>
  /** Removes documents by id (unknown ids are ignored); resolves once they are gone. */
  remove(ids: string[]): Promise<void>
  search(query: SearchQuery): Promise<SearchResult>
  /** FAQs about the same thing as a text (a draft question, another FAQ), best first. */
  similar(text: string, options: SimilarOptions): Promise<SearchHit[]>
  /** Rejects when the engine cannot answer. */
  health(): Promise<void>
}

/** A filter the engine cannot express or rejected as malformed: the caller's mistake, not an outage. */
export class InvalidSearchFilterError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidSearchFilterError'
  }
}

/** Escapes text for HTML, keeping nothing of the input as markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Highlight markers handed to the engines: private-use characters, stripped from indexed text. */
export const MARK_START = '\uE000'
export const MARK_END = '\uE001'
export const stripMarkers = (text: string) => text.replace(/[\uE000\uE001]/g, '')

/** The document's own fields, exactly, with the markers stripped from its text: what both engines store. */
export function indexableDocument(doc: FaqSearchDocument): FaqSearchDocument {
  return {
    id: doc.id,
    slug: doc.slug,
    title: stripMarkers(doc.title),
    question: stripMarkers(doc.question),
    answer: stripMarkers(doc.answer),
    theme: doc.theme,
    tags: doc.tags,
    laws: doc.laws,
    year: doc.year,
    visibility: doc.visibility,
    forumDayId: doc.forumDayId,
    scopeRegion: doc.scopeRegion,
    publishedAt: doc.publishedAt,
    updatedAt: doc.updatedAt,
  }
}

/** An engine's highlighted text as safe HTML: everything escaped, then only the markers become <mark>. */
export function markedToHtml(text: string): string {
  return escapeHtml(text).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>')
}

export const emptyFacets = (): SearchFacets => ({ theme: {}, tags: {}, laws: {}, year: {} })
