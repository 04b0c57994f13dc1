import t from 'tap'
import { MeilisearchSearchIndex, meiliFilter, meiliQuery, toMeiliDocument } from '../../src/search/meilisearch-search-index.js'
import { faqDoc, searchIndexContract } from './contract.js'
import { MEILI_SKIP, freshMeilisearchIndex } from './meilisearch-index.js'

// The contract runs only against a real server (MEILI_HOST); the tests after it need none.
t.test('Meilisearch satisfies the search contract', { skip: MEILI_SKIP }, async (t) => {
  searchIndexContract(t, freshMeilisearchIndex)

  t.test('a reindex swaps in a complete new index atomically', async (t) => {
    const index = await freshMeilisearchIndex(t)
    const stale = faqDoc({ title: 'Cancellazione anagrafica obsoleta' })
    await index.upsert([stale])
    const fresh = faqDoc({ title: 'Cancellazione anagrafica aggiornata' })
    await index.swapIn(async (writer) => writer.upsert([fresh]))
    const found = await index.search({ q: 'cancellazione', filters: { visibility: ['public'] }, page: 1, pageSize: 10 })
    t.same(found.hits.map((h) => h.id), [fresh.id])
  })

  t.test('a failed task is an error, not a silent success', async (t) => {
    const index = await freshMeilisearchIndex(t)
    await t.rejects(index.upsert([{ ...faqDoc(), id: 'not a valid id!' }]), { name: 'SearchEngineError' })
  })
})

t.test('writes to an unreachable Meilisearch reject, so the outbox retries them', async (t) => {
  const index = new MeilisearchSearchIndex({ host: 'http://127.0.0.1:1', indexUid: 'faqs', taskTimeoutMs: 1_000 })
  await t.rejects(index.upsert([faqDoc()]))
  await t.rejects(index.health())
})

t.test('citations, stems and the last typed word are shaped for Meilisearch', async (t) => {
  t.equal(meiliQuery('dlgs 142/2015'), 'dlgs n142a2015')
  t.equal(meiliQuery('permessi anagr'), 'permess permessi anagr', 'stems first; the last word stays last (prefix)')
  const doc = toMeiliDocument(faqDoc({ answer: "Lo prevede l'art. 5 del D.Lgs. n. 142/2015.", laws: ['D.Lgs. 142/2015'] }))
  t.equal(doc.citations, 'n142a2015')
  t.match(doc.stems, /\bpreved\b/)
  t.same(meiliFilter({ visibility: ['public'], tag: 'say "hi"', year: 2024 }), ['visibility IN ["public"]', 'tags = "say \\"hi\\""', 'year = 2024'])
})
