import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { moderatorOf } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { build, ManualClock } from '../helper.js'

const RINNOVO = {
  title: 'Rinnovo del permesso di soggiorno: la ricevuta vale come titolo?',
  question: 'Lo straniero in attesa del rinnovo del permesso di soggiorno può iscriversi in anagrafe con la sola ricevuta?',
  answer: "Sì: la ricevuta della domanda di rinnovo, presentata nei termini, consente l'iscrizione anagrafica (art. 5 del D.Lgs. 286/1998).",
  theme: 'servizi-demografici',
  tags: ['permesso di soggiorno', 'anagrafe'],
}
const SPRAR = {
  title: 'Come aderisce un piccolo comune alla rete SPRAR?',
  question: 'Un comune sotto i 5.000 abitanti può attivare un progetto di accoglienza SPRAR insieme ad altri comuni?',
  answer: "Sì, anche in forma associata tramite l'Unione di Comuni, presentando domanda di contributo al Ministero dell'Interno.",
  theme: 'modelli-organizzativi',
  tags: ['SPRAR', 'Unioni di Comuni'],
}

t.test('visitors search the knowledge base with typos, acronyms and facets', async (t) => {
  const app = await build(t)
  await publishedFaq(app, RINNOVO)
  await publishedFaq(app, SPRAR)

  const pds = await app.inject({ method: 'GET', url: '/api/v1/faqs?q=rinnovo%20pds' })
  t.equal(pds.statusCode, 200)
  t.match(pds.json(), { total: 1, hits: [{ title: RINNOVO.title, snippet: /<mark>/ }] })

  const typo = await app.inject({ method: 'GET', url: '/api/v1/faqs?q=ricevutta%20rinnovo' })
  t.match(typo.json().hits, [{ title: RINNOVO.title }], 'a misspelled word still finds its FAQ')

  const sai = await app.inject({ method: 'GET', url: '/api/v1/faqs?q=progetto%20SAI%20piccolo%20comune' })
  t.match(sai.json().hits, [{ title: SPRAR.title }], 'SAI finds SPRAR')

  const all = (await app.inject({ method: 'GET', url: '/api/v1/faqs' })).json()
  t.equal(all.total, 2)
  t.same(all.hits.map((h: { title: string }) => h.title), [SPRAR.title, RINNOVO.title], 'no query: newest first')
  t.equal(all.facets.theme[RINNOVO.theme], 1)
  t.equal(all.facets.laws['D.Lgs. 286/1998'], 1)

  const byLaw = await app.inject({ method: 'GET', url: `/api/v1/faqs?law=${encodeURIComponent('D.Lgs. 286/1998')}` })
  t.same(byLaw.json().hits.map((h: { title: string }) => h.title), [RINNOVO.title])
  const byTag = await app.inject({ method: 'GET', url: `/api/v1/faqs?tag=SPRAR` })
  t.same(byTag.json().hits.map((h: { title: string }) => h.title), [SPRAR.title])
})

t.test('searches arriving together each get their own hits, read from the database', async (t) => {
  const app = await build(t)
  await publishedFaq(app, RINNOVO)
  await publishedFaq(app, SPRAR)
  const queries = ['rinnovo pds', 'rete SPRAR', 'ricevuta rinnovo', 'piccolo comune accoglienza', 'nessuna corrispondenza xyzzy']
  const alone = []
  for (const q of queries) alone.push((await app.inject({ method: 'GET', url: `/api/v1/faqs?q=${encodeURIComponent(q)}` })).json().hits)
  // Sent at once, several rounds over: their hit rows are read in shared statements.
  const together = await Promise.all(
    [1, 2, 3].flatMap(() => queries.map(async (q) => (await app.inject({ method: 'GET', url: `/api/v1/faqs?q=${encodeURIComponent(q)}` })).json().hits)),
  )
  t.same(together, [...alone, ...alone, ...alone], 'each answer is the one it gets alone')
  t.ok(alone[0].length > 0 && alone[1].length > 0 && alone[4].length === 0, 'the queries do find different things')
})

