import type { Browser, Page } from 'playwright-core'
import tap, { type Test } from 'tap'
import { demoSite, type DemoSite } from '../public-site/demo-site.js'
import { launchBrowser, type Login, MOBILE, newPage, NO_BROWSER, screenshot, seriousViolations, signedInPage, tabTo } from '../web/browser.js'

if (NO_BROWSER) tap.comment(`skipping browser tests: ${NO_BROWSER}`)
// A real browser on a shared 2-core machine: more than the default 180 s per file.
tap.setTimeout(600_000)

/** The embedded demo's moderator (src/accounts/demo.ts). */
const MODERATOR = { email: 'segreteria@demo.anci.example', password: 'demo-segreteria-Anci-2026' }
/** An answered demo question (src/questions/demo.ts). */
const ANSWERED = 'Carta d’identità elettronica per il titolare di protezione sussidiaria'

let browser: Browser
let demo: DemoSite

tap.before(async () => {
  if (NO_BROWSER) return
  browser = await launchBrowser()
  demo = await demoSite(tap)
})
tap.teardown(() => browser?.close())

const signedIn = (t: Test, who: Login): Promise<Page> => signedInPage(t, browser, demo.base, who)

async function scan(t: Test, page: Page, name: string): Promise<void> {
  t.same(await seriousViolations(page), [], `axe on ${new URL(page.url()).pathname}`)
  await screenshot(page, `segreteria-${name}`)
}

tap.test('the demo moderator publishes an answer with a privacy finding edited away; a visitor finds it with a typo', { skip: NO_BROWSER }, async (t) => {
  const desk = await signedIn(t, MODERATOR)
  t.equal(new URL(desk.url()).pathname, '/segreteria', 'moderators land on the secretariat')
  await desk.getByRole('heading', { name: 'Risposte da pubblicare' }).waitFor()
  await scan(t, desk, 'panoramica')

  // From the keyboard: Tab to the question's publish link and follow it.
  t.ok(await tabTo(desk, `a[aria-label="Pubblica come FAQ: ${ANSWERED}"]`, 80), 'the publish link is reachable with Tab')
  await desk.keyboard.press('Enter')
  await desk.getByRole('heading', { name: 'Pubblica come FAQ', level: 1 }).waitFor()
  t.equal(await desk.getByLabel('Titolo della FAQ').inputValue(), ANSWERED, 'the form starts from the question')
  t.match(await desk.getByLabel('Risposta', { exact: true }).inputValue(), 'non valida per l’espatrio', 'and its answer')
  await desk.getByText('D.Lgs. 251/2007').first().waitFor()

  // The expert's answer carried the office's phone number: the check finds it, one click replaces it.
  const answer = desk.getByLabel('Risposta', { exact: true })
  await answer.fill(`${await answer.inputValue()}\n\nPer chiarimenti chiamare l’ufficio al 091 8765432.`)
  await desk.getByRole('button', { name: 'Verifica di nuovo il testo' }).click()
  await desk.getByText('Nel testo c’è 1 possibile dato personale').waitFor()
  t.equal(await desk.locator('.marked-text mark').count(), 1, 'the finding is marked in the text')
  t.match(await desk.locator('.marked-text mark').textContent(), '091 8765432')
  await scan(t, desk, 'pubblica-con-dato-personale')
  await desk.getByRole('button', { name: 'Sostituisci il dato personale 1' }).click()
  await desk.getByText('Il dato personale è stato sostituito.').waitFor()
  await desk.getByText('Nessun dato personale trovato').waitFor()
  t.notMatch(await desk.getByLabel('Risposta', { exact: true }).inputValue(), '091 8765432')

  await desk.getByLabel('Parole chiave').fill('carta d’identità, protezione sussidiaria')
  // Bootstrap Italia draws the boxes over their labels: a person clicks the label.
  for (const label of await desk.locator('#checklist label').all()) await label.click()
  t.equal(await desk.locator('#checklist input:checked').count(), 4, 'the checklist is ticked')
  await desk.getByRole('button', { name: 'Pubblica la FAQ' }).click()
  await desk.getByText(`La FAQ «${ANSWERED}» è pubblicata.`).waitFor()
  await scan(t, desk, 'pubblicata')

  // The index is fed through the outbox; the app kicks it on publishing.
  await demo.app.kb.drainIndex()
  const visitor = await newPage(t, browser)
  await visitor.goto(`${demo.base}/domande-e-risposte`)
  await visitor.getByRole('searchbox').first().fill('carta identita sussidiaira')
  await visitor.keyboard.press('Enter')
  await visitor.waitForURL(/q=/)
  const hit = visitor.getByRole('link', { name: ANSWERED })
  await hit.first().waitFor()
  await hit.first().click()
  await visitor.getByRole('heading', { name: ANSWERED, level: 1 }).waitFor()
  t.notMatch(await visitor.locator('main').textContent(), '091 8765432', 'the phone number never reached the public')
})

