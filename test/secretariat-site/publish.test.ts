import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, moderatorOf, submitQuestion } from '../factories/forum.js'
import { answeredQuestion } from '../factories/knowledge-base.js'
import { build } from '../helper.js'
import { brokenSummaryLinks, form, PAGE } from '../staff-site/pages.js'

const CHECKED = {
  'checklist-thirdPartyNames': '1',
  'checklist-healthData': '1',
  'checklist-judicialData': '1',
  'checklist-otherIdentifyingDetails': '1',
}

let made = 0

/** An answered question whose answer names the asking comune and gives a fiscal code. */
async function deskWithAnswer(t: Parameters<typeof build>[0]) {
  const app = await build(t)
  const comuneName = `Borgo Fiorito ${++made}`
  // The answer names the comune that asked and gives a fiscal code: two findings for the desk.
  const source = await answeredQuestion(app, {
    comuneName,
    title: 'Iscrizione anagrafica di un richiedente asilo ospite di un centro',
    answer: `Sì: il comune di ${comuneName} iscrive il richiedente (codice fiscale RSSMRA80A01H501U) ai sensi del D.Lgs. 142/2015, art. 5.`,
  })
  const moderator = await moderatorOf(app)
  const cookie = `ft_session=${moderator.token}`
  return { app, source, cookie }
}

/** The form's current values as the page shows them, as a browser would post them back. */
function formValues(html: string): Record<string, string> {
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? ''
  const textarea = (name: string) => new RegExp(`name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? ''
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
  const theme = /<option value="([^"]+)" selected/.exec(html)?.[1] ?? ''
  return {
    title: unescape(value('title')),
    question: unescape(textarea('question')),
    answer: unescape(textarea('answer')),
    theme,
    tags: unescape(value('tags')),
    visibility: 'public',
  }
}

t.test('the secretariat pages need a session and are for moderators and admins', async (t) => {
  const app = await build(t)
  const anonymous = await app.inject({ method: 'GET', url: '/segreteria', headers: PAGE })
  t.equal(anonymous.statusCode, 303)
  t.equal(anonymous.headers.location, '/accedi?ritorno=%2Fsegreteria')
  for (const role of ['staff', 'expert'] as const) {
    const user = await signIn(app, { role })
    const refused = await app.inject({ method: 'GET', url: '/segreteria', headers: { ...PAGE, cookie: `ft_session=${user.token}` } })
    t.equal(refused.statusCode, 403, role)
  }
  const admin = await signIn(app, { role: 'admin' })
  t.equal((await app.inject({ method: 'GET', url: '/segreteria', headers: { ...PAGE, cookie: `ft_session=${admin.token}` } })).statusCode, 200, 'admin')
})

t.test('the overview lists answered questions not yet published, each with its publish link', async (t) => {
  const { app, source, cookie } = await deskWithAnswer(t)
  const page = await app.inject({ method: 'GET', url: '/segreteria', headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Risposte da pubblicare')
  t.match(page.body, 'Iscrizione anagrafica di un richiedente asilo ospite di un centro')
  t.match(page.body, `href="/segreteria/domande/${source.questionId}/faq"`)
})

t.test('the publish form is filled from the question and its answer, with findings marked and references shown', async (t) => {
  const { app, source, cookie } = await deskWithAnswer(t)
  const page = await app.inject({ method: 'GET', url: `/segreteria/domande/${source.questionId}/faq`, headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'value="Iscrizione anagrafica di un richiedente asilo ospite di un centro"', 'title from the question')
  t.match(page.body, `il comune di ${source.comuneName} iscrive`, 'answer from the question')
  t.match(page.body, '<option value="servizi-demografici" selected>Servizi demografici e soggiorno del cittadino straniero</option>', 'the question’s theme, by label')
  t.match(page.body, /<mark><span class="visually-hidden">Dato personale \d \(Codice fiscale\): <\/span>RSSMRA80A01H501U<\/mark>/, 'the fiscal code marked in place')
  t.match(page.body, `>${source.comuneName}</mark>`, 'the asking comune marked in place')
  t.match(page.body, '2 possibili dati personali')
  t.match(page.body, /<strong>D\.Lgs\. 142\/2015<\/strong> – Accoglienza dei richiedenti protezione internazionale/, 'the legal reference recognised')
  t.match(page.body, /href="https:\/\/www\.normattiva\.it\/[^"]+"/, 'with its Normattiva link')
  t.match(page.body, 'Non restano dati sulla salute', 'the checklist is part of the form')
  t.match(page.body, '/domande-e-risposte/iscrizione-anagrafica-di-un-richiedente-asilo-ospite-di-un-centro', 'the slug to be')
})

t.test('each finding is replaced from the form, then the FAQ is published and the asker’s page links to it', async (t) => {
  const { app, source, cookie } = await deskWithAnswer(t)
  const url = `/segreteria/domande/${source.questionId}/faq`
  let page = await app.inject({ method: 'GET', url, headers: { ...PAGE, cookie } })
  for (let i = 0; i < 2; i++) {
    const key = /name="intent" value="fix:([^"]+)"/.exec(page.body)![1]!
    const suggestion = new RegExp(`name="replacement-${key}"[^>]*value="([^"]*)"`).exec(page.body)![1]!
    page = await form(app, url, { ...formValues(page.body), intent: `fix:${key}`, [`replacement-${key}`]: suggestion }, { cookie })
    t.equal(page.statusCode, 200)
    t.match(page.body, 'Il dato personale è stato sostituito')
  }
  t.notMatch(page.body, 'RSSMRA80A01H501U')
  t.match(page.body, '[codice fiscale]')
  t.match(page.body, 'il comune di il Comune iscrive', 'the comune replaced by the suggestion')
  t.match(page.body, 'Nessun dato personale trovato')

  const missing = await form(app, url, { ...formValues(page.body), intent: 'publish' }, { cookie })
  t.equal(missing.statusCode, 400, 'the checklist is required')
  t.match(missing.body, 'Conferma tutte le voci della lista sui dati personali.')

  const published = await form(app, url, { ...formValues(page.body), tags: 'anagrafe, richiedenti asilo', intent: 'publish', ...CHECKED }, { cookie })
  t.equal(published.statusCode, 303)
  const slug = decodeURIComponent(/pubblicata=([^&]+)/.exec(String(published.headers.location))![1]!)
  const faq = await app.kb.get(source.staff.actor, slug)
  t.match(faq, { theme: 'servizi-demografici', themeLabel: 'Servizi demografici e soggiorno del cittadino straniero', tags: ['anagrafe', 'richiedenti asilo'] })
  t.notMatch(faq.answer, 'RSSMRA80A01H501U')
  const overview = await app.inject({ method: 'GET', url: String(published.headers.location), headers: { ...PAGE, cookie } })
  t.match(overview.body, 'è pubblicata.')
  t.notMatch(overview.body, `href="/segreteria/domande/${source.questionId}/faq"`, 'no longer waiting')

  const again = await form(app, url, { ...formValues(page.body), intent: 'publish', ...CHECKED }, { cookie })
  t.equal(again.statusCode, 409, 'a second publish of the same question is refused with a way to the FAQ')
  t.match(again.body, `/domande-e-risposte/${slug}`)

  const askerPage = await app.inject({ method: 'GET', url: `/le-mie-domande/${source.questionId}`, headers: { ...PAGE, cookie: `ft_session=${source.staff.token}` } })
  t.match(askerPage.body, `href="/domande-e-risposte/${slug}"`, 'the asking organization’s question page links to the FAQ')
})

