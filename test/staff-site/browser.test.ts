import type { Browser, Page } from 'playwright-core'
import tap, { type Test } from 'tap'
import { countRows } from '../helper.js'
import { demoSite, type DemoSite } from '../public-site/demo-site.js'
import { DESKTOP, launchBrowser, type Login, MOBILE, NO_BROWSER, screenshot, seriousViolations, signedInPage } from '../web/browser.js'

if (NO_BROWSER) tap.comment(`skipping browser tests: ${NO_BROWSER}`)
// A real browser on a shared 2-core machine: more than the default 180 s per file.
tap.setTimeout(600_000)

/** The embedded demo's logins (src/accounts/demo.ts). */
const CLERK = { email: 'anagrafe@demo.comune.polizzigenerosa.example', password: 'demo-staff-Polizzi-2026' }
const EXPERT = { email: 'esperta.demografici@demo.anci.example', password: 'demo-esperta-Anci-2026' }

let browser: Browser
let demo: DemoSite

tap.before(async () => {
  if (NO_BROWSER) return
  browser = await launchBrowser()
  demo = await demoSite(tap)
})
tap.teardown(() => browser?.close())

/** A fresh Italian browser context, signed in through the sign-in form. */
const signedIn = (t: Test, who: Login, viewport = DESKTOP, path = '/accedi'): Promise<Page> => signedInPage(t, browser, demo.base, who, { viewport, path })

tap.test('the signed-in pages: no serious or critical axe violation, screenshots at desktop and mobile width', { skip: NO_BROWSER }, async (t) => {
  const question = (await demo.app.inject({ method: 'GET', url: '/api/v1/questions?limit=1', headers: { authorization: `Bearer ${await token(CLERK)}` } })).json()[0]
  const pages = [
    ['il-mio-forum', '/il-mio-forum'],
    ['nuova-domanda', '/il-mio-forum/domande/nuova'],
    ['le-mie-domande', '/le-mie-domande'],
    ['domanda', `/le-mie-domande/${question.id}`],
    ['account', '/account'],
  ] as const
  for (const viewport of [DESKTOP, MOBILE]) {
    const page = await signedIn(t, CLERK, viewport)
    const width = viewport === DESKTOP ? 'desktop' : 'mobile'
    for (const [name, path] of pages) {
      const response = await page.goto(`${demo.base}${path}`)
      t.equal(response?.status(), 200, `${path} answers 200`)
      if (viewport === DESKTOP) t.same(await seriousViolations(page), [], `axe on ${path}`)
      await screenshot(page, `${name}-${width}`)
    }
  }
})

async function token(who: { email: string; password: string }): Promise<string> {
  return (await demo.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: who })).json().token
}

tap.test('a session that is needed sends to sign in and back to the page asked for', { skip: NO_BROWSER }, async (t) => {
  const page = await signedIn(t, CLERK, DESKTOP, '/accedi?ritorno=%2Fle-mie-domande')
  t.equal(new URL(page.url()).pathname, '/le-mie-domande')
  await page.getByRole('button', { name: 'Esci' }).click()
  await page.getByText('Sei uscito dal forum.').waitFor()
  await page.goto(`${demo.base}/account`)
  t.equal(new URL(page.url()).pathname, '/accedi', 'signed out: personal pages ask to sign in again')
})

tap.test('the demo clerk asks a question and follows it live while the expert works on it', { skip: NO_BROWSER }, async (t) => {
  const clerk = await signedIn(t, CLERK)
  t.equal(new URL(clerk.url()).pathname, '/il-mio-forum', 'staff land on their forum page')
  await clerk.getByRole('heading', { name: 'Seconda giornata di forum telematico' }).waitFor()
  await clerk.getByRole('link', { name: 'Fai una domanda' }).click()

  await clerk.getByLabel('Titolo').fill('Rinnovo del permesso di soggiorno scaduto')
  await clerk.getByLabel('Testo della domanda').fill('Un cittadino straniero chiede il rinnovo del permesso di soggiorno scaduto da due mesi: come deve procedere l’anagrafe?')
  // Similar published FAQs appear while typing, each opening in a new tab.
  const suggestion = clerk.locator('[data-similar] a').first()
  await suggestion.waitFor()
  t.equal(await suggestion.getAttribute('target'), '_blank', 'a suggestion opens without leaving the draft')
  await clerk.getByLabel('Tema').selectOption({ label: 'I Servizi Demografici: il rapporto diretto con il cittadino immigrato' })
  t.match(await clerk.evaluate('localStorage.getItem("ft-question-draft")'), 'scaduto da due mesi', 'the draft is kept in the browser')

  const before = await countRows(demo.app, 'questions')
  await clerk.getByRole('button', { name: 'Invia la domanda' }).dblclick()
  await clerk.waitForURL(/\/le-mie-domande\/[0-9a-f-]{36}/)
  t.equal(await countRows(demo.app, 'questions'), before + 1, 'a double click makes one question')
  t.equal(await clerk.evaluate('localStorage.getItem("ft-question-draft")'), null, 'the draft goes once sent')
  const questionId = /\/le-mie-domande\/([0-9a-f-]{36})/.exec(clerk.url())![1]!
  const state = clerk.locator('main [data-question-state]').first()
  t.equal(await state.textContent(), 'In attesa di un esperto')
  await clerk.locator('[data-live-status]').getByText('Aggiornamento in tempo reale attivo.').waitFor().catch(() => undefined)

  // The expert, in a second browser, signs in and works through the API with their session.
  const expert = await signedIn(t, EXPERT)
  t.equal(new URL(expert.url()).pathname, '/coda', 'experts land on the queue')
  const act = (path: string, body?: unknown) =>
    expert.evaluate(
      `fetch(${JSON.stringify(path)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(JSON.stringify(body ?? {}))} }).then((r) => r.status)`,
    )
  t.equal(await act(`/api/v1/questions/${questionId}/claim`), 200)
  await clerk.locator(`main [data-question-state="claimed"]`).waitFor()
  t.equal(await state.textContent(), 'In lavorazione', 'claimed, shown without reloading')

  // The connection drops (as in a server restart) and the expert acts meanwhile: after
  // reconnecting, the page resumes from its last position and catches up.
  for (const client of demo.app.websocketServer.clients) client.close(1012, 'service restart')
  await clerk.locator('[data-live-status]').getByText('Aggiornamento in tempo reale interrotto').waitFor()
  t.equal(await act(`/api/v1/questions/${questionId}/clarification`, { message: 'Il permesso era per lavoro subordinato?' }), 200)
  await clerk.locator(`main [data-question-state="awaiting_clarification"]`).waitFor()
  t.equal(await state.textContent(), 'Chiarimento richiesto')
  t.equal(await clerk.locator(`[data-needs-you="${questionId}"]`).isVisible(), true, 'the marker of what needs the clerk')
  await clerk.locator('[data-live-changed]').waitFor()

  await clerk.getByRole('link', { name: 'Ricarica la pagina' }).click()
  await clerk.getByLabel('Il tuo chiarimento').fill('Sì, per lavoro subordinato a tempo indeterminato.')
  await clerk.getByRole('button', { name: 'Invia il chiarimento' }).click()
  await clerk.getByText('Chiarimento del comune').waitFor()
  t.equal(await clerk.locator('main [data-question-state]').first().textContent(), 'In lavorazione', 'back with the expert who asked')
  await screenshot(clerk, 'domanda-dopo-chiarimento-desktop')
})