const ADMIN = { email: 'admin@demo.forum.example', password: 'demo-admin-Forum-2026' }

tap.test('every secretariat page: no serious or critical axe violation, a screenshot each', { skip: NO_BROWSER }, async (t) => {
  const admin = await signedIn(t, ADMIN)
  const token = (await demo.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: ADMIN })).json().token as string
  const auth = { authorization: `Bearer ${token}` }
  const question = (await demo.app.inject({ method: 'GET', url: '/api/v1/questions?limit=1', headers: auth })).json()[0]
  const day = (await demo.app.inject({ method: 'GET', url: '/api/v1/forum-days', headers: auth })).json()[0]
  const faq = (await demo.app.inject({ method: 'GET', url: '/api/v1/faqs?pageSize=1', headers: auth })).json().hits[0]
  const person = await demo.app.ports.db.selectFrom('users').select('id').where('role', '=', 'expert').executeTakeFirstOrThrow()
  // Something in the review queue and in the history.
  await admin.goto(`${demo.base}/segreteria/revisione`)
  await admin.getByLabel('Norma modificata').fill('D.Lgs. 142/2015')
  await admin.getByLabel('Data della modifica').fill('2099-01-01')
  await admin.getByLabel('Che cosa è cambiato').fill('Modifica di prova')
  await admin.getByRole('button', { name: 'Segnala la modifica' }).click()
  await admin.getByText(/Modifica di D\.Lgs\. 142\/2015 registrata/).waitFor()
  const pages = [
    ['domande', '/segreteria/domande'],
    ['domanda', `/segreteria/domande/${question.id}`],
    ['giornate', '/segreteria/giornate'],
    ['nuova-giornata', `/segreteria/giornate/nuova?edizione=${day.editionId}`],
    ['giornata', `/segreteria/giornate/${day.id}`],
    ['revisione', '/segreteria/revisione'],
    ['faq', `/segreteria/faq/${faq.slug}`],
    ['cronologia', `/segreteria/faq/${faq.slug}/revisioni`],
    ['persone', '/segreteria/persone'],
    ['persona', `/segreteria/persone/${person.id}`],
    ['registro', '/segreteria/registro'],
  ] as const
  for (const [name, path] of pages) {
    const response = await admin.goto(`${demo.base}${path}`)
    t.equal(response?.status(), 200, `${path} answers 200`)
    await scan(t, admin, name)
  }
})

tap.test('an error summary link takes the keyboard to its field, label in view', { skip: NO_BROWSER }, async (t) => {
  // On a phone the field is below the fold: following the link scrolls to it (at once, not
  // smoothly, so that where it lands can be measured).
  const admin = await signedInPage(t, browser, demo.base, ADMIN, { viewport: MOBILE, reducedMotion: 'reduce' })
  await admin.goto(`${demo.base}/segreteria/persone`)
  await admin.getByLabel('Email', { exact: true }).fill('ufficio@borgo-ignoto.example.it')
  await admin.getByRole('region', { name: 'Invita una persona' }).getByLabel('Ruolo').selectOption('staff')
  await admin.getByLabel('Ente (solo per il personale dei comuni)').fill('999999')
  await admin.getByRole('button', { name: 'Invia l’invito' }).click()
  const link = admin.getByRole('link', { name: 'Nessun comune con questo codice ISTAT' })
  await link.waitFor()
  t.ok(await tabTo(admin, 'a[href="#organization"]', 60), 'the summary link is reachable with Tab')
  await admin.keyboard.press('Enter')
  await admin.waitForFunction('document.activeElement?.id === "organization"')
  t.pass('Enter on it puts the focus in the field')
  // A string: the tests are compiled without the DOM library.
  const labelTop = await admin.evaluate('document.querySelector(\'label[for="organization"]\').getBoundingClientRect().top')
  t.ok(Number(labelTop) >= 0 && Number(labelTop) < MOBILE.height / 2, `the field's label is in view, near the top (${Number(labelTop).toFixed(0)} px)`)
  t.equal(await admin.locator('#organization').getAttribute('aria-invalid'), 'true')
})
