import t from 'tap'
import { MeilisearchSearchIndex, meiliFilter, meiliQuery, stopWordForms, toMeiliDocument } from '../../src/search/meilisearch-search-index.js'
import { InvalidSearchFilterError } from '../../src/search/search-index.js'
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

  t.test('a filter value with a backslash matches; one that cannot be written is a bad request', async (t) => {
    const index = await freshMeilisearchIndex(t)
    const doc = faqDoc({ tags: ['art. 5\\bis'] })
    await index.upsert([doc, faqDoc()])
    const found = await index.search({ q: '', filters: { visibility: ['public'], tag: 'art. 5\\bis' }, page: 1, pageSize: 10 })
    t.same(found.hits.map((h) => h.id), [doc.id])
    await t.rejects(index.search({ q: '', filters: { visibility: ['public'], tag: 'ends with \\' }, page: 1, pageSize: 10 }), InvalidSearchFilterError)
  })

  t.test('a reindex whose new index cannot be configured leaves no index behind', async (t) => {
    const index = await freshMeilisearchIndex(t)
    const before = (await index.client.getIndexes({ limit: 1000 })).results.map((i) => i.uid)
    await t.rejects(index.swapIn(async () => {
      throw new Error('build failed')
    }))
    const after = (await index.client.getIndexes({ limit: 1000 })).results.map((i) => i.uid)
    t.same(after.filter((uid) => uid.startsWith(`${index.indexUid}_next_`)), [], 'no leftover index')
    t.same(after.sort(), before.sort())
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

t.test('stop words are declared in every written form, since Meilisearch matches them before folding', async (t) => {
  const forms = new Set(stopWordForms())
  for (const word of ['il', 'Il', 'IL', 'Per', 'perché', 'perchè', 'è', 'È', 'più']) t.ok(forms.has(word), word)
})

t.test('synonyms and derived forms are expanded on the document side, whatever the case and accents', async (t) => {
  const doc = toMeiliDocument(faqDoc({ title: "RILASCIO DELLA CARTA D'IDENTITÀ ELETTRONICA E DEL PERMESSO DI SOGGIORNO", question: "Adesione alla rete SAI?" }))
  for (const word of ['cie', 'pds', 'sprar', 'siproimi', 'aderire']) t.match(doc.synonyms, new RegExp(`\\b${word}\\b`), word)
  t.notMatch(doc.synonyms, /\bdi\b/, 'no stop words')
})

t.test('filter values keep their backslashes; one before a quote or at the end is refused as invalid', async (t) => {
  t.same(meiliFilter({ visibility: ['public'], theme: 'a\\b' }), ['visibility IN ["public"]', 'theme = "a\\b"'])
  t.throws(() => meiliFilter({ visibility: ['public'], tag: 'x\\' }), InvalidSearchFilterError)
  t.throws(() => meiliFilter({ visibility: ['public'], law: 'x\\"y' }), InvalidSearchFilterError)
})
