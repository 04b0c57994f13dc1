import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, moderatorOf, submitQuestion } from '../factories/forum.js'
import { ANSWER_142, answeredQuestion, CHECKLIST, publishBody, publishedFaq } from '../factories/knowledge-base.js'
import { build, countRows, ManualClock } from '../helper.js'

t.test('a moderator publishes an answered question; the public page names no comune and links the law', async (t) => {
  const app = await build(t)
  const { questionId, comuneName } = await answeredQuestion(app, { comuneName: 'Castelluccio dei Sauri' })
  const moderator = await moderatorOf(app)

  const res = await app.inject({ method: 'POST', url: '/api/v1/faqs', headers: moderator.headers, payload: publishBody(questionId) })
  t.equal(res.statusCode, 201, res.body)
  const faq = res.json()
  t.match(faq, { slug: 'iscrizione-anagrafica-del-richiedente-asilo-ospite-di-un-centro-d-accoglienza', state: 'published', visibility: 'public', version: 1, questionsAnswered: 1 })
  t.equal(res.headers.location, `/api/v1/faqs/${faq.slug}`)

  const page = await app.inject({ method: 'GET', url: `/api/v1/faqs/${faq.slug}` })
  t.equal(page.statusCode, 200)
  t.equal(page.headers.etag, '"1"')
  const body = page.json()
  t.notMatch(page.body, new RegExp(comuneName, 'i'), 'the asking comune is never named')
  t.match(body.origin, /^un comune/, 'only a general description of where the question came from')
  t.match(body.answerHtml, '<strong>regolamento anagrafico</strong>')
  const d142 = body.legalReferences.find((r: { key: string }) => r.key === 'D.Lgs. 142/2015')
  t.ok(d142, 'the citation is recognised and normalised')
  t.match(d142.links.inForce, 'https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2015-08-18;142')
  t.match(d142.links.atAnswerDate, /!vig=\d{4}-\d{2}-\d{2}$/)
  t.same(body.review, { flagged: false, reason: null, reviewBy: null, lawAsOf: body.answeredOn })
})

t.test('personal data blocks publishing unless a moderator overrides it, and the override is audited', async (t) => {
  const app = await build(t)
  const { questionId, comuneName } = await answeredQuestion(app, { comuneName: 'Roccaforzata' })
  const moderator = await moderatorOf(app)
  const leaky = publishBody(questionId, {
    answer: `${ANSWER_142}\n\nPer informazioni scrivere a ufficio.anagrafe@comune.roccaforzata.ta.it o chiamare il 099 123 4567 (Comune di ${comuneName}).`,
  })

  const refused = await app.inject({ method: 'POST', url: '/api/v1/faqs', headers: moderator.headers, payload: leaky })
  t.equal(refused.statusCode, 422)
  const kinds = refused.json().findings.map((f: { kind: string }) => f.kind).sort()
  t.match(refused.json(), { code: 'PRIVACY_FINDINGS' })
  t.ok(kinds.includes('email') && kinds.includes('phone') && kinds.includes('comune_name'), `findings: ${kinds.join(', ')}`)
  t.ok(refused.json().findings.every((f: { field: string; start: number; end: number }) => f.field === 'answer' && f.end > f.start), 'each finding has its position')
  t.equal(await countRows(app, 'faqs'), 0, 'nothing was written')
  t.equal(await countRows(app, 'search_outbox'), 0)

  const overridden = await app.inject({
    method: 'POST',
    url: '/api/v1/faqs',
    headers: moderator.headers,
    payload: { ...leaky, privacyOverride: { reason: "Contatti istituzionali pubblici dell'ufficio, pubblicati sul sito del comune" } },
  })
  t.equal(overridden.statusCode, 201)
  const admin = await signIn(app, { role: 'admin' })
  const audit = await app.inject({ method: 'GET', url: '/api/v1/audit-log?action=faq.privacy_override', headers: admin.headers })
  t.equal(audit.statusCode, 200)
  const [entry] = audit.json().entries
  t.match(entry, { action: 'faq.privacy_override', actorUserId: moderator.userId, details: { faqId: overridden.json().id, reason: /Contatti istituzionali/ } })
})

t.test('the moderator must confirm the whole checklist of what patterns cannot catch', async (t) => {
  const app = await build(t)
  const { questionId } = await answeredQuestion(app)
  const moderator = await moderatorOf(app)
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/faqs',
    headers: moderator.headers,
    payload: publishBody(questionId, { checklist: { ...CHECKLIST, healthData: false } as never }),
  })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'body.checklist.healthData' }] })
  t.equal(await countRows(app, 'faqs'), 0)
})

