import type { Browser, Page } from 'playwright-core'
import tap, { type Test } from 'tap'
import { createOrganization, signIn } from '../factories/accounts.js'
import { createForumDay, submitQuestion } from '../factories/forum.js'
import { DESKTOP, ITALIAN, launchBrowser, NO_BROWSER, tabTo, watchConsole } from '../web/browser.js'
import { demoSite, type DemoSite } from './demo-site.js'

if (NO_BROWSER) tap.comment(`skipping browser tests: ${NO_BROWSER}`)
// A real browser on a shared 2-core machine: more than the default 180 s per file.
tap.setTimeout(600_000)

let browser: Browser
let demo: DemoSite

tap.before(async () => {
  if (NO_BROWSER) return
  browser = await launchBrowser()
  demo = await demoSite(tap)
})
tap.teardown(() => browser?.close())

async function open(t: Test, options: { javaScript?: boolean; viewport?: typeof DESKTOP } = {}): Promise<Page> {
  const context = await browser.newContext({ ...ITALIAN, viewport: options.viewport ?? DESKTOP, javaScriptEnabled: options.javaScript ?? true })
  t.teardown(() => context.close())
  // No request may leave this machine: links to Normattiva or EUR-Lex are answered here.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>esterno</title>' }))
  const page = await context.newPage()
  watchConsole(t, page)
  return page
}

/** The path: search (as typed, misspelled, without accents, as an acronym), filter, read, follow. */
async function visitorPath(t: Test, page: Page) {
  await page.goto(`${demo.base}/`)
  for (const query of ['rinnovo permesso di soggiorno', 'rinovo permesso di sogiorno', 'carta di identita', 'pds']) {
    await page.goto(`${demo.base}/`)
    await page.getByRole('searchbox', { name: 'Cerca tra le domande e risposte' }).fill(query)
    await page.getByRole('searchbox', { name: 'Cerca tra le domande e risposte' }).press('Enter')
    await page.waitForURL(/\/domande-e-risposte\?q=/)
    t.match(await page.getByRole('status').first().textContent(), /\d+ rispost[ae] trovat[ae]/, `"${query}" finds answers`)
    t.ok((await page.locator('.faq-results h3 a').count()) > 0, `"${query}" lists results`)
  }
  t.ok(await page.getByText('Forse cercavi').count() === 0, 'no correction offered for "pds"')
  await page.goto(`${demo.base}/domande-e-risposte?q=rinovo+permesso+di+sogiorno`)
  await page.getByText('Forse cercavi').waitFor()

  await page.goto(`${demo.base}/domande-e-risposte?q=permesso`)
  const theme = page.locator('nav[aria-label="Filtra i risultati"] section').first().locator('a').first()
  const themeName = (await theme.textContent())!.trim()
  await theme.click()
  await page.waitForURL(/theme=/)
  t.match(await page.locator('[aria-current="true"]').first().textContent(), themeName, 'filtered by theme')
  const first = page.locator('.faq-results h3 a').first()
  const title = (await first.textContent())!.trim()
  await first.click()
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), title, 'the FAQ opens')

  await page.goto(`${demo.base}${demo.faqPath}`)
  const legal = page.locator('.legal-references a[href^="https://www.normattiva.it/"]').first()
  const [request] = await Promise.all([page.waitForEvent('request', (r) => r.url().startsWith('https://www.normattiva.it/')), legal.click()])
  t.match(request.url(), /^https:\/\/www\.normattiva\.it\/uri-res\/N2Ls\?urn:nir:/, 'the legal reference opens the act on Normattiva')

  await page.goto(`${demo.base}${demo.faqPath}`)
  const [feed] = await Promise.all([page.waitForEvent('response', (r) => r.url().endsWith('/feed.atom')), page.getByRole('link', { name: /feed Atom/ }).click()])
  t.match(feed.headers()['content-type'], 'application/atom+xml')
  t.match(await feed.text(), /<entry>/)
}

