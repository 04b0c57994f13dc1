import { sql } from 'kysely'
import t from 'tap'
import { createOrganization, signIn } from '../factories/accounts.js'
import { claimedBy, createForumDay, moderatorOf, submitQuestion } from '../factories/forum.js'
import { build } from '../helper.js'
import { brokenSummaryLinks, form, PAGE } from '../staff-site/pages.js'

/** Two organizations in two regions asking on two days; one question claimed by a named expert. */
async function world(t: Parameters<typeof build>[0]) {
  const app = await build(t)
  const dayA = await createForumDay(app, { title: 'Giornata di marzo' })
  const dayB = await createForumDay(app, { title: 'Giornata di aprile' })
  const puglia = await createOrganization(app, { name: 'Borgo di Puglia', region: 'Puglia', population: 2000 })
  const toscana = await createOrganization(app, { name: 'Borgo di Toscana', region: 'Toscana', population: 3000 })
  const clerkP = await signIn(app, { role: 'staff', organizationId: puglia.id })
  const clerkT = await signIn(app, { role: 'staff', organizationId: toscana.id })
  const q1 = await submitQuestion(app, clerkP, dayA.id, { title: 'Domanda pugliese sulla residenza', theme: 'servizi-demografici' })
  const q2 = await submitQuestion(app, clerkT, dayA.id, { title: 'Domanda toscana sulla convenzione', theme: 'modelli-organizzativi' })
  const q3 = await submitQuestion(app, clerkT, dayB.id, { title: 'Domanda toscana di aprile', theme: 'servizi-demografici' })
  const expert = await signIn(app, { role: 'expert', displayName: 'Esperta Bianchi' })
  await claimedBy(app, q2.id, expert)
  const moderator = await moderatorOf(app)
  return { app, dayA, dayB, puglia, toscana, q1, q2, q3, expert, cookie: `ft_session=${moderator.token}` }
}

