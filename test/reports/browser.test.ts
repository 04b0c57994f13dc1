import type { Browser, Page } from 'playwright-core'
import tap, { type Test } from 'tap'
import { demoSite, type DemoSite } from '../public-site/demo-site.js'
import { DESKTOP, launchBrowser, MOBILE, NO_BROWSER, screenshot, seriousViolations, signedInPage } from '../web/browser.js'

if (NO_BROWSER) tap.comment(`skipping browser tests: ${NO_BROWSER}`)
tap.setTimeout(600_000)

/** The embedded demo's secretariat login (src/accounts/demo.ts). */
const MODERATOR = { email: 'segreteria@demo.anci.example', password: 'demo-segreteria-Anci-2026' }
const CLERK = { email: 'anagrafe@demo.comune.polizzigenerosa.example', password: 'demo-staff-Polizzi-2026' }

let browser: Browser
let demo: DemoSite

tap.before(async () => {
  if (NO_BROWSER) return
  browser = await launchBrowser()
  demo = await demoSite(tap)
})
tap.teardown(() => browser?.close())

const signedIn = (t: Test, viewport = DESKTOP): Promise<Page> => signedInPage(t, browser, demo.base, MODERATOR, { viewport, acceptDownloads: true })

tap.test('a moderator opens the demo reports: charts drawn beside their tables, CSV downloads, axe and screenshots', { skip: NO_BROWSER }, async (t) => {
  const page = await signedIn(t)
  await page.goto(`${demo.base}/segreteria/rapporti`)
  t.same(await seriousViolations(page), [], 'axe on the reports index')
  await screenshot(page, 'rapporti-desktop')

  await page.getByRole('link', { name: 'Prima giornata di forum telematico' }).click()
  await page.getByRole('heading', { level: 1, name: /Rapporto della giornata/ }).waitFor()
  // chart.js draws into the canvases the script revealed.
  await page.locator('[data-chart]:not([hidden]) canvas').first().waitFor()
  t.ok((await page.locator('[data-chart]:not([hidden]) canvas').count()) >= 4, 'the charts are drawn')
  t.equal(await page.locator('[data-fact="Domande ricevute"]').textContent(), '3', 'real figures from the demo')
  t.equal(await page.locator('[data-fact="Enti che hanno fatto domande"]').textContent(), '< 5', 'a count of two organizations is suppressed')
  t.same(await seriousViolations(page), [], 'axe on the forum day report')
  await screenshot(page, 'rapporto-giornata-desktop')
  const [dayCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV per fogli di calcolo' }).click()])
  t.match(dayCsv.suggestedFilename(), /^rapporto-giornata-.*\.csv$/)

  await page.goto(`${demo.base}/segreteria/rapporti`)
  await page.getByRole('link', { name: 'Rapporto dell’edizione' }).click()
  await page.getByRole('heading', { level: 1, name: /Rapporto dell’edizione/ }).waitFor()
  await page.locator('[data-chart]:not([hidden]) canvas').first().waitFor()
  t.equal(await page.locator('svg.region-map-svg rect').count(), 20, 'the map of the 20 regions')
  t.equal(await page.locator('[data-fact="Enti ammessi"]').textContent(), '13')
  t.same(await seriousViolations(page), [], 'axe on the edition report')
  await screenshot(page, 'rapporto-edizione-desktop')
  const [editionCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV per fogli di calcolo' }).click()])
  t.match(editionCsv.suggestedFilename(), /^rapporto-edizione-.*\.csv$/)

  await page.goto(`${demo.base}/segreteria/rapporti/banca-dati`)
  t.same(await seriousViolations(page), [], 'axe on the knowledge base report')
  await screenshot(page, 'rapporto-banca-dati-desktop')
})

tap.test('the open demo day follows the event stream: a question asked shows up at once; the pages fit a phone', { skip: NO_BROWSER }, async (t) => {
  const page = await signedIn(t, MOBILE)
  // The page's timers only run when the test says so: the fallback poll (while the socket is down)
  // cannot be what brings the figures up to date.
  await page.clock.install()
  await page.goto(`${demo.base}/segreteria/rapporti`)
  await page.getByRole('link', { name: 'Seconda giornata di forum telematico' }).click()
  await page.getByText('La giornata è aperta: i dati si aggiornano da soli a ogni domanda, risposta o FAQ pubblicata.').waitFor()
  t.equal(await page.locator('[data-report-body]').getAttribute('data-live'), 'true', 'the open day follows its events')
  await page.getByText('Aggiornamento in diretta attivo.').waitFor()
  await page.locator('[data-chart]:not([hidden]) canvas').first().waitFor()
  const received = Number(await page.locator('[data-fact="Domande ricevute"]').textContent())

  // A clerk asks a question meanwhile; the page brings its figures up to date without a reload.
  const clerk = (await demo.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: CLERK })).json().token as string
  const dayId = new URL(page.url()).pathname.split('/').at(-1)!
  const asked = await demo.app.inject({
    method: 'POST',
    url: `/api/v1/forum-days/${dayId}/questions`,
    headers: { authorization: `Bearer ${clerk}`, 'idempotency-key': 'report-live-1' },
    payload: { title: 'Residenza del lavoratore stagionale', body: 'Un lavoratore stagionale straniero chiede la residenza per sei mesi: è possibile?', theme: 'servizi-demografici' },
  })
  t.equal(asked.statusCode, 201)
  const before = page.url()
  await page.locator(`[data-fact="Domande ricevute"]:text-is("${received + 1}")`).waitFor()
  t.equal(page.url(), before, 'the figures changed in place, on the question event')
  await page.locator('[data-chart]:not([hidden]) canvas').first().waitFor()
  const width = await page.evaluate('document.documentElement.scrollWidth')
  t.ok(Number(width) <= 390, `no sideways scrolling on a phone (${String(width)} px)`)
  t.same(await seriousViolations(page), [], 'axe on the live forum day report')
  await screenshot(page, 'rapporto-giornata-aperta-mobile')
})
