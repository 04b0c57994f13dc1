import type { Browser, Page } from 'playwright-core'
import tap, { type Test } from 'tap'
import { demoSite, type DemoSite } from '../public-site/demo-site.js'
import { launchBrowser, type Login, NO_BROWSER, screenshot, seriousViolations, signedInPage } from '../web/browser.js'

if (NO_BROWSER) tap.comment(`skipping browser tests: ${NO_BROWSER}`)
tap.setTimeout(900_000)

/** The embedded demo's logins (src/accounts/demo.ts). */
const CLERK = { email: 'anagrafe@demo.comune.polizzigenerosa.example', password: 'demo-staff-Polizzi-2026' }
const MODERATOR = { email: 'segreteria@demo.anci.example', password: 'demo-segreteria-Anci-2026' }

let browser: Browser
let demo: DemoSite

tap.before(async () => {
  if (NO_BROWSER) return
  browser = await launchBrowser()
  demo = await demoSite(tap)
})
tap.teardown(() => browser?.close())

const signedIn = (t: Test, who: Login): Promise<Page> => signedInPage(t, browser, demo.base, who)

async function checkPage(t: Test, page: Page, name: string): Promise<void> {
  t.same(await seriousViolations(page), [], `axe on ${new URL(page.url()).pathname}`)
  await screenshot(page, `autodiagnosi-${name}`)
}

/** The level each area's questions get: organization 1, demographic services 0, reception 1, integration 2. */
const LEVEL: Record<string, string> = { o: '1', d: '0', a: '1', i: '2' }

/** Answers every question of the area form on screen ("non applicabile" for the reception centres). */
async function answerArea(page: Page): Promise<void> {
  const names = await page.evaluate<string[]>(`[...new Set([...document.querySelectorAll('form.sa-area-form input[type=radio]')].map((r) => r.name))]`)
  for (const name of names) {
    const code = name.slice(2)
    const value = code === 'd-convivenze' ? 'na' : (LEVEL[code[0]!] ?? '1')
    // Bootstrap Italia draws its own radio over the input: a person clicks the label.
    await page.locator(`label[for="q-${code}-${value}"]`).click()
  }
}

