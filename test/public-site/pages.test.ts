import t from 'tap'
import { moderatorOf } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { signIn } from '../factories/accounts.js'
import { build } from '../helper.js'

const BROWSER = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-language': 'it-IT,it;q=0.9' }
const ORIGIN = 'https://forum.example.it'

/** The demo's FAQs, themes and forum days: what a visitor of a fresh `npm start` sees. */
const demo = (t: Parameters<typeof build>[0]) => build(t, { env: { DEMO_DATA: 'true', SEARCH_INDEXING_INTERVAL_MS: '3600000', PUBLIC_ORIGIN: ORIGIN } })

t.test('every FAQ URL in the API, the feed, the sitemap and both exports answers 200', async (t) => {
  const app = await demo(t)
  const fromApi = (await app.inject({ method: 'GET', url: '/api/v1/faqs?pageSize=50' })).json().hits.map((h: { slug: string }) => `/domande-e-risposte/${h.slug}`)
  const feed = (await app.inject({ method: 'GET', url: '/api/v1/faqs/feed.atom' })).body
  const fromFeed = [...feed.matchAll(/<link rel="alternate" type="text\/html" href="([^"]+)"/g)].map((m) => m[1]!)
  const sitemap = (await app.inject({ method: 'GET', url: '/sitemap.xml' })).body
  const fromSitemap = [...sitemap.matchAll(/<loc>([^<]+\/domande-e-risposte\/[^<]+)<\/loc>/g)].map((m) => m[1]!)
  const json = (await app.inject({ method: 'GET', url: '/api/v1/faqs/export.json' })).json()
  const fromJson = json.records.map((r: { url: string }) => r.url)
  const csv = (await app.inject({ method: 'GET', url: '/api/v1/faqs/export.csv' })).body
  const fromCsv = [...csv.matchAll(/;(https:\/\/forum\.example\.it\/domande-e-risposte\/[^;]+);/g)].map((m) => m[1]!)
  t.ok(fromApi.length >= 40 && fromFeed.length >= 40 && fromSitemap.length >= 40, 'each lists the demo FAQs')
  t.equal(fromJson.length, fromSitemap.length, 'the sitemap has every public FAQ')
  t.equal(fromCsv.length, fromJson.length, 'both exports have every public FAQ')
  const urls = new Set([...fromApi.map((p: string) => `${ORIGIN}${p}`), ...fromFeed, ...fromSitemap, ...fromJson, ...fromCsv])
  const failing: string[] = []
  for (const url of urls) {
    t.ok(url.startsWith(`${ORIGIN}/domande-e-risposte/`), url)
    const res = await app.inject({ method: 'GET', url: url.slice(ORIGIN.length), headers: BROWSER })
    if (res.statusCode !== 200) failing.push(`${url}: ${res.statusCode}`)
  }
  t.same(failing, [], `${urls.size} URLs checked`)
  t.match(sitemap, /<lastmod>\d{4}-\d{2}-\d{2}T/, 'each FAQ with its last change')
})