const titles = (html: string) => [...html.matchAll(/<a href="\/segreteria\/domande\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]).sort()

t.test('all questions, narrowed by day, state, theme, organization, region and expert', async (t) => {
  const w = await world(t)
  const list = async (query: string) => {
    const res = await w.app.inject({ method: 'GET', url: `/segreteria/domande${query}`, headers: { ...PAGE, cookie: w.cookie } })
    t.equal(res.statusCode, 200, query || 'no filter')
    return res.body
  }
  const all = await list('')
  t.same(titles(all), ['Domanda pugliese sulla residenza', 'Domanda toscana di aprile', 'Domanda toscana sulla convenzione'])
  t.match(all, '<option value="Puglia">Puglia</option>', 'regions of the askers to choose from')
  t.match(all, `<option value="${w.expert.userId}">Esperta Bianchi</option>`, 'experts to choose from')
  t.same(titles(await list(`?giornata=${w.dayB.id}`)), ['Domanda toscana di aprile'], 'by day')
  t.same(titles(await list('?stato=claimed')), ['Domanda toscana sulla convenzione'], 'by state')
  t.same(titles(await list('?tema=modelli-organizzativi')), ['Domanda toscana sulla convenzione'], 'by theme')
  t.same(titles(await list(`?ente=${w.toscana.id}`)), ['Domanda toscana di aprile', 'Domanda toscana sulla convenzione'], 'by organization')
  t.same(titles(await list('?regione=Puglia')), ['Domanda pugliese sulla residenza'], 'by region')
  t.same(titles(await list(`?esperto=${w.expert.userId}`)), ['Domanda toscana sulla convenzione'], 'by expert')
  const empty = await list('?giornata=&stato=&tema=&ente=&regione=&esperto=')
  t.equal(titles(empty).length, 3, 'an empty select is no filter')
  t.match(await list('?stato=answered'), 'Nessuna domanda con questi filtri.')
})

t.test('the list pages through every match, with the filters kept in the page links', async (t) => {
  const w = await world(t)
  // 120 more questions from Puglia, a minute apart and older than the first: more than two pages.
  await sql`
    insert into questions (forum_day_id, organization_id, asked_by, asker_name, title, body, theme, state, submitted_at, updated_at)
    select forum_day_id, organization_id, asked_by, asker_name, 'Domanda in serie ' || lpad(g::text, 3, '0'), body, theme, state,
      submitted_at - g * interval '1 minute', updated_at
    from questions, generate_series(1, 120) g where id = ${w.q1.id}
  `.execute(w.app.ports.db)
  const get = async (query: string) => {
    const res = await w.app.inject({ method: 'GET', url: `/segreteria/domande${query}`, headers: { ...PAGE, cookie: w.cookie } })
    t.equal(res.statusCode, 200, query)
    return res.body
  }
  const first = await get('?regione=Puglia')
  t.match(first, '121 domande', 'the count is of every match, not of a page')
  t.match(first, 'Dalla 1ª alla 50ª, pagina 1 di 3')
  t.notMatch(first, 'più recenti: restringi', 'no cap any more')
  t.equal(titles(first).length, 50)
  t.match(first, 'href="/segreteria/domande?regione=Puglia&amp;pagina=2#risultati"', 'the next page keeps the filter')
  const pages = [first, await get('?regione=Puglia&pagina=2'), await get('?regione=Puglia&pagina=3')]
  t.same(
    pages.map((p) => titles(p).length),
    [50, 50, 21],
  )
  const seen = pages.flatMap(titles)
  t.equal(new Set(seen).size, 121, 'no question twice, none missing')
  t.ok(seen.includes('Domanda pugliese sulla residenza') && seen.includes('Domanda in serie 120'))
  t.notOk(seen.some((x) => x?.startsWith('Domanda toscana')), 'the filter holds on every page')
  t.match(pages[2], 'Dalla 101ª alla 121ª, pagina 3 di 3')
  t.match(await get('?regione=Puglia&pagina=99'), 'pagina 3 di 3', 'past the end: the last page')
  t.match(await get('?regione=Puglia&pagina=abc'), 'pagina 1 di 3', 'a page number the links never make: the first page')
  const narrowed = await get(`?regione=Puglia&giornata=${w.dayA.id}&stato=submitted`)
  t.match(narrowed, '121 domande', 'region combined with day and state')
  t.equal(titles(await get(`?ente=${w.toscana.id}&pagina=2`)).length, 2, 'few matches: one page, whatever was asked')
})

t.test('a moderator reassigns a question to another expert, and a bad choice is explained', async (t) => {
  const w = await world(t)
  const other = await signIn(w.app, { role: 'expert', displayName: 'Esperto Verdi' })
  const url = `/segreteria/domande/${w.q2.id}`
  const page = await w.app.inject({ method: 'GET', url, headers: { ...PAGE, cookie: w.cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Esperta Bianchi', 'who holds it')
  t.match(page.body, 'Borgo di Toscana (Toscana)')
  const none = await form(w.app, `${url}/riassegna`, { expertId: '' }, { cookie: w.cookie })
  t.equal(none.statusCode, 400)
  t.match(none.body, 'Scegli un esperto dall’elenco.')
  t.same(brokenSummaryLinks(none.body), [], 'the error links to the list of experts')
  const staffMember = await signIn(w.app, { role: 'staff' })
  const notExpert = await form(w.app, `${url}/riassegna`, { expertId: staffMember.userId }, { cookie: w.cookie })
  t.equal(notExpert.statusCode, 422, 'the service refuses a non-expert')
  t.match(notExpert.body, 'role="alert"')
  const done = await form(w.app, `${url}/riassegna`, { expertId: other.userId }, { cookie: w.cookie })
  t.equal(done.statusCode, 303)
  const after = await w.app.inject({ method: 'GET', url: String(done.headers.location), headers: { ...PAGE, cookie: w.cookie } })
  t.match(after.body, 'La domanda è assegnata a Esperto Verdi.')
  t.match((await w.app.questions.get(other.actor, w.q2.id)).claim, { expert: { id: other.userId } })
})

t.test('a moderator rejects a question with a reason the asker reads; too short a reason is refused', async (t) => {
  const w = await world(t)
  const url = `/segreteria/domande/${w.q1.id}`
  const short = await form(w.app, `${url}/respingi`, { reason: 'no' }, { cookie: w.cookie })
  t.equal(short.statusCode, 400)
  t.match(short.body, 'Scrivi una motivazione di almeno 5 caratteri.')
  t.same(brokenSummaryLinks(short.body), [])
  const done = await form(w.app, `${url}/respingi`, { reason: 'Il quesito non riguarda i temi del programma.' }, { cookie: w.cookie })
  t.equal(done.statusCode, 303)
  const after = await w.app.inject({ method: 'GET', url: String(done.headers.location), headers: { ...PAGE, cookie: w.cookie } })
  t.match(after.body, 'La domanda è respinta')
  t.match(after.body, 'Il quesito non riguarda i temi del programma.')
  t.notMatch(after.body, `action="${url}/respingi"`, 'no second rejection offered')
  t.notMatch(after.body, `action="${url}/riassegna"`, 'nor a reassignment: the lifecycle allows neither now')
  const again = await form(w.app, `${url}/respingi`, { reason: 'Ancora una volta, per errore.' }, { cookie: w.cookie })
  t.equal(again.statusCode, 409, 'the lifecycle refuses rejecting twice')
})

t.test('the question pages are the secretariat’s only', async (t) => {
  const w = await world(t)
  for (const role of ['staff', 'expert'] as const) {
    const user = await signIn(w.app, { role })
    const cookie = `ft_session=${user.token}`
    t.equal((await w.app.inject({ method: 'GET', url: '/segreteria/domande', headers: { ...PAGE, cookie } })).statusCode, 403, `${role}: list`)
    t.equal((await form(w.app, `/segreteria/domande/${w.q1.id}/respingi`, { reason: 'Motivo qualunque' }, { cookie })).statusCode, 403, `${role}: reject`)
  }
  t.equal((await w.app.questions.get(w.expert.actor, w.q1.id)).state, 'submitted', 'nothing changed')
})