t.test('the privacy check shows findings with positions before publishing', async (t) => {
  const app = await build(t)
  const { questionId } = await answeredQuestion(app)
  const moderator = await moderatorOf(app)
  const answer = 'Il codice fiscale RSSMRA85T10A562S e l’IBAN IT60 X054 2811 1010 0000 0123 456 non vanno pubblicati.'
  const res = await app.inject({ method: 'POST', url: '/api/v1/faq-privacy-checks', headers: moderator.headers, payload: { questionId, answer } })
  t.equal(res.statusCode, 200)
  const findings = res.json().findings
  t.match(findings, [
    { field: 'answer', kind: 'fiscal_code', text: 'RSSMRA85T10A562S', start: answer.indexOf('RSSMRA') },
    { field: 'answer', kind: 'iban' },
  ])
  t.equal(res.json().checklist.length, 4)
})

t.test('only answered questions become FAQs, once', async (t) => {
  const app = await build(t)
  const moderator = await moderatorOf(app)
  const { questionId } = await answeredQuestion(app)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/faqs', headers: moderator.headers, payload: publishBody(questionId) })).statusCode, 201)
  const again = await app.inject({ method: 'POST', url: '/api/v1/faqs', headers: moderator.headers, payload: publishBody(questionId) })
  t.equal(again.statusCode, 409)
  t.match(again.json(), { code: 'FAQ_ALREADY_PUBLISHED' })

  const unknown = await app.inject({ method: 'POST', url: '/api/v1/faqs', headers: moderator.headers, payload: publishBody('00000000-0000-4000-8000-000000000000') })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.json(), { code: 'QUESTION_NOT_FOUND' })
  t.equal(await countRows(app, 'faqs'), 1)
})

t.test('an expert cannot publish and an anonymous caller is told to sign in', async (t) => {
  const app = await build(t)
  const { questionId, expert } = await answeredQuestion(app)
  const byExpert = await app.inject({ method: 'POST', url: '/api/v1/faqs', headers: expert.headers, payload: publishBody(questionId) })
  t.equal(byExpert.statusCode, 403)
  t.match(byExpert.json(), { code: 'MODERATORS_ONLY' })
  const anonymous = await app.inject({ method: 'POST', url: '/api/v1/faqs', payload: publishBody(questionId) })
  t.equal(anonymous.statusCode, 401)
})

t.test('edits need If-Match; a stale edit is 412 and every version is kept', async (t) => {
  const app = await build(t)
  const faq = await publishedFaq(app)
  const moderator = await moderatorOf(app)
  const url = `/api/v1/faqs/${faq.slug}`

  const missing = await app.inject({ method: 'PATCH', url, headers: moderator.headers, payload: { title: 'Un titolo nuovo e più chiaro', checklist: CHECKLIST } })
  t.equal(missing.statusCode, 428)
  t.match(missing.json(), { code: 'PRECONDITION_REQUIRED', currentVersion: 1 })

  const edited = await app.inject({
    method: 'PATCH',
    url,
    headers: { ...moderator.headers, 'if-match': '"1"' },
    payload: { title: 'Residenza del richiedente asilo accolto in un centro', checklist: CHECKLIST, note: 'titolo più chiaro' },
  })
  t.equal(edited.statusCode, 200)
  t.equal(edited.headers.etag, '"2"')
  t.match(edited.json(), { slug: faq.slug, title: 'Residenza del richiedente asilo accolto in un centro', version: 2 })

  const stale = await app.inject({ method: 'PATCH', url, headers: { ...moderator.headers, 'if-match': '"1"' }, payload: { title: 'Modifica su una versione vecchia', checklist: CHECKLIST } })
  t.equal(stale.statusCode, 412)
  t.match(stale.json(), { code: 'STALE_VERSION', currentVersion: 2 })
  t.equal((await app.inject({ method: 'GET', url })).json().title, 'Residenza del richiedente asilo accolto in un centro', 'the stale edit changed nothing')

  const revisions = await app.inject({ method: 'GET', url: `${url}/revisions`, headers: moderator.headers })
  t.match(revisions.json(), [
    { version: 2, note: 'titolo più chiaro', snapshot: { title: 'Residenza del richiedente asilo accolto in un centro' } },
    { version: 1, note: 'published', snapshot: { title: faq.title } },
  ])
})

t.test('an unpublished FAQ disappears from the public page and from search', async (t) => {
  const app = await build(t)
  const faq = await publishedFaq(app)
  const moderator = await moderatorOf(app)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/faqs?q=richiedente asilo anagrafe' })).json().total, 1)

  const unpublish = (ifMatch?: string) =>
    app.inject({ method: 'POST', url: `/api/v1/faqs/${faq.slug}/unpublish`, headers: { ...moderator.headers, ...(ifMatch && { 'if-match': ifMatch }) } })
  const blind = await unpublish()
  t.equal(blind.statusCode, 428, 'like an edit, unpublishing names the version it was decided on')
  t.match(blind.json(), { code: 'PRECONDITION_REQUIRED', currentVersion: faq.version })
  const stale = await unpublish(`"${faq.version + 1}"`)
  t.equal(stale.statusCode, 412)
  t.match(stale.json(), { code: 'STALE_VERSION', currentVersion: faq.version })
  const res = await unpublish(`"${faq.version}"`)
  t.equal(res.statusCode, 200)
  t.equal(res.json().state, 'unpublished')
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/faqs/${faq.slug}` })).statusCode, 404)
  await app.kb.drainIndex()
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/faqs?q=richiedente asilo anagrafe' })).json().total, 0)
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/faqs/${faq.slug}`, headers: moderator.headers })).statusCode, 200, 'moderators still see it')
})

