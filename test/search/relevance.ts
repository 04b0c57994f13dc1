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
  /** Share of queries with an expected FAQ in the top k. */
  recall: number
  /** Share of queries with an expected FAQ first. */
  top1: number
  /** Mean reciprocal rank of the first expected FAQ within the top 10 (0 when absent). */
  mrr: number
  misses: Array<{ q: string; expected: string[]; top: string[] }>
}

/** top-1, recall@k and MRR over the given queries (the relevance set by default), with the queries that missed the top k. */
export async function recallAt(index: SearchIndex, k = 3, queries: RelevanceQuery[] = relevanceQueries()): Promise<RecallReport> {
  const misses: RecallReport['misses'] = []
  let first = 0
  let reciprocal = 0
  for (const { q, expected } of queries) {
    const result = await index.search({ q, filters: { visibility: ['public'] }, page: 1, pageSize: Math.max(k, 10) })
    const ranked = result.hits.map((h) => h.id)
    const rank = ranked.findIndex((id) => expected.includes(id))
    if (rank === 0) first += 1
    if (rank >= 0) reciprocal += 1 / (rank + 1)
    if (rank < 0 || rank >= k) misses.push({ q, expected, top: ranked.slice(0, k) })
  }
  const n = queries.length
  return { recall: (n - misses.length) / n, top1: first / n, mrr: reciprocal / n, misses }
}
