import t, { type Test } from 'tap'
import type { SearchIndex } from '../../src/search/search-index.js'
import { MEILI_SKIP, freshMeilisearchIndex } from './meilisearch-index.js'
import { freshPostgresIndex } from './postgres-index.js'
import { recallAt, relevanceDocuments, relevanceFaqs, relevanceQueries } from './relevance.js'

const MIN_RECALL = 0.9

t.test('the relevance set is big enough to mean something', async (t) => {
  const faqs = relevanceFaqs()
  const queries = relevanceQueries()
  t.ok(faqs.length >= 40, `${faqs.length} FAQs`)
  t.ok(queries.length >= 60, `${queries.length} queries`)
  const ids = new Set(faqs.map((f) => f.id))
  t.equal(ids.size, faqs.length, 'FAQ ids are unique')
  t.same(queries.flatMap((q) => q.expected).filter((id) => !ids.has(id)), [], 'every expected FAQ exists')
})

async function checkRecall(t: Test, engine: string, index: SearchIndex) {
  await index.upsert(relevanceDocuments())
  const { recall, misses } = await recallAt(index, 3)
  t.comment(`${engine}: recall@3 = ${(recall * 100).toFixed(1)}% over ${relevanceQueries().length} queries`)
  for (const miss of misses) t.comment(`  missed "${miss.q}": expected ${miss.expected.join('|')}, got ${miss.top.join(', ') || 'nothing'}`)
  t.ok(recall >= MIN_RECALL, `${engine} recall@3 ${(recall * 100).toFixed(1)}% >= ${MIN_RECALL * 100}%`)
}

t.test('PostgreSQL search finds the right FAQ in the top 3 for at least 90% of the queries', async (t) => {
  await checkRecall(t, 'postgres', (await freshPostgresIndex(t)).index)
})

t.test('Meilisearch finds the right FAQ in the top 3 for at least 90% of the queries', { skip: MEILI_SKIP }, async (t) => {
  await checkRecall(t, 'meilisearch', await freshMeilisearchIndex(t))
})
