import type { GeneratedAlways } from 'kysely'
import type { FaqSearchDocument } from './search-index.js'

/** The PostgreSQL search engine's copy of a published FAQ (see migration 2026-11-22T1200). */
export interface SearchFaqsTable extends FaqSearchDocument {
  /** Synonyms, acronyms and citation forms added for matching. */
  keywords: string
  document: GeneratedAlways<string>
  /** Title and question only (migration 2026-12-01T1000). */
  head: GeneratedAlways<string>
}

export interface SearchVocabularyTable {
  word: string
}