t.test('reserved FAQs are for signed-in users only, and stay unguessable to the public', async (t) => {
  const app = await build(t)
  const faq = await publishedFaq(app, { visibility: 'reserved' })
  const staff = await signIn(app, { role: 'staff' })
  const publicPage = await app.inject({ method: 'GET', url: `/api/v1/faqs/${faq.slug}` })
  t.equal(publicPage.statusCode, 404)
  t.match(publicPage.json(), { code: 'FAQ_NOT_FOUND' })
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/faqs/${faq.slug}`, headers: staff.headers })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/faqs' })).json().total, 0, 'not listed for the public')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/faqs', headers: staff.headers })).json().total, 1)
  t.notMatch((await app.inject({ method: 'GET', url: '/api/v1/faqs/feed.atom' })).body, faq.slug, 'not in the public feed')
})

t.test('a change in the law flags every FAQ citing it; the FAQ stays public and says on which law it rests', async (t) => {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'))
  const app = await build(t, { clock })
  const faq = await publishedFaq(app)
  const other = await publishedFaq(app, { answer: "La legge 5 febbraio 1992, n. 91 disciplina la cittadinanza: l'art. 9 prevede dieci anni di residenza legale." })
  clock.advance(30 * 86_400_000)
  const moderator = await signIn(app, { role: 'moderator' }) // a month later: a fresh session

  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/legal-amendments',
    headers: moderator.headers,
    payload: { law: 'decreto legislativo 18 agosto 2015, n. 142', amendedOn: '2026-03-20', note: 'modifiche all’art. 5' },
  })
  t.equal(res.statusCode, 201, res.body)
  t.match(res.json(), { law: 'D.Lgs. 142/2015', flaggedFaqs: [{ slug: faq.slug }] })
  t.equal(res.json().flaggedFaqs.length, 1, 'FAQs citing other acts are not flagged')

  const page = (await app.inject({ method: 'GET', url: `/api/v1/faqs/${faq.slug}` })).json()
  t.match(page.review, { flagged: true, reason: /D\.Lgs\. 142\/2015 modificato il 2026-03-20/, lawAsOf: '2026-03-02' })
  const queue = await app.inject({ method: 'GET', url: '/api/v1/faq-review-queue', headers: moderator.headers })
  t.same(queue.json().map((f: { slug: string }) => f.slug), [faq.slug])
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/faqs/${other.slug}` })).json().review.flagged, false)

  const reviewed = await app.inject({
    method: 'PATCH',
    url: `/api/v1/faqs/${faq.slug}`,
    headers: { ...moderator.headers, 'if-match': `"${page.version}"` },
    payload: { checklist: CHECKLIST, reviewed: true, note: 'verificata con la norma vigente' },
  })
  t.match(reviewed.json().review, { flagged: false, lawAsOf: '2026-04-01' })

  const unknown = await app.inject({ method: 'POST', url: '/api/v1/legal-amendments', headers: moderator.headers, payload: { law: 'la legge nuova', amendedOn: '2026-03-20', note: 'x y z' } })
  t.equal(unknown.statusCode, 422)
  t.match(unknown.json(), { code: 'UNKNOWN_LAW_CITATION' })
})

t.test('closing a question as a duplicate of an FAQ counts on the FAQ page', async (t) => {
  const app = await build(t)
  const faq = await publishedFaq(app)
  const day = await createForumDay(app)
  const asker = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert' })
  const duplicate = (questionId: string, faqRef: string) =>
    app.inject({ method: 'POST', url: `/api/v1/questions/${questionId}/duplicate`, headers: expert.headers, payload: { faq: faqRef } })

  const fresh = await submitQuestion(app, asker, day.id)
  const res = await duplicate(fresh.id, faq.slug)
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { state: 'duplicate', duplicateOfFaq: faq.slug })
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/faqs/${faq.slug}` })).json().questionsAnswered, 2)

  const another = await submitQuestion(app, asker, day.id)
  const missing = await duplicate(another.id, 'non-esiste')
  t.equal(missing.statusCode, 404)
  t.match(missing.json(), { code: 'FAQ_NOT_FOUND' })
})