t.test('publishing with the findings left needs a reason, which is audited', async (t) => {
  const { app, source, cookie } = await deskWithAnswer(t)
  const url = `/segreteria/domande/${source.questionId}/faq`
  const page = await app.inject({ method: 'GET', url, headers: { ...PAGE, cookie } })
  const refused = await form(app, url, { ...formValues(page.body), intent: 'publish', ...CHECKED }, { cookie })
  t.equal(refused.statusCode, 422)
  t.match(refused.body, 'role="alert"')
  const shortReason = await form(app, url, { ...formValues(page.body), intent: 'publish', overrideReason: 'ok', ...CHECKED }, { cookie })
  t.equal(shortReason.statusCode, 400)
  t.match(shortReason.body, 'La motivazione deve avere almeno 10 caratteri.')
  t.same(brokenSummaryLinks(shortReason.body), [], 'the override’s error links to its reason')
  t.match(shortReason.body, /<textarea[^>]*id="overrideReason"[^>]*aria-describedby="overrideReason-help overrideReason-error"/, 'and is read with it')
  const done = await form(app, url, { ...formValues(page.body), intent: 'publish', overrideReason: 'Codice fiscale di esempio, non di una persona', ...CHECKED }, { cookie })
  t.equal(done.statusCode, 303)
  const audit = await app.ports.db.selectFrom('auditLog').select('action').where('action', '=', 'faq.privacy_override').execute()
  t.equal(audit.length, 1)
})

t.test('a theme outside the vocabulary and a question without an answer are refused', async (t) => {
  const { app, source, cookie } = await deskWithAnswer(t)
  const url = `/segreteria/domande/${source.questionId}/faq`
  const page = await app.inject({ method: 'GET', url, headers: { ...PAGE, cookie } })
  const wrongTheme = await form(
    app,
    url,
    { ...formValues(page.body), theme: 'giardinaggio', intent: 'publish', overrideReason: 'Dati di esempio, non di persone reali', ...CHECKED },
    { cookie },
  )
  t.equal(wrongTheme.statusCode, 422)
  t.match(wrongTheme.body, 'Scegli un tema dall’elenco.')
  t.same(brokenSummaryLinks(wrongTheme.body), [])

  const api = await app.inject({
    method: 'POST',
    url: '/api/v1/faqs',
    headers: { authorization: `Bearer ${(await moderatorOf(app)).token}` },
    payload: { questionId: source.questionId, title: 'Un titolo abbastanza lungo', question: 'Una domanda di prova', answer: 'Una risposta di prova', theme: 'Anagrafe', checklist: { thirdPartyNames: true, healthData: true, judicialData: true, otherIdentifyingDetails: true } },
  })
  t.equal(api.statusCode, 400, 'the API refuses free text as a theme')

  const day = await createForumDay(app)
  const waiting = await submitQuestion(app, source.staff, day.id)
  const notYet = await app.inject({ method: 'GET', url: `/segreteria/domande/${waiting.id}/faq`, headers: { ...PAGE, cookie } })
  t.equal(notYet.statusCode, 409)
  t.match(notYet.body, 'Solo le domande con risposta si pubblicano come FAQ.')
})
