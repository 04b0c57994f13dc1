import type { ColumnType, Generated, GeneratedAlways, JSONColumnType } from 'kysely'

/** A citation as stored with the FAQ (normalised by the legal-references recogniser). */
export interface StoredLegalReference {
  key: string
  label: string
  article?: string
  /** The act's date (YYYY-MM-DD) when the text or the curated table gives it. */
  date?: string
  text: string
}

type DateColumn = ColumnType<string, string, string>

export interface FaqsTable {
  id: Generated<string>
  slug: string
  title: string
  question: string
  answer: string
  theme: string
  tags: string[]
  legalReferences: JSONColumnType<StoredLegalReference[]>
  lawKeys: string[]
  scopeRegion: string | null
  visibility: 'public' | 'reserved'
  originDescription: string | null
  sourceQuestionId: string | null
  forumDayId: string | null
  state: Generated<'published' | 'unpublished'>
  publishedAt: Date
  updatedAt: Date
  answeredOn: DateColumn
  reviewBy: DateColumn | null
  reviewFlaggedAt: Date | null
  reviewReason: string | null
  duplicateCount: Generated<number>
  version: Generated<number>
  publishedBy: string
  updatedBy: string
}

export interface FaqRevisionsTable {
  faqId: string
  version: number
  snapshot: JSONColumnType<Record<string, unknown>>
  editedBy: string
  editedAt: Date
  note: string | null
}

export interface ActAmendmentsTable {
  id: Generated<string>
  lawKey: string
  amendedOn: DateColumn
  note: string
  recordedBy: string
  recordedAt: Date
}

export interface SearchOutboxTable {
  id: GeneratedAlways<number>
  faqId: string
  enqueuedAt: Generated<Date>
  attempts: Generated<number>
  nextAttemptAt: Generated<Date>
  lastError: string | null
  processedAt: Date | null
}

export interface SearchQueryStatsTable {
  weekStart: DateColumn
  query: string
  searches: Generated<number>
  zeroResultSearches: Generated<number>
}

/** A slug an FAQ had before (cut mid-word by an older rule): its page redirects to the current one. */
export interface FaqSlugRedirectsTable {
  oldSlug: string
  faqId: string
  createdAt: Generated<Date>
}