tap.test('the visitor path works in Italian with JavaScript', { skip: NO_BROWSER }, async (t: Test) => {
  await visitorPath(t, await open(t))
})

tap.test('the visitor path works with JavaScript disabled', { skip: NO_BROWSER }, async (t: Test) => {
  await visitorPath(t, await open(t, { javaScript: false }))
})

tap.test('the main path by keyboard alone: skip link, search, a result, the answer', { skip: NO_BROWSER }, async (t: Test) => {
  const page = await open(t)
  await page.goto(`${demo.base}/`)
  await page.keyboard.press('Tab')
  t.equal(await page.evaluate('document.activeElement.textContent'), 'Vai al contenuto principale', 'the first Tab reaches the skip link')
  await page.keyboard.press('Enter')
  t.ok(await tabTo(page, 'input[name="q"]'), 'the search box is reachable')
  await page.keyboard.type('permesso di soggiorno')
  await page.keyboard.press('Enter')
  await page.waitForURL(/q=permesso/)
  t.ok(await tabTo(page, '.faq-results h3 a'), 'the first result is reachable')
  const title = await page.evaluate('document.activeElement.textContent')
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/domande-e-risposte\/[a-z0-9-]+$/)
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), title)
  t.ok(await tabTo(page, '.legal-references a, aside a'), 'links of the answer are reachable')
})

tap.test('search-as-you-type suggests answers from the JSON API', { skip: NO_BROWSER }, async (t: Test) => {
  const page = await open(t)
  await page.goto(`${demo.base}/domande-e-risposte`)
  await page.getByRole('searchbox', { name: 'Cerca tra le domande e risposte' }).pressSequentially('cittadinanz', { delay: 30 })
  const suggestion = page.locator('.suggestions a').first()
  await suggestion.waitFor()
  t.match(await suggestion.getAttribute('href'), /^\/domande-e-risposte\/[a-z0-9-]+$/)
  const searches = (await demo.app.inject({ method: 'GET', url: '/api/v1/faqs?q=cittadinanz' })).json()
  t.ok(searches.total > 0)
})

tap.test('the forum calendar updates its counters live, without reloading', { skip: NO_BROWSER }, async (t: Test) => {
    const day = await createForumDay(demo.app, { title: 'Giornata dal vivo' })
  const page = await open(t)
  await page.goto(`${demo.base}/forum`)
  const card = page.locator(`[data-forum-day="${day.id}"]`)
  t.equal(await card.locator('[data-live="questions"]').textContent(), '0')
  await page.getByText('Aggiornamento in tempo reale attivo').waitFor()
  const org = await createOrganization(demo.app, { region: 'Puglia', population: 2800 })
  const staff = await signIn(demo.app, { role: 'staff', organizationId: org.id })
  await submitQuestion(demo.app, staff, day.id)
  await card.locator('[data-live="questions"]', { hasText: '1' }).waitFor({ timeout: 10_000 })
  t.equal(await card.locator('[data-live="open"]').textContent(), '1')
})

tap.test('the first visit of an FAQ page transfers under 250 KB in all', { skip: NO_BROWSER }, async (t: Test) => {
  const page = await open(t)
  const sizes: Array<{ url: string; bytes: number }> = []
  page.on('requestfinished', async (request) => {
    const s = await request.sizes()
    sizes.push({ url: request.url().replace(demo.base, ''), bytes: s.responseBodySize + s.responseHeadersSize })
  })
  await page.goto(`${demo.base}${demo.faqPath}`, { waitUntil: 'networkidle' })
  await page.waitForTimeout(200)
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0)
  t.comment(`first visit of ${demo.faqPath}: ${(total / 1024).toFixed(1)} KB in ${sizes.length} requests`)
  for (const s of sizes.sort((a, b) => b.bytes - a.bytes)) t.comment(`  ${(s.bytes / 1024).toFixed(1)} KB ${s.url}`)
  t.ok(total < 250 * 1024, `${(total / 1024).toFixed(1)} KB`)
})
