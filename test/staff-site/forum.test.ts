import t from 'tap'
import { createOrganization, signIn } from '../factories/accounts.js'
import { claimedBy, createForumDay, submitQuestion } from '../factories/forum.js'
import { publishInput } from '../factories/knowledge-base.js'
import { build, countRows } from '../helper.js'
import { brokenSummaryLinks, form, PAGE } from './pages.js'

const HOUR = 3_600_000

/** A staff member of an eligible comune, signed in the browser's way, and today's open day. */
async function clerkWithOpenDay(t: Parameters<typeof build>[0]) {
  const app = await build(t)
  const day = await createForumDay(app, { title: 'Giornata di forum di dicembre' })
  const clerk = await signIn(app, { role: 'staff', displayName: 'Ufficio Anagrafe' })
  const cookie = `ft_session=${clerk.token}`
  return { app, day, clerk, cookie }
}

t.test('the forum page needs a session, and is for the staff of a comune', async (t) => {
  const app = await build(t)
  const anonymous = await app.inject({ method: 'GET', url: '/il-mio-forum', headers: PAGE })
  t.equal(anonymous.statusCode, 303)
  t.equal(anonymous.headers.location, '/accedi?ritorno=%2Fil-mio-forum')
  const expert = await signIn(app, { role: 'expert' })
  const refused = await app.inject({ method: 'GET', url: '/il-mio-forum', headers: { ...PAGE, cookie: `ft_session=${expert.token}` } })
  t.equal(refused.statusCode, 403)
  t.match(refused.headers['content-type'], 'text/html')
})

