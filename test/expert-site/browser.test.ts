import type { Browser, Page } from 'playwright-core'
import tap, { type Test } from 'tap'
import { demoSite, type DemoSite } from '../public-site/demo-site.js'
import { DESKTOP, launchBrowser, type Login, MOBILE, NO_BROWSER, screenshot, seriousViolations, signedInPage } from '../web/browser.js'

if (NO_BROWSER) tap.comment(`skipping browser tests: ${NO_BROWSER}`)
// Three browsers' worth of pages on a shared 2-core machine.
tap.setTimeout(600_000)

/** The embedded demo's logins (src/accounts/demo.ts), and a second expert made for this test. */
const CLERK = { email: 'anagrafe@demo.comune.polizzigenerosa.example', password: 'demo-staff-Polizzi-2026' }
const EXPERT_A = { email: 'esperta.demografici@demo.anci.example', password: 'demo-esperta-Anci-2026' }
const EXPERT_B = { email: 'esperto.bianchi@demo.anci.example', password: 'demo-esperto-Bianchi-2026', displayName: 'Esperto Bianchi' }

let browser: Browser
let demo: DemoSite

tap.before(async () => {
  if (NO_BROWSER) return
  browser = await launchBrowser()
  demo = await demoSite(tap)
  await demo.app.accounts.createUserUnchecked({ email: EXPERT_B.email, displayName: EXPERT_B.displayName, role: 'expert', password: EXPERT_B.password })
})
tap.teardown(() => browser?.close())

const signedIn = (t: Test, who: Login, viewport = DESKTOP): Promise<Page> => signedInPage(t, browser, demo.base, who, { viewport })

