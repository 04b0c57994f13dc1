import type { GeneratedAlways } from 'kysely'

/** The PostgreSQL search engine's copy of a published FAQ (see migration 2026-11-22T1200). */
export interface SearchFaqsTable {
  id: string
  slug: string
  title: string
  question: string
  answer: string
  theme: string
  tags: string[]
  laws: string[]
  year: number
  visibility: 'public' | 'reserved'
  forumDayId: string | null
  scopeRegion: string | null
  publishedAt: Date
  updatedAt: Date
  keywords: string
  document: GeneratedAlways<string>
}

export interface SearchVocabularyTable {
  word: string
}