tap.test('Polizzi Generosa fills in the autodiagnosi, submits, reads and prints the result; a new version leaves it as answered', { skip: NO_BROWSER }, async (t) => {
  const clerk = await signedIn(t, CLERK)
  t.equal(new URL(clerk.url()).pathname, '/il-mio-forum')
  await clerk.getByRole('link', { name: 'Autodiagnosi del tuo ente' }).click()
  t.equal(new URL(clerk.url()).pathname, '/autodiagnosi')
  await checkPage(t, clerk, 'home')
  await clerk.getByRole('button', { name: 'Avvia l’autodiagnosi' }).click()
  await clerk.waitForURL(/\/autodiagnosi\/[0-9a-f-]{36}$/)
  const id = /\/autodiagnosi\/([0-9a-f-]{36})/.exec(clerk.url())![1]!
  await checkPage(t, clerk, 'aree')

  // First area: answered, saved, and still there after a reload.
  await clerk.getByRole('link', { name: 'Organizzazione e gestione associata' }).click()
  await answerArea(clerk)
  await clerk.getByRole('button', { name: 'Salva', exact: true }).click()
  await clerk.getByText('Risposte salvate.').waitFor()
  await clerk.reload()
  t.ok(await clerk.locator('input[name="q:o-referente"][value="1"]').isChecked(), 'the saved answer is there after a reload')
  await checkPage(t, clerk, 'area')
  await clerk.getByRole('button', { name: 'Salva e continua' }).click()

  // The other areas, one after another.
  for (const title of ['Servizi demografici e anagrafe degli stranieri', 'Accoglienza e rete SAI', 'Integrazione e rete territoriale']) {
    await clerk.getByRole('heading', { level: 1, name: title }).waitFor()
    await answerArea(clerk)
    await clerk.getByRole('button', { name: 'Salva e continua' }).click()
  }
  await clerk.getByRole('heading', { level: 1, name: 'Riepilogo e invio' }).waitFor()
  await clerk.getByText('Tutte le domande hanno una risposta.').waitFor()
  await checkPage(t, clerk, 'riepilogo')
  await clerk.getByRole('button', { name: 'Invia l’autodiagnosi' }).click()
  await clerk.waitForURL(`${demo.base}/autodiagnosi/${id}/risultato`)

  // The result: chart, the same numbers in a table, positions in words, FAQs per gap.
  await clerk.locator('canvas[data-chart-ready="true"]').waitFor()
  const rows = clerk.locator('#sa-table tbody tr')
  t.equal(await rows.count(), 4, 'one row per area')
  t.match(await rows.nth(1).textContent(), /Servizi demografici.*da costruire/, 'demographic services far from the model')
  t.match(await rows.nth(3).textContent(), /Integrazione.*in linea con il modello/)
  t.match(await clerk.locator('main').textContent(), 'Modello di riferimento: Comune fino a 5.000 abitanti')
  t.match(await clerk.locator('main').textContent(), 'I Servizi Demografici: il rapporto diretto con il cittadino immigrato', 'a forum-day theme for the gap')
  await checkPage(t, clerk, 'risultato')

  // Printed for the giunta: no site header, navigation or buttons.
  await clerk.emulateMedia({ media: 'print' })
  t.equal(await clerk.evaluate(`getComputedStyle(document.querySelector('.it-header-wrapper')).display`), 'none', 'the header is not printed')
  t.equal(await clerk.evaluate(`getComputedStyle(document.querySelector('.sa-result .no-print')).display`), 'none', 'nor the buttons')
  t.equal(await clerk.evaluate(`getComputedStyle(document.querySelector('#sa-table')).display`), 'table', 'the table is')
  await screenshot(clerk, 'autodiagnosi-risultato-stampa')
  await clerk.emulateMedia({ media: 'screen' })

  const faq = clerk.locator('.sa-next-steps a[href^="/domande-e-risposte/"]').first()
  const faqTitle = (await faq.textContent())!.trim()
  await faq.click()
  await clerk.waitForURL(/\/domande-e-risposte\/[^/]+$/)
  t.equal((await clerk.getByRole('heading', { level: 1 }).textContent())?.trim(), faqTitle, 'the recommended FAQ opens')

  // The secretariat: aggregates with small groups suppressed, then a new version published.
  const moderator = await signedIn(t, MODERATOR)
  await moderator.goto(`${demo.base}/segreteria/autodiagnosi`)
  const regions = moderator.locator('table', { has: moderator.locator('caption', { hasText: 'per area e regione' }) })
  t.match(await regions.locator('tr', { hasText: 'Piemonte' }).textContent(), /Piemonte\s*6/, 'six organizations of Piemonte: shown')
  t.match(await regions.locator('tr', { hasText: 'Toscana' }).textContent(), /Toscana\s*< 5/, 'two of Toscana: suppressed')
  t.match(await regions.locator('tr', { hasText: 'Sicilia' }).textContent(), /Sicilia\s*< 5/, 'Polizzi Generosa alone: suppressed')
  t.equal(await moderator.locator('[data-aggregate="submitted"]').textContent(), '9')
  await checkPage(t, moderator, 'segreteria')

  await moderator.getByText('Modifica la versione 1 (JSON)').click()
  const editor = moderator.getByLabel('Contenuto del questionario (JSON)').first()
  const content = JSON.parse(await editor.inputValue()) as { title: string; areas: Array<{ targets: Record<string, number> }> }
  content.title = 'Autodiagnosi 2027: modelli organizzativi e servizi demografici'
  content.areas[0]!.targets.comune_piccolo = 2
  await editor.fill(JSON.stringify(content, null, 2))
  await moderator.getByRole('button', { name: 'Salva le modifiche' }).click()
  await moderator.getByText('Fatto.').waitFor()
  t.match(await moderator.locator('main').textContent(), /Autodiagnosi 2027[^]*versione 2\s*bozza/, 'answered: the edit is version 2, a draft')
  await moderator.getByRole('button', { name: 'Pubblica questa versione' }).click()
  await moderator.getByText('Fatto.').waitFor()
  t.match(await moderator.locator('main').textContent(), /versione 2\s*pubblicata/)
  t.match(await moderator.locator('main').textContent(), /versione 1\s*sostituita/)

  await clerk.goto(`${demo.base}/autodiagnosi/${id}/risultato`)
  t.match(await clerk.locator('main').textContent(), /\(versione 1\)/, 'the earlier result still shows the version it answered')
  t.notMatch(await clerk.locator('main').textContent(), 'Autodiagnosi 2027')
  t.match(await clerk.locator('#sa-table tbody tr').first().textContent(), /1,5/, "with version 1's target")
  await clerk.goto(`${demo.base}/autodiagnosi`)
  t.match(await clerk.locator('main').textContent(), 'Autodiagnosi 2027', 'a new assessment would start on version 2')
})
