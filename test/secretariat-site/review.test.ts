import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { moderatorOf } from '../factories/forum.js'
import { ANSWER_142, publishedFaq } from '../factories/knowledge-base.js'
import { build } from '../helper.js'
import { brokenSummaryLinks, form, PAGE } from '../staff-site/pages.js'

const CHECKED = {
  'checklist-thirdPartyNames': '1',
  'checklist-healthData': '1',
  'checklist-judicialData': '1',
  'checklist-otherIdentifyingDetails': '1',
}

/** A published FAQ citing D.Lgs. 142/2015, flagged by a change to that act recorded from the page. */
async function flagged(t: Parameters<typeof build>[0]) {
  const app = await build(t)
  const faq = await publishedFaq(app)
  const moderator = await moderatorOf(app)
  const cookie = `ft_session=${moderator.token}`
  const recorded = await form(app, '/segreteria/revisione/modifiche-normative', { law: 'decreto legislativo 18 agosto 2015, n. 142', amendedOn: faq.answeredOn, note: 'Nuove regole sull’iscrizione anagrafica' }, { cookie })
  return { app, faq, moderator, cookie, recorded }
}

/** The edit form's fields as the page shows them. */
function shown(html: string): Record<string, string> {
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? ''
  const textarea = (name: string) => new RegExp(`name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? ''
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
  return {
    title: unescape(value('title')),
    question: unescape(textarea('question')),
    answer: unescape(textarea('answer')),
    theme: /<option value="([^"]+)" selected/.exec(html)?.[1] ?? '',
    tags: unescape(value('tags')),
    visibility: 'public',
    version: value('version'),
  }
}

t.test('a law change recorded from the page flags the FAQs citing the act, which the queue lists', async (t) => {
  const { app, faq, cookie, recorded } = await flagged(t)
  t.equal(recorded.statusCode, 303)
  const queue = await app.inject({ method: 'GET', url: String(recorded.headers.location), headers: { ...PAGE, cookie } })
  t.equal(queue.statusCode, 200)
  t.match(queue.body, 'Modifica di D.Lgs. 142/2015 registrata: 1 FAQ da rivedere.')
  t.match(queue.body, faq.title)
  t.match(queue.body, 'Nuove regole sull’iscrizione anagrafica', 'the reason')
  t.match(queue.body, `href="/segreteria/faq/${faq.slug}"`)
  const overview = await app.inject({ method: 'GET', url: '/segreteria', headers: { ...PAGE, cookie } })
  t.match(overview.body, /FAQ da rivedere<span class="badge bg-primary ms-2">1<\/span>/, 'the overview counts them')

  const unknown = await form(app, '/segreteria/revisione/modifiche-normative', { law: 'la solita legge', amendedOn: '2026-01-01', note: 'Una modifica' }, { cookie })
  t.equal(unknown.statusCode, 422)
  t.match(unknown.body, 'href="#law"')
  t.same(brokenSummaryLinks(unknown.body), [], 'the error links to the law it names')
  const incomplete = await form(app, '/segreteria/revisione/modifiche-normative', { law: 'D.Lgs. 142/2015', amendedOn: '', note: '' }, { cookie })
  t.equal(incomplete.statusCode, 400)
  t.match(incomplete.body, 'Scrivi la data della modifica.')
  t.same(brokenSummaryLinks(incomplete.body), [])
})

t.test('a flagged FAQ is edited, marked reviewed and republished; a stale form is refused', async (t) => {
  const { app, faq, moderator, cookie } = await flagged(t)
  const url = `/segreteria/faq/${faq.slug}`
  const page = await app.inject({ method: 'GET', url, headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Questa FAQ è da rivedere:')
  t.match(page.body, 'Ho controllato la risposta con la norma in vigore')
  const fields = shown(page.body)
  t.equal(fields.answer, ANSWER_142, 'the form holds the FAQ as published')
  const answer = `${ANSWER_142} Dal 2026 la domanda si presenta anche online.`
  const saved = await form(app, url, { ...fields, answer, note: 'Aggiornata alla modifica del 2026', reviewed: '1', intent: 'publish', ...CHECKED }, { cookie })
  t.equal(saved.statusCode, 303)
  const after = await app.kb.get(moderator.actor, faq.slug)
  t.match(after, { answer, version: faq.version + 1, review: { flagged: false } })
  t.same(await app.kb.reviewQueue(moderator.actor), [], 'no longer to review')
  const again = await app.inject({ method: 'GET', url: String(saved.headers.location), headers: { ...PAGE, cookie } })
  t.match(again.body, 'La FAQ è ripubblicata con le modifiche.')

  const stale = await form(app, url, { ...fields, title: 'Un titolo da una scheda vecchia', intent: 'publish', ...CHECKED }, { cookie })
  t.equal(stale.statusCode, 412)
  t.match(stale.body, 'Nel frattempo qualcun altro ha modificato questi dati')
  const unchecked = await form(app, url, { ...shown(again.body), intent: 'publish' }, { cookie })
  t.equal(unchecked.statusCode, 400, 'the checklist again')
})

t.test('the revision history shows each version with a word diff from the one before', async (t) => {
  const { app, faq, cookie } = await flagged(t)
  const url = `/segreteria/faq/${faq.slug}`
  const fields = shown((await app.inject({ method: 'GET', url, headers: { ...PAGE, cookie } })).body)
  const answer = ANSWER_142.replace('regolamento anagrafico', 'nuovo regolamento anagrafico')
  await form(app, url, { ...fields, answer, note: 'Citato il nuovo regolamento', intent: 'publish', ...CHECKED }, { cookie })
  const history = await app.inject({ method: 'GET', url: `${url}/revisioni`, headers: { ...PAGE, cookie } })
  t.equal(history.statusCode, 200)
  t.match(history.body, 'Versione 2')
  t.match(history.body, 'Citato il nuovo regolamento')
  t.match(history.body, /<ins><span class="visually-hidden">Testo aggiunto: <\/span>nuovo <\/ins>/, 'the added word')
  t.match(history.body, 'Prima versione pubblicata.')
  t.notMatch(history.body, '<del>', 'nothing was removed')
})

t.test('the review pages are the secretariat’s only', async (t) => {
  const { app, faq } = await flagged(t)
  const expert = await signIn(app, { role: 'expert' })
  const cookie = `ft_session=${expert.token}`
  for (const url of ['/segreteria/revisione', `/segreteria/faq/${faq.slug}`, `/segreteria/faq/${faq.slug}/revisioni`]) {
    t.equal((await app.inject({ method: 'GET', url, headers: { ...PAGE, cookie } })).statusCode, 403, url)
  }
  t.equal((await form(app, `/segreteria/faq/${faq.slug}`, { intent: 'publish' }, { cookie })).statusCode, 403)
})
