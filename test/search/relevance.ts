import { readFileSync } from 'node:fs'
import type { FaqSearchDocument, SearchIndex } from '../../src/search/search-index.js'

export interface RelevanceFaq {
  id: string
  title: string
  question: string
  answer: string
  theme: string
  tags: string[]
  laws: string[]
}

/** A visitor's query and the FAQs that answer it: recall@3 counts a query found when any of them is in the top 3. */
export interface RelevanceQuery {
  q: string
  expected: string[]
}

const fixture = (name: string) => new URL(`../fixtures/relevance/${name}`, import.meta.url)
// The FAQs double as the embedded demo's knowledge base, so they live with the demo data.
const DEMO_FAQS = new URL('../../src/knowledge-base/demo/faqs.json', import.meta.url)

export const relevanceFaqs = (): RelevanceFaq[] => JSON.parse(readFileSync(DEMO_FAQS, 'utf8')) as RelevanceFaq[]
export const relevanceQueries = (): RelevanceQuery[] => JSON.parse(readFileSync(fixture('queries.json'), 'utf8')) as RelevanceQuery[]

/** The relevance FAQs as index documents, published a day apart (dates only break ties). */
export function relevanceDocuments(): FaqSearchDocument[] {
  return relevanceFaqs().map((faq, i) => {
    const at = new Date(Date.UTC(2024, 0, 1 + i, 9))
    return {
      ...faq,
      slug: faq.id,
      year: at.getUTCFullYear(),
      visibility: 'public',
      forumDayId: null,
      scopeRegion: null,
      publishedAt: at,
      updatedAt: at,
    }
  })
}

export interface RecallReport {
  recall: number
  misses: Array<{ q: string; expected: string[]; top: string[] }>
}

/** recall@k over the relevance queries, with the queries that missed. */
export async function recallAt(index: SearchIndex, k = 3): Promise<RecallReport> {
  const queries = relevanceQueries()
  const misses: RecallReport['misses'] = []
  for (const { q, expected } of queries) {
    const result = await index.search({ q, filters: { visibility: ['public'] }, page: 1, pageSize: k })
    const top = result.hits.map((h) => h.id)
    if (!expected.some((id) => top.includes(id))) misses.push({ q, expected, top })
  }
  return { recall: (queries.length - misses.length) / queries.length, misses }
}