t.test('the forum page shows the open day, its themes in Italian, eligibility and the day’s questions', async (t) => {
  const { app, day, clerk, cookie } = await clerkWithOpenDay(t)
  const org = await app.comuni.getOrganization(clerk.organizationId!)
  await submitQuestion(app, clerk, day.id, { title: 'Iscrizione anagrafica di un richiedente asilo' })
  const page = await app.inject({ method: 'GET', url: '/il-mio-forum', headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Giornata aperta')
  t.match(page.body, 'Giornata di forum di dicembre')
  t.match(page.body, 'Servizi demografici e soggiorno del cittadino straniero')
  t.match(page.body, `Sì: ${org.name} è ammesso`)
  t.match(page.body, `href="/il-mio-forum/domande/nuova?giornata=${day.id}"`)
  t.match(page.body, 'Iscrizione anagrafica di un richiedente asilo')
  t.match(page.body, 'In attesa di un esperto')
  t.match(page.body, 'ore', 'closing time in words')
})

t.test('a comune outside the edition reads that it is not eligible, and why', async (t) => {
  const app = await build(t)
  await createForumDay(app)
  const org = await createOrganization(app, { region: 'Lombardia' })
  const clerk = await signIn(app, { role: 'staff', organizationId: org.id })
  const page = await app.inject({ method: 'GET', url: '/il-mio-forum', headers: { ...PAGE, cookie: `ft_session=${clerk.token}` } })
  t.match(page.body, `No: ${org.name} non è ammesso`)
  t.match(page.body, 'questa edizione non comprende la regione del tuo ente')
  t.notMatch(page.body, 'Fai una domanda</a>', 'no way to ask')
})

t.test('with no open day, the next one with its date in Rome time and a countdown', async (t) => {
  const app = await build(t)
  const now = app.ports.clock.now().getTime()
  await createForumDay(app, { title: 'Giornata di gennaio', opensAt: new Date(now + 50 * HOUR), closesAt: new Date(now + 58 * HOUR) })
  const clerk = await signIn(app, { role: 'staff' })
  const page = await app.inject({ method: 'GET', url: '/il-mio-forum', headers: { ...PAGE, cookie: `ft_session=${clerk.token}` } })
  t.match(page.body, 'Prossima giornata')
  t.match(page.body, 'Giornata di gennaio')
  t.match(page.body, /Apertura: \S+ \d+ \S+ \d{4}, ore \d\d:\d\d/)
  t.match(page.body, 'Apre tra 2 giorni.')
})

t.test('asking: themes by their Italian label, a key made with the form, and a double submit makes one question', async (t) => {
  const { app, day, cookie } = await clerkWithOpenDay(t)
  const page = await app.inject({ method: 'GET', url: `/il-mio-forum/domande/nuova?giornata=${day.id}`, headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, '<option value="servizi-demografici">Servizi demografici e soggiorno del cittadino straniero</option>')
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)?.[1]
  t.ok(key, 'a key in the form')
  const again = await app.inject({ method: 'GET', url: `/il-mio-forum/domande/nuova?giornata=${day.id}`, headers: { ...PAGE, cookie } })
  t.not(/name="idempotencyKey" value="([^"]+)"/.exec(again.body)?.[1], key, 'each form its own key')

  const fields = { forumDayId: day.id, idempotencyKey: key!, title: 'Residenza di un cittadino extra UE', body: 'Come si procede con l’iscrizione anagrafica se manca il contratto?', theme: 'servizi-demografici' }
  const [first, second] = await Promise.all([form(app, '/il-mio-forum/domande', fields, { cookie }), form(app, '/il-mio-forum/domande', fields, { cookie })])
  t.equal(first.statusCode, 303)
  t.equal(second.statusCode, 303)
  t.equal(first.headers.location, second.headers.location, 'both lead to the same question')
  t.match(first.headers.location, /^\/le-mie-domande\/[0-9a-f-]{36}\?inviata=1$/)
  t.equal(await countRows(app, 'questions'), 1)

  const shown = await app.inject({ method: 'GET', url: first.headers.location as string, headers: { ...PAGE, cookie } })
  t.equal(shown.statusCode, 200)
  t.match(shown.body, 'data-clear-draft')
  t.match(shown.body, 'Come si procede con l’iscrizione anagrafica se manca il contratto?')
})

t.test('asking with missing fields says what to fix and keeps the text', async (t) => {
  const { app, day, cookie } = await clerkWithOpenDay(t)
  const res = await form(app, '/il-mio-forum/domande', { forumDayId: day.id, idempotencyKey: 'k-1', title: 'Ciao', body: 'Un testo <script>alert(1)</script> abbastanza lungo', theme: '' }, { cookie })
  t.equal(res.statusCode, 400)
  t.match(res.body, 'Scrivi un titolo di almeno 5 caratteri')
  t.match(res.body, 'Scegli il tema della domanda.')
  t.same(brokenSummaryLinks(res.body), [], 'each error links to its field')
  t.match(res.body, /id="title"[^>]*aria-describedby="title-help title-error"/, 'the title is read with its help and its error')
  t.match(res.body, 'Un testo &lt;script>alert(1)&lt;/script> abbastanza lungo', 'the text is kept, escaped')
  t.match(res.body, 'value="k-1"', 'the same key: nothing was created')
  t.equal(await countRows(app, 'questions'), 0)
})

t.test('a day not open yet says when it opens and keeps the question in the form', async (t) => {
  const app = await build(t)
  const now = app.ports.clock.now().getTime()
  const day = await createForumDay(app, { opensAt: new Date(now + 5 * HOUR), closesAt: new Date(now + 9 * HOUR) })
  const clerk = await signIn(app, { role: 'staff' })
  const cookie = `ft_session=${clerk.token}`
  const page = await app.inject({ method: 'GET', url: '/il-mio-forum/domande/nuova', headers: { ...PAGE, cookie } })
  t.match(page.body, 'Non c’è una giornata di forum aperta')
  const res = await form(
    app,
    '/il-mio-forum/domande',
    { forumDayId: day.id, idempotencyKey: 'k-2', title: 'Cittadinanza per residenza', body: 'Quali documenti servono per la domanda di cittadinanza?', theme: 'servizi-demografici' },
    { cookie },
  )
  t.equal(res.statusCode, 409)
  t.match(res.body, 'La giornata di forum non è ancora aperta: apre')
  t.match(res.body, 'Quali documenti servono per la domanda di cittadinanza?')
  t.match(res.body, 'value="Cittadinanza per residenza"')
})

t.test('a closed day says when it closed and keeps the question in the form', async (t) => {
  const app = await build(t)
  const now = app.ports.clock.now().getTime()
  const day = await createForumDay(app, { opensAt: new Date(now - 30 * HOUR), closesAt: new Date(now - 22 * HOUR) })
  const clerk = await signIn(app, { role: 'staff' })
  const cookie = `ft_session=${clerk.token}`
  const page = await app.inject({ method: 'GET', url: `/il-mio-forum/domande/nuova?giornata=${day.id}`, headers: { ...PAGE, cookie } })
  t.match(page.body, 'Questa giornata non accetta più domande: ha chiuso')
  const res = await form(
    app,
    '/il-mio-forum/domande',
    { forumDayId: day.id, idempotencyKey: 'k-3', title: 'Cittadinanza per residenza', body: 'Quali documenti servono per la domanda di cittadinanza?', theme: 'servizi-demografici' },
    { cookie },
  )
  t.equal(res.statusCode, 409)
  t.match(res.body, 'La giornata di forum è chiusa: ha chiuso')
  t.match(res.body, 'Quali documenti servono per la domanda di cittadinanza?')
})

t.test('my questions: the organization’s questions across days, in Italian, with a marker for a clarification', async (t) => {
  const { app, day, clerk, cookie } = await clerkWithOpenDay(t)
  const colleague = await signIn(app, { role: 'staff', organizationId: clerk.organizationId! })
  const other = await signIn(app, { role: 'staff' })
  const mine = await submitQuestion(app, clerk, day.id, { title: 'Domanda del mio ufficio' })
  const theirs = await submitQuestion(app, colleague, day.id, { title: 'Domanda della collega' })
  await submitQuestion(app, other, day.id, { title: 'Domanda di un altro comune' })
  const expert = await claimedBy(app, mine.id)
  await app.questions.requestClarification(expert.actor, mine.id, 'Il richiedente ha un permesso in corso di validità?')
  await claimedBy(app, theirs.id)

  const page = await app.inject({ method: 'GET', url: '/le-mie-domande', headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Domanda del mio ufficio')
  t.match(page.body, 'Domanda della collega')
  t.notMatch(page.body, 'Domanda di un altro comune')
  t.match(page.body, 'Chiarimento richiesto')
  t.match(page.body, 'In lavorazione')
  t.match(page.body, '1 domanda aspetta un tuo chiarimento.')
  t.match(page.body, `data-live-organization="${clerk.organizationId}"`)
})

t.test('a question’s page: the thread rendered safely, the reply form while a clarification is awaited', async (t) => {
  const { app, day, clerk, cookie } = await clerkWithOpenDay(t)
  const q = await submitQuestion(app, clerk, day.id, { body: 'Testo con <img src=x onerror=alert(1)> e **grassetto**' })
  const expert = await claimedBy(app, q.id)
  await app.questions.requestClarification(expert.actor, q.id, 'Serve sapere la data di ingresso.')
  const page = await app.inject({ method: 'GET', url: `/le-mie-domande/${q.id}`, headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.notMatch(page.body, '<img src=x', 'no raw HTML from the question')
  t.match(page.body, '<strong>grassetto</strong>')
  t.match(page.body, 'Richiesta di chiarimento dell’esperto')
  t.match(page.body, 'Serve sapere la data di ingresso.')
  t.match(page.body, `action="/le-mie-domande/${q.id}/chiarimento"`)
  t.notMatch(page.body, '/ritira"', 'no withdraw once claimed')

  const empty = await form(app, `/le-mie-domande/${q.id}/chiarimento`, { message: ' ' }, { cookie })
  t.equal(empty.statusCode, 400)
  t.match(empty.body, 'Scrivi il chiarimento prima di inviarlo.')
  const sent = await form(app, `/le-mie-domande/${q.id}/chiarimento`, { message: 'È entrato in Italia a marzo.' }, { cookie })
  t.equal(sent.statusCode, 303)
  const after = await app.inject({ method: 'GET', url: `/le-mie-domande/${q.id}`, headers: { ...PAGE, cookie } })
  t.match(after.body, 'Chiarimento del comune')
  t.match(after.body, 'È entrato in Italia a marzo.')
  t.notMatch(after.body, '/chiarimento"', 'no reply form once replied')
})

t.test('withdraw while unclaimed, close once answered, and the link to the published FAQ', async (t) => {
  const { app, day, clerk, cookie } = await clerkWithOpenDay(t)
  const first = await submitQuestion(app, clerk, day.id)
  const page = await app.inject({ method: 'GET', url: `/le-mie-domande/${first.id}`, headers: { ...PAGE, cookie } })
  t.match(page.body, `action="/le-mie-domande/${first.id}/ritira"`)
  const withdrawn = await form(app, `/le-mie-domande/${first.id}/ritira`, {}, { cookie })
  t.equal(withdrawn.statusCode, 303)
  t.equal((await app.questions.get(clerk.actor, first.id)).state, 'withdrawn')
  const twice = await form(app, `/le-mie-domande/${first.id}/ritira`, {}, { cookie })
  t.equal(twice.statusCode, 409, 'a second withdraw is explained, not an error page')
  t.match(twice.body, 'Ritirata')

  const second = await submitQuestion(app, clerk, day.id, { title: 'Rinnovo del permesso di soggiorno' })
  const expert = await claimedBy(app, second.id)
  await app.questions.answer(expert.actor, second.id, 'La risposta: serve il **modulo** aggiornato.')
  const answered = await app.inject({ method: 'GET', url: `/le-mie-domande/${second.id}`, headers: { ...PAGE, cookie } })
  t.match(answered.body, 'Risposta dell’esperto')
  t.match(answered.body, `action="/le-mie-domande/${second.id}/chiudi"`)
  const moderator = await signIn(app, { role: 'moderator' })
  const faq = await app.kb.publish(moderator.actor, publishInput(second.id))
  const published = await app.inject({ method: 'GET', url: `/le-mie-domande/${second.id}`, headers: { ...PAGE, cookie } })
  t.match(published.body, `href="/domande-e-risposte/${faq.slug}"`)
  t.match(published.body, 'Leggi la risposta pubblicata')
  t.equal((await form(app, `/le-mie-domande/${second.id}/chiudi`, {}, { cookie })).statusCode, 303)
  t.equal((await app.questions.get(clerk.actor, second.id)).state, 'closed')
})

t.test('another organization’s question is not shown', async (t) => {
  const { app, day, cookie } = await clerkWithOpenDay(t)
  const other = await signIn(app, { role: 'staff' })
  const q = await submitQuestion(app, other, day.id)
  const res = await app.inject({ method: 'GET', url: `/le-mie-domande/${q.id}`, headers: { ...PAGE, cookie } })
  t.ok(res.statusCode === 403 || res.statusCode === 404, String(res.statusCode))
  t.notMatch(res.body, q.body)
})

t.test('with no forum day at all, the ask link leads back to the forum page that says so', async (t) => {
  const app = await build(t)
  const clerk = await signIn(app, { role: 'staff' })
  const cookie = `ft_session=${clerk.token}`
  const ask = await app.inject({ method: 'GET', url: '/il-mio-forum/domande/nuova', headers: { ...PAGE, cookie } })
  t.equal(ask.statusCode, 303)
  t.equal(ask.headers.location, '/il-mio-forum')
  const page = await app.inject({ method: 'GET', url: '/il-mio-forum', headers: { ...PAGE, cookie } })
  t.match(page.body, 'Non ci sono giornate di forum aperte o in programma.')
})
