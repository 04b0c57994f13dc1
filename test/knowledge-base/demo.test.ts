import t from 'tap'
import { build } from '../helper.js'

t.test('the embedded demo publishes a few dozen FAQs, searchable from the very first request', async (t) => {
  // A long indexing interval: only the start-up drain can have indexed them.
  const app = await build(t, { env: { DEMO_DATA: 'true', SEARCH_INDEXING_INTERVAL_MS: '3600000' } })
  const all = (await app.inject({ method: 'GET', url: '/api/v1/faqs' })).json()
  t.ok(all.total >= 40, `${all.total} FAQs listed`)
  const found = (await app.inject({ method: 'GET', url: '/api/v1/faqs?q=rinnovo%20pds' })).json()
  t.ok(found.hits.length > 0, 'the search hinted at start finds something')
  t.match(found.hits[0].title, /permesso|rinnovo/i)
})