t.test('an FAQ page lists related FAQs', async (t) => {
  const app = await build(t)
  const first = await publishedFaq(app, RINNOVO)
  await publishedFaq(app, { ...RINNOVO, title: 'Permesso di soggiorno scaduto e rinnovo in corso: iscrizione anagrafica', tags: ['permesso di soggiorno'] })
  const page = (await app.inject({ method: 'GET', url: `/api/v1/faqs/${first.slug}` })).json()
  t.match(page.related, [{ title: 'Permesso di soggiorno scaduto e rinnovo in corso: iscrizione anagrafica' }])
  t.notOk(page.related.some((r: { slug: string }) => r.slug === first.slug), 'never itself')
})

t.test('moderators see the most frequent queries and those that found nothing, with no identity stored', async (t) => {
  const clock = new ManualClock(new Date('2026-11-18T10:00:00Z'))
  const app = await build(t, { clock })
  await publishedFaq(app, RINNOVO)
  const staff = await signIn(app, { role: 'staff' })
  for (const q of ['rinnovo pds', 'Rinnovo  PDS', 'rinnovo pds']) await app.inject({ method: 'GET', url: `/api/v1/faqs?q=${encodeURIComponent(q)}` })
  await app.inject({ method: 'GET', url: '/api/v1/faqs?q=bonus%20bebè', headers: staff.headers })
  await app.inject({ method: 'GET', url: '/api/v1/faqs' })

  const moderator = await moderatorOf(app)
  const res = await app.inject({ method: 'GET', url: '/api/v1/search-analytics?weeks=2', headers: moderator.headers })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    weeks: [
      {
        weekStart: '2026-11-16',
        frequent: [
          { query: 'rinnovo pds', searches: 3, zeroResultSearches: 0 },
          { query: 'bonus bebè', searches: 1, zeroResultSearches: 1 },
        ],
        zeroResults: [{ query: 'bonus bebè', searches: 1, zeroResultSearches: 1 }],
      },
    ],
  })
  const { rows } = await (await import('kysely')).sql<Record<string, unknown>>`select * from search_query_stats`.execute(app.ports.db)
  t.same(Object.keys(rows[0] ?? {}).sort(), ['query', 'searches', 'weekStart', 'zeroResultSearches'], 'no user, session or address column')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/search-analytics', headers: staff.headers })).statusCode, 403)
})

t.test('the Atom feed and the open-data exports carry the public FAQs', async (t) => {
  const app = await build(t)
  const faq = await publishedFaq(app, RINNOVO)
  await publishedFaq(app, { ...SPRAR, visibility: 'reserved' })

  const feed = await app.inject({ method: 'GET', url: '/api/v1/faqs/feed.atom' })
  t.equal(feed.statusCode, 200)
  t.match(feed.headers['content-type'], 'application/atom+xml')
  t.match(feed.body, `/domande-e-risposte/${faq.slug}`)
  t.equal(feed.body.match(/<entry>/g)?.length, 1, 'reserved FAQs stay out')

  const csv = await app.inject({ method: 'GET', url: '/api/v1/faqs/export.csv' })
  t.match(csv.headers['content-type'], 'text/csv')
  t.match(csv.headers['content-disposition'], 'attachment')
  const lines = csv.body.trim().split('\r\n')
  t.equal(lines.length, 2)
  t.ok(csv.body.startsWith('\uFEFF'), 'a UTF-8 byte-order mark for spreadsheets')
  t.match(lines[0], /^slug;url;titolo;domanda;risposta;tema;tag;riferimenti_normativi/)

  const json = await app.inject({ method: 'GET', url: '/api/v1/faqs/export.json' })
  t.match(json.json(), { license: { name: 'CC BY 4.0' }, records: [{ slug: faq.slug, riferimenti_normativi: 'D.Lgs. 286/1998' }] })
  t.equal(json.json().records.length, 1)
})

t.test('search rejects bad paging and filters with a problem', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/api/v1/faqs?page=0&pageSize=500&year=abc' })
  t.equal(res.statusCode, 400)
  t.same(res.json().errors.map((e: { field: string }) => e.field).sort(), ['querystring.page', 'querystring.pageSize', 'querystring.year'])
})