const api = async (who: { email: string; password: string }) => {
  const token = (await demo.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: who })).json().token as string
  return (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
    demo.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}`, ...headers }, ...(payload && { payload }) })
}

tap.test('two experts work the live queue; a clarification brings the question back to the expert who asked', { skip: NO_BROWSER }, async (t) => {
  const clerkApi = await api(CLERK)
  const bApi = await api(EXPERT_B)
  // The demo's waiting questions go to expert B first, so the two asked below are the oldest waiting.
  for (const q of (await bApi('GET', '/queue?limit=200')).json<Array<{ id: string }>>()) await bApi('POST', `/questions/${q.id}/claim`)
  const day = (await clerkApi('GET', '/forum-days')).json<Array<{ id: string; state: string; rehearsal: boolean; themes: Array<{ code: string }> }>>().find((d) => d.state === 'open' && !d.rehearsal)!
  const ask = async (title: string) => {
    const res = await clerkApi('POST', `/forum-days/${day.id}/questions`, { title, body: `${title}: come deve procedere l’ufficio anagrafe del comune?`, theme: day.themes[0]!.code }, { 'idempotency-key': `browser-${title.length}` })
    t.equal(res.statusCode, 201, `the clerk asks: ${res.statusCode === 201 ? title : res.body}`)
    return res.json<{ id: string; title: string }>()
  }
  const first = await ask('Cambio di residenza di un titolare di protezione speciale')
  const second = await ask('Certificato di residenza per un minore straniero non accompagnato')

  // Expert A watches the queue; expert B claims the first question from theirs.
  const a = await signedIn(t, EXPERT_A)
  t.equal(new URL(a.url()).pathname, '/coda', 'experts land on the queue')
  await a.locator('[data-live-status]').getByText('Aggiornamento in tempo reale attivo.').waitFor()
  const firstRow = a.locator(`[data-queue] [data-queue-item="${first.id}"]`)
  await firstRow.waitFor()
  // A question asked while the queue is open appears in it, with its claim button.
  const third = await ask('Iscrizione anagrafica di un cittadino UE senza contratto di lavoro')
  await a.locator(`[data-queue] [data-queue-item="${third.id}"]`).getByRole('button', { name: `Prendi la domanda «${third.title}»` }).waitFor()
  t.pass('a new question appears without reloading')
  t.same(await seriousViolations(a), [], 'axe on /coda')
  await screenshot(a, 'coda-desktop')

  const b = await signedIn(t, EXPERT_B)
  await b.getByRole('button', { name: `Prendi la domanda «${first.title}»` }).click()
  await b.waitForURL(`**/coda/domande/${first.id}?esito=presa`)
  await firstRow.waitFor({ state: 'detached' })
  t.pass('claimed by a colleague: gone from A’s waiting list without reloading')
  await a.locator(`[data-working-item="${first.id}"]`).getByText('Esperto Bianchi sta rispondendo').waitFor()

  // A takes the next one: the clerk's second question.
  await a.getByRole('button', { name: 'Prendi la prossima' }).click()
  await a.waitForURL(`**/coda/domande/${second.id}?esito=presa`)
  await a.getByText('La domanda è tua').waitFor()
  await a.locator('[data-lease-countdown]').filter({ hasText: /\d+:\d\d/ }).waitFor()
  const editor = a.getByLabel('Risposta (Markdown)')
  await editor.fill('Il minore straniero non accompagnato è iscritto in anagrafe: **il certificato si rilascia** al tutore.')
  await a.getByText(/Bozza salvata alle/).waitFor()
  // Renewing the lease happens in place: the page and what is typed stay.
  const renewed = a.waitForResponse((r) => r.url().endsWith(`/questions/${second.id}/renew`))
  await a.getByRole('button', { name: 'Rinnova' }).click()
  t.equal((await renewed).status(), 200, 'renewed through the API')
  t.match(a.url(), '?esito=presa', 'no reload')
  await a.getByRole('button', { name: 'Anteprima' }).click()
  await a.locator('[data-preview] strong').getByText('il certificato si rilascia').waitFor()
  // A cited act is recognised in the preview; its link replaces the citation in the answer.
  await editor.press('End')
  await editor.pressSequentially(' Vedi art. 5 del D.Lgs. 142/2015.')
  const reference = a.locator('[data-reference-list] li').filter({ hasText: '142/2015' })
  await reference.getByRole('button', { name: 'Inserisci il collegamento nella risposta' }).click()
  t.match(await editor.inputValue(), /\[[^\]]*D\.Lgs\. 142\/2015\]\(https:\/\/www\.normattiva\.it\//, 'the citation links to the act')
  // The autosave catches up with the last change before the page is reloaded.
  const aApi = await api(EXPERT_A)
  for (let i = 0; i < 100 && !(await aApi('GET', `/questions/${second.id}/draft`)).body.includes('normattiva'); i++) await a.waitForTimeout(100)
  t.same(await seriousViolations(a), [], 'axe on the answer desk')
  await screenshot(a, 'scrivania-desktop')
  await a.reload()
  t.match(await editor.inputValue(), /il certificato si rilascia.*normattiva/, 'the draft survives a reload')

  await a.getByLabel('La tua domanda al comune').fill('Il minore ha già un tutore nominato dal tribunale?')
  await a.getByRole('button', { name: 'Chiedi il chiarimento' }).click()
  await a.getByText('Chiarimento chiesto: il comune riceve un’email.').waitFor()
  await a.goto(`${demo.base}/coda`)
  await a.locator(`[data-desk-item="${second.id}"]`).getByText('Aspetti il chiarimento del comune').waitFor()
  await a.locator('[data-live-status]').getByText('Aggiornamento in tempo reale attivo.').waitFor()

  // The clerk replies in a third browser; the question comes back to A first, live.
  const clerk = await signedIn(t, CLERK)
  await clerk.goto(`${demo.base}/le-mie-domande/${second.id}`)
  await clerk.getByLabel('Il tuo chiarimento').fill('Sì, il tutore è stato nominato il mese scorso.')
  await clerk.getByRole('button', { name: 'Invia il chiarimento' }).click()
  await clerk.getByText('Chiarimento del comune').waitFor()

  await a.locator('[data-live-notices]').getByText(`Il comune ha risposto al tuo chiarimento su «${second.title}».`).waitFor()
  t.equal(await a.locator('[data-desk] [data-desk-item]').first().getAttribute('data-desk-item'), second.id, 'on top of A’s desk')
  t.notOk(await a.locator(`[data-queue] [data-queue-item="${second.id}"]`).count(), 'not in the shared queue')
  const mail = await demo.app.ports.db.selectFrom('mailOutbox').select('subject').where('recipient', '=', EXPERT_A.email).execute()
  t.ok(mail.some((m) => m.subject === 'Il comune ha risposto al tuo chiarimento'), 'A gets an e-mail')
  await screenshot(a, 'coda-risposta-del-comune-desktop')

  await a.locator('[data-live-notices]').getByRole('link', { name: second.title }).click()
  await a.getByText('Il comune ha risposto: riprendi la domanda').waitFor()
  t.match(await editor.inputValue(), 'il certificato si rilascia', 'the draft is still there')
  await a.getByRole('button', { name: 'Invia la risposta' }).click()
  await a.getByText('Risposta inviata: il comune riceve un’email.').waitFor()
  t.equal((await clerkApi('GET', `/questions/${second.id}`)).json().state, 'answered')
  await screenshot(a, 'scrivania-risposta-inviata-desktop')
})

tap.test('the experts’ pages at mobile width', { skip: NO_BROWSER }, async (t) => {
  const a = await signedIn(t, EXPERT_A, MOBILE)
  await screenshot(a, 'coda-mobile')
  const id = (await (await api(EXPERT_A))('GET', '/queue?includeClaimed=true')).json()[0]?.id as string | undefined
  if (id) {
    await a.goto(`${demo.base}/coda/domande/${id}`)
    await screenshot(a, 'scrivania-mobile')
  }
})