t.test('an FAQ page: question, answer, legal links, JSON-LD, canonical, and a 304 for an unchanged page', async (t) => {
  const app = await build(t, { env: { PUBLIC_ORIGIN: ORIGIN } })
  const faq = await publishedFaq(app)
  const res = await app.inject({ method: 'GET', url: faq.url, headers: BROWSER })
  t.equal(res.statusCode, 200)
  t.match(res.body, `<title>${faq.title} – Forum telematico ANCI</title>`)
  t.match(res.body, `<link rel="canonical" href="${ORIGIN}${faq.url}"/>`)
  t.match(res.body, '<meta property="og:type" content="article"/>')
  t.match(res.body, /<strong>regolamento anagrafico<\/strong>/, 'the answer rendered from Markdown')
  t.match(res.body, /href="https:\/\/www\.normattiva\.it\/[^"]+"/, 'legal references link to Normattiva')
  t.match(res.body, 'href="/api/v1/faqs/feed.atom"')
  t.match(res.body, /href="\/domande-e-risposte\?theme=servizi-demografici"[^>]*>Servizi demografici/, 'the theme leads back to a filtered search')
  t.match(res.body, /La domanda è stata posta da un comune [a-z ]+\./, 'the anonymous origin')
  const ld = JSON.parse(/<script type="application\/ld\+json">([^<]+)<\/script>/.exec(res.body)![1]!)
  t.match(ld, { '@type': 'FAQPage', mainEntity: { '@type': 'Question', name: faq.title, acceptedAnswer: { '@type': 'Answer' } } })
  t.equal(res.headers['cache-control'], 'public, max-age=300')
  const etag = String(res.headers.etag)
  const again = await app.inject({ method: 'GET', url: faq.url, headers: { ...BROWSER, 'if-none-match': etag } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
})

t.test('user text is escaped on every page, and search snippets keep only their <mark>', async (t) => {
  const app = await build(t)
  const faq = await publishedFaq(app, {
    title: 'Titolo con <script>alert(1)</script> e "virgolette" per il permesso di soggiorno',
    tags: ['<img src=x onerror=alert(1)>'],
  })
  const page = await app.inject({ method: 'GET', url: faq.url, headers: BROWSER })
  t.notMatch(page.body, '<script>alert(1)</script>')
  t.match(page.body, '&lt;script>alert(1)&lt;/script>')
  t.notMatch(page.body, '<img src=x')
  const search = await app.inject({ method: 'GET', url: '/domande-e-risposte?q=richiedente%20asilo', headers: BROWSER })
  t.match(search.body, faq.slug, 'the FAQ is found')
  t.notMatch(search.body, '<script>alert(1)</script>')
  t.match(search.body, /<mark>[^<]+<\/mark>/, 'the matched words are highlighted')
})

t.test('an unpublished FAQ is gone (410); a reserved one is for signed-in users only', async (t) => {
  const app = await build(t)
  const moderator = await moderatorOf(app)
  const withdrawn = await publishedFaq(app)
  await app.kb.unpublish(moderator.actor, withdrawn.slug, withdrawn.version)
  const gone = await app.inject({ method: 'GET', url: withdrawn.url, headers: BROWSER })
  t.equal(gone.statusCode, 410)
  t.match(gone.body, 'Questa risposta è stata ritirata')

  const reserved = await publishedFaq(app, { visibility: 'reserved', title: 'Convenzioni riservate con la prefettura per i CAS' })
  const anonymous = await app.inject({ method: 'GET', url: reserved.url, headers: BROWSER })
  t.equal(anonymous.statusCode, 404, 'the same answer as for a slug that never existed')
  t.match(anonymous.body, 'accedi per leggerle')
  const staff = await signIn(app, { role: 'staff' })
  const signedIn = await app.inject({ method: 'GET', url: reserved.url, headers: { ...BROWSER, ...staff.headers } })
  t.equal(signedIn.statusCode, 200)
  t.equal(signedIn.headers['cache-control'], 'no-store', 'never kept by a shared cache')
  t.match(signedIn.body, '<meta name="robots" content="noindex"/>')
})

t.test('search: results, "did you mean", filters as links, pagination, and a helpful empty page', async (t) => {
  const app = await demo(t)
  const typo = await app.inject({ method: 'GET', url: '/domande-e-risposte?q=rinovo+permesso+di+sogiorno', headers: BROWSER })
  t.equal(typo.statusCode, 200)
  t.match(typo.body, /Forse cercavi: <a href="[^"]+"><strong>rinnovo permesso di soggiorno<\/strong>/)
  t.match(typo.body, /risposte trovate/)
  const byTheme = await app.inject({ method: 'GET', url: '/domande-e-risposte?q=permesso&theme=anagrafe', headers: BROWSER })
  t.match(byTheme.body, /aria-current="true"[^>]*>Anagrafe</, 'the active filter is marked')
  t.match(byTheme.body, /Togli il filtro Tema: Anagrafe/)
  const browse = await app.inject({ method: 'GET', url: '/domande-e-risposte', headers: BROWSER })
  t.match(browse.body, /Le più recenti/)
  t.match(browse.body, /href="\/domande-e-risposte\?page=2"/, 'pagination links')
  const none = await app.inject({ method: 'GET', url: '/domande-e-risposte?q=xqzwvk', headers: BROWSER })
  t.match(none.body, 'Nessuna risposta per «xqzwvk»')
  t.match(none.body, 'Oppure sfoglia per tema')
  t.match(none.body, 'Le ultime risposte pubblicate')
  const bad = await app.inject({ method: 'GET', url: '/domande-e-risposte?page=0', headers: BROWSER })
  t.equal(bad.statusCode, 400)
  t.match(bad.headers['content-type'], /^text\/html/)
  t.match(bad.body, 'controlla il numero di pagina (page)', 'the parameter named as a visitor reads it')
  t.notMatch(bad.body, 'querystring')
  const api = await app.inject({ method: 'GET', url: '/api/v1/faqs?year=abc' })
  t.match(api.json(), { code: 'VALIDATION_FAILED', detail: /controlla l’anno \(year\)\.$/, errors: [{ field: 'querystring.year' }] })
})

t.test('home, forum calendar, open data, statements, robots and sign-in answer in Italian', async (t) => {
  const app = await demo(t)
  const home = await app.inject({ method: 'GET', url: '/', headers: BROWSER })
  t.match(home.body, 'Domande e risposte per i comuni')
  t.match(home.body, 'Accedi per fare una domanda', 'the open demo day invites to sign in')
  t.match(home.body, /Apertura: <time datetime="[^"]+">[a-zì]+ \d+ [a-z]+ \d{4}, ore \d\d:\d\d<\/time>/, 'Rome times in Italian')
  const forum = await app.inject({ method: 'GET', url: '/forum', headers: BROWSER })
  t.match(forum.body, 'Aperte ora')
  t.match(forum.body, /data-forum-day="[0-9a-f-]{36}"/)
  const openData = await app.inject({ method: 'GET', url: '/dati-aperti', headers: BROWSER })
  t.match(openData.body, 'punto e virgola')
  t.match(openData.body, 'CC BY 4.0')
  for (const path of ['/accessibilita', '/privacy', '/accedi']) t.equal((await app.inject({ method: 'GET', url: path, headers: BROWSER })).statusCode, 200, path)
  const privacy = await app.inject({ method: 'GET', url: '/privacy', headers: BROWSER })
  t.match(privacy.body, 'dopo 2 ore di inattività e comunque dopo 12 ore', 'the retention the configuration sets')
  const robots = await app.inject({ method: 'GET', url: '/robots.txt' })
  t.match(robots.body, `Sitemap: ${ORIGIN}/sitemap.xml`)
  t.match(robots.body, 'Disallow: /api/')
})
