import t from 'tap'
import { cachedSearchIndex } from '../../src/search/cached-search-index.js'
import type { SearchIndex } from '../../src/search/search-index.js'
import { faqDoc, searchIndexContract } from './contract.js'
import { freshPostgresIndex } from './postgres-index.js'

// Through the cache, with a TTL longer than any test: every behaviour of an engine holds for
// writes made through the same instance (they forget what the cache holds).
searchIndexContract(t, async (t) => cachedSearchIndex((await freshPostgresIndex(t)).index, 60_000))

/** The real engine, counting the searches that reach it. */
function counted(index: SearchIndex) {
  const calls = { search: 0, similar: 0 }
  const wrapped: SearchIndex = {
    ...index,
    kind: index.kind,
    applySettings: () => index.applySettings(),
    upsert: (docs) => index.upsert(docs),
    remove: (ids) => index.remove(ids),
    health: () => index.health(),
    search: (query) => (calls.search++, index.search(query)),
    similar: (text, options) => (calls.similar++, index.similar(text, options)),
  }
  return { wrapped, calls }
}

const query = (q: string, visibility: Array<'public' | 'reserved'> = ['public']) => ({ q, filters: { visibility }, page: 1, pageSize: 10 })

t.test('identical searches within the time reach the engine once; different ones do not share', async (t) => {
  const { index } = await freshPostgresIndex(t)
  const { wrapped, calls } = counted(index)
  const cached = cachedSearchIndex(wrapped, 60_000)
  await cached.upsert([faqDoc({ title: 'Permesso di soggiorno per motivi di lavoro' }), faqDoc({ title: 'Permesso riservato', visibility: 'reserved' })])
  const [a, b] = await Promise.all([cached.search(query('permesso')), cached.search(query('permesso'))])
  t.same(a, b)
  t.equal(calls.search, 1, 'concurrent identical searches share one engine call')
  const reserved = await cached.search(query('permesso', ['public', 'reserved']))
  t.equal(reserved.total, 2, 'another audience is another answer')
  t.equal(a.total, 1)
  await cached.similar('permesso di soggiorno lavoro', { visibility: ['public'], limit: 3 })
  await cached.similar('permesso di soggiorno lavoro', { visibility: ['public'], limit: 3 })
  t.equal(calls.similar, 1)
})

t.test('a write through the cache shows in the next search; a failure is not kept', async (t) => {
  const { index, db } = await freshPostgresIndex(t)
  const cached = cachedSearchIndex(index, 60_000)
  const doc = faqDoc({ title: 'Irreperibilità anagrafica' })
  t.equal((await cached.search(query('irreperibilità'))).total, 0)
  await cached.upsert([doc])
  t.equal((await cached.search(query('irreperibilità'))).total, 1, 'found right after the upsert')
  await cached.remove([doc.id])
  t.equal((await cached.search(query('irreperibilità'))).total, 0, 'gone right after the remove')
  await db.schema.alterTable('search_faqs').renameTo('search_faqs_away').execute()
  await t.rejects(cached.search(query('anagrafe')))
  await db.schema.alterTable('search_faqs_away').renameTo('search_faqs').execute()
  t.equal((await cached.search(query('anagrafe'))).total, 0, 'the engine is asked again once it is back')
})

t.test('with no time set the engine is used as it is', async (t) => {
  const { index } = await freshPostgresIndex(t)
  t.equal(cachedSearchIndex(index, 0), index)
})
