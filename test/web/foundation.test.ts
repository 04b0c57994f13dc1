import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t from 'tap'
import { build } from '../helper.js'

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'

const assetUrls = (html: string) => [...html.matchAll(/(?:href|src)="(\/assets\/[^"#]+)"/g)].map((m) => m[1]!)

t.test('pages link only hashed assets of this host, served for a year as immutable', async (t) => {
  const app = await build(t)
  const page = await app.inject({ method: 'GET', url: '/invito' })
  const urls = [...new Set(assetUrls(page.body))]
  t.ok(urls.length >= 4, `stylesheets, icon, script: ${urls.join(' ')}`)
  t.notMatch(page.body, /(?:href|src)="(?:https?:)?\/\/(?!www\.anci\.it)/, 'nothing loaded from another host')
  for (const url of urls) {
    t.match(url, /^\/assets\/[\w-]+\.[0-9a-f]{10}\.(css|js|svg)$/, 'a content hash in the name')
    const asset = await app.inject({ method: 'GET', url })
    t.equal(asset.statusCode, 200, url)
    t.match(asset.headers['cache-control'], /max-age=31536000.*immutable|immutable.*max-age=31536000/, `${url} is immutable`)
    t.equal(asset.headers['x-content-type-options'], 'nosniff')
  }
  const css = urls.find((u) => u.includes('/site.'))!
  const fonts = [...(await app.inject({ method: 'GET', url: css })).body.matchAll(/url\((\/assets\/[^)]+\.woff2)\)/g)].map((m) => m[1]!)
  t.ok(fonts.length >= 4, 'the design system fonts are ours to serve')
  const font = await app.inject({ method: 'GET', url: fonts[0]! })
  t.equal(font.headers['content-type'], 'font/woff2')
  t.equal((await app.inject({ method: 'GET', url: '/assets/site.0000000000.css' })).statusCode, 404, 'an old or made-up hash is not served')
})

t.test('text responses are compressed with brotli or gzip, as the client accepts', async (t) => {
  const app = await build(t)
  const page = await app.inject({ method: 'GET', url: '/invito' })
  const css = assetUrls(page.body).find((u) => u.includes('/bootstrap-italia.'))!
  const plain = await app.inject({ method: 'GET', url: css })
  const br = await app.inject({ method: 'GET', url: css, headers: { 'accept-encoding': 'br, gzip' } })
  t.equal(br.headers['content-encoding'], 'br')
  t.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body)
  t.ok(br.rawPayload.length < plain.rawPayload.length / 4, `${plain.rawPayload.length} bytes → ${br.rawPayload.length}`)
  const gzip = await app.inject({ method: 'GET', url: '/invito', headers: { 'accept-encoding': 'gzip' } })
  t.equal(gzip.headers['content-encoding'], 'gzip')
  t.match(gunzipSync(gzip.rawPayload).toString(), /<html lang="it">/)
  const json = await app.inject({ method: 'GET', url: '/api/v1/faqs', headers: { 'accept-encoding': 'gzip' } })
  t.equal(json.statusCode, 200)
  t.equal(json.headers['content-encoding'], undefined, 'small bodies (under 1 KB) are sent as they are')
})

t.test('pages carry a strict policy; HSTS only behind HTTPS (COOKIE_SECURE)', async (t) => {
  const plain = await build(t)
  const page = await plain.inject({ method: 'GET', url: '/invito' })
  const csp = String(page.headers['content-security-policy'])
  t.match(csp, "default-src 'none'")
  t.match(csp, "script-src 'self'")
  t.match(csp, "style-src 'self'")
  t.match(csp, "frame-ancestors 'none'")
  t.notMatch(csp, /unsafe-inline|unsafe-eval|\*/, 'no inline code, no wildcard')
  t.equal(page.headers['x-content-type-options'], 'nosniff')
  t.equal(page.headers['x-frame-options'], 'DENY')
  t.ok(page.headers['referrer-policy'])
  t.equal(page.headers['strict-transport-security'], undefined)
  t.notMatch(page.body, /<script>|<script type="module">|style=|<style/, 'no inline script or style for the policy to allow')

  const secure = await build(t, { env: { COOKIE_SECURE: 'true' } })
  const again = await secure.inject({ method: 'GET', url: '/invito' })
  t.match(again.headers['strict-transport-security'], /max-age=31536000/)
})

t.test('a browser gets an Italian error page; an API client keeps problem+json', async (t) => {
  const app = await build(t)
  const browser = await app.inject({ method: 'GET', url: '/pagina-che-non-esiste', headers: { accept: BROWSER_ACCEPT, 'accept-language': 'en-US,en;q=0.9' } })
  t.equal(browser.statusCode, 404)
  t.match(browser.headers['content-type'], /^text\/html/)
  t.match(browser.headers['content-security-policy'], "default-src 'none'")
  t.match(browser.body, /<html lang="it">/)
  t.match(browser.body, /<title>Pagina non trovata – Forum telematico ANCI<\/title>/)
  t.match(browser.body, 'Non esiste nessuna pagina all’indirizzo /pagina-che-non-esiste', 'Italian even for an English-speaking browser')
  t.match(browser.body, 'href="/domande-e-risposte"', 'somewhere to go next')
  t.match(browser.body, '<meta name="robots" content="noindex"/>')

  const script = await app.inject({ method: 'GET', url: '/pagina-che-non-esiste', headers: { accept: '*/*' } })
  t.match(script.headers['content-type'], /^application\/problem\+json/)
  t.equal(script.json().code, 'ROUTE_NOT_FOUND')

  const api = await app.inject({ method: 'GET', url: '/api/v1/faqs/nessuna', headers: { accept: BROWSER_ACCEPT } })
  t.equal(api.statusCode, 404)
  t.match(api.headers['content-type'], /^application\/problem\+json/, 'the API always answers problem+json')
  t.equal(api.json().detail, 'Questa domanda e risposta non esiste, oppure non è pubblica.')
})

t.test('a failure behind a page is an Italian 500 page that shows the request id and nothing internal', async (t) => {
  const app = await build(t)
  app.get('/guasto', async () => {
    throw new Error('connection to db-internal-7.example:5432 refused')
  })
  const res = await app.inject({ method: 'GET', url: '/guasto', headers: { accept: BROWSER_ACCEPT } })
  t.equal(res.statusCode, 500)
  t.match(res.body, 'Si è verificato un errore')
  t.match(res.body, String(res.headers['x-request-id']))
  t.notMatch(res.body, /db-internal|refused/)
})

t.test('a page address with a trailing slash leads to the page; nothing else is redirected', async (t) => {
  const app = await build(t)
  for (const [url, location] of [
    ['/domande-e-risposte/', '/domande-e-risposte'],
    ['/forum/', '/forum'],
    ['/domande-e-risposte/?q=cittadinanza&page=2', '/domande-e-risposte?q=cittadinanza&page=2'],
    ['/forum//', '/forum'],
    ['//example.org/', '/example.org'],
  ] as const) {
    const reply = await app.inject({ method: 'GET', url, headers: { accept: BROWSER_ACCEPT } })
    t.equal(reply.statusCode, 301, url)
    t.equal(reply.headers.location, location, url)
  }
  const page = await app.inject({ method: 'GET', url: '/domande-e-risposte/', headers: { accept: BROWSER_ACCEPT } })
  const followed = await app.inject({ method: 'GET', url: String(page.headers.location), headers: { accept: BROWSER_ACCEPT } })
  t.equal(followed.statusCode, 200, 'the redirect ends on the page')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/faqs/' })).statusCode, 400, 'the API keeps its exact paths')
  t.equal((await app.inject({ method: 'POST', url: '/accedi/', payload: {} })).statusCode, 404, 'a form post is not redirected (its body would be lost)')
  for (const url of ['//example.org/', '///example.org//', '/%2F%2Fexample.org/', '/%5Cexample.org/']) {
    const reply = await app.inject({ method: 'GET', url, headers: { accept: BROWSER_ACCEPT } })
    t.match(String(reply.headers.location ?? '/'), /^\/(?![/\\])/, `${url} stays on this host`)
  }
})
