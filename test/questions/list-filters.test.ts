import t from 'tap'
import { createOrganization, signIn } from '../factories/accounts.js'
import { createForumDay, moderatorOf, submitQuestion, THEMES } from '../factories/forum.js'
import { build, ManualClock } from '../helper.js'

const [T1, T2] = [THEMES[0]!.code, THEMES[1]!.code]

/**
 * Two days; a comune in Puglia, one in Toscana and an Unione whose member comuni are in Toscana
 * (the Unione has no region of its own). Expert E holds one question and answered another; E2
 * answered one; a third expert claimed a question and released it.
 */
async function world(t: Parameters<typeof build>[0]) {
  const app = await build(t, { clock: new ManualClock() })
  const dayA = await createForumDay(app, { title: 'Giornata di marzo' })
  const dayB = await createForumDay(app, { title: 'Giornata di aprile' })
  const puglia = await createOrganization(app, { name: 'Borgo di Puglia', region: 'Puglia' })
  const toscana = await createOrganization(app, { name: 'Borgo di Toscana', region: 'Toscana' })
  const unione = await createOrganization(app, { kind: 'unione', name: 'Unione della Garfagnana', region: 'Toscana' })
  const clerkP = await signIn(app, { role: 'staff', organizationId: puglia.id })
  const clerkT = await signIn(app, { role: 'staff', organizationId: toscana.id })
  const clerkU = await signIn(app, { role: 'staff', organizationId: unione.id })
  const p1 = await submitQuestion(app, clerkP, dayA.id, { title: 'Puglia, marzo, primo tema', theme: T1 })
  const t1 = await submitQuestion(app, clerkT, dayA.id, { title: 'Toscana, marzo, secondo tema', theme: T2 })
  const t2 = await submitQuestion(app, clerkT, dayB.id, { title: 'Toscana, aprile, primo tema', theme: T1 })
  const u1 = await submitQuestion(app, clerkU, dayA.id, { title: 'Unione, marzo, primo tema', theme: T1 })
  const p2 = await submitQuestion(app, clerkP, dayB.id, { title: 'Puglia, aprile, secondo tema', theme: T2 })
  const e = await signIn(app, { role: 'expert', displayName: 'Esperta Bianchi' })
  const e2 = await signIn(app, { role: 'expert', displayName: 'Esperto Verdi' })
  const e3 = await signIn(app, { role: 'expert', displayName: 'Esperto Neri' })
  await app.questions.claim(e.actor, t1.id)
  await app.questions.claim(e.actor, p1.id)
  await app.questions.answer(e.actor, p1.id, 'La risposta di Bianchi')
  await app.questions.claim(e2.actor, t2.id)
  await app.questions.answer(e2.actor, t2.id, 'La risposta di Verdi')
  await app.questions.claim(e3.actor, p2.id)
  await app.questions.release(e3.actor, p2.id)
  const moderator = await moderatorOf(app)
  const byTitle = new Map([p1, t1, t2, u1, p2].map((q) => [q.id, q.title]))
  /** Titles listed for a query, sorted; asserts a 200. */
  const list = async (query: string, headers: Record<string, string> = moderator.headers) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/questions?${query}`, headers })
    t.equal(res.statusCode, 200, query || 'no filter')
    return res.json<Array<{ id: string }>>().map((q) => byTitle.get(q.id) ?? q.id).sort()
  }
  return { app, dayA, dayB, puglia, toscana, unione, clerkP, clerkT, e, e2, e3, moderator, list, ids: { p1, t1, t2, u1, p2 } }
}

t.test('each filter narrows the list in the database, and they combine', async (t) => {
  const w = await world(t)
  const { list } = w
  t.equal((await list('')).length, 5)

  t.same(await list(`organizationId=${w.puglia.id}`), ['Puglia, aprile, secondo tema', 'Puglia, marzo, primo tema'], 'by organization')
  t.same(await list(`organizationId=${w.unione.id}`), ['Unione, marzo, primo tema'], 'by an Unione')
  t.same(await list('region=Puglia'), ['Puglia, aprile, secondo tema', 'Puglia, marzo, primo tema'], 'by region')
  t.same(
    await list('region=Toscana'),
    ['Toscana, aprile, primo tema', 'Toscana, marzo, secondo tema', 'Unione, marzo, primo tema'],
    "by region: an Unione's region is its member comuni's",
  )
  t.same(await list('region=Lombardia'), [], 'a region nobody asked from')
  t.same(await list(`expertId=${w.e.userId}`), ['Puglia, marzo, primo tema', 'Toscana, marzo, secondo tema'], 'by expert: held and answered')
  t.same(await list(`expertId=${w.e2.userId}`), ['Toscana, aprile, primo tema'], 'by expert: answered')
  t.same(await list(`expertId=${w.e3.userId}`), [], 'a released claim is no longer the expert’s')

  t.same(await list(`region=Toscana&forumDayId=${w.dayA.id}`), ['Toscana, marzo, secondo tema', 'Unione, marzo, primo tema'], 'region and day')
  t.same(await list(`region=Toscana&theme=${T1}&expertId=${w.e2.userId}`), ['Toscana, aprile, primo tema'], 'region, theme and expert')
  t.same(await list(`organizationId=${w.puglia.id}&state=answered`), ['Puglia, marzo, primo tema'], 'organization and state')
  t.same(await list(`organizationId=${w.puglia.id}&region=Toscana`), [], 'contradictory filters match nothing')
  t.same(await list(`expertId=${w.e.userId}&state=claimed`), ['Toscana, marzo, secondo tema'], 'expert and state')
})

t.test('the count of a region filter agrees with its list, an Unione included and an unknown region empty', async (t) => {
  const w = await world(t)
  const { actor } = w.moderator
  for (const filter of [{ region: 'Toscana' }, { region: 'Puglia', state: 'answered' as const }, { region: 'Lombardia' }, { region: 'Toscana', organizationId: w.unione.id }]) {
    const listed = await w.app.questions.list(actor, { ...filter, limit: 200, offset: 0 })
    t.equal(await w.app.questions.count(actor, filter), listed.length, JSON.stringify(filter))
  }
  t.equal(await w.app.questions.count(actor, { region: 'Toscana' }), 3, "the Unione's question counts in its member comuni's region")
  t.same(await w.app.questions.list(actor, { region: 'Lombardia', limit: 50, offset: 0 }), [], 'an unknown region is no error: nothing matches')
  t.equal(await w.app.questions.count(actor, { region: 'Lombardia' }), 0)
})

t.test('pages follow one another without gaps or repeats, filters included', async (t) => {
  const w = await world(t)
  const page = async (query: string) => {
    const res = await w.app.inject({ method: 'GET', url: `/api/v1/questions?${query}`, headers: w.moderator.headers })
    t.equal(res.statusCode, 200)
    return res.json<Array<{ id: string }>>().map((q) => q.id)
  }
  const all = await page('limit=200')
  const pages = [await page('limit=2&offset=0'), await page('limit=2&offset=2'), await page('limit=2&offset=4'), await page('limit=2&offset=6')]
  t.same(
    pages.map((p) => p.length),
    [2, 2, 1, 0],
  )
  t.same(pages.flat(), all, 'the pages, in order, are the whole list in its order')

  const tuscanAll = await page('region=Toscana')
  const tuscan = [await page('region=Toscana&limit=2'), await page('region=Toscana&limit=2&offset=2')]
  t.same(
    tuscan.map((p) => p.length),
    [2, 1],
    'a page of matches, not a page of questions filtered afterwards',
  )
  t.same(tuscan.flat(), tuscanAll)
})

t.test('only the secretariat filters by organization, region or expert; staff never see other organizations', async (t) => {
  const w = await world(t)
  const refused = async (query: string, headers: Record<string, string>, why: string) => {
    const res = await w.app.inject({ method: 'GET', url: `/api/v1/questions?${query}`, headers })
    t.equal(res.statusCode, 403, why)
    t.match(res.headers['content-type'], /^application\/problem\+json/, why)
    t.equal(res.json().code, 'MODERATORS_ONLY', why)
    t.notMatch(res.body, /Toscana, |Unione, /, `${why}: nothing of the other questions`)
  }
  await refused(`organizationId=${w.toscana.id}`, w.clerkP.headers, 'staff naming another organization')
  await refused(`organizationId=${w.puglia.id}`, w.clerkP.headers, 'staff naming their own')
  await refused('region=Toscana', w.clerkP.headers, 'staff by region')
  await refused(`expertId=${w.e.userId}`, w.clerkP.headers, 'staff by expert')
  await refused(`organizationId=${w.toscana.id}`, w.e.headers, 'an expert by organization')
  await refused(`expertId=${w.e2.userId}`, w.e.headers, 'an expert by a colleague')

  t.same(await w.list('', w.clerkP.headers), ['Puglia, aprile, secondo tema', 'Puglia, marzo, primo tema'], 'staff: their organization only')
  t.same(await w.list(`forumDayId=${w.dayA.id}&limit=200`, w.clerkT.headers), ['Toscana, marzo, secondo tema'], 'staff: the old filters still work, within their organization')

  // The service too, not only the route: the page calls it directly.
  await t.rejects(w.app.questions.count(w.clerkP.actor, { region: 'Toscana' }), { code: 'MODERATORS_ONLY' })
  await t.rejects(w.app.questions.askingOrganizationIds(w.clerkP.actor), { code: 'MODERATORS_ONLY' })
})

t.test('hostile values are a 400 problem, never a query', async (t) => {
  const w = await world(t)
  const hostile = [
    'organizationId=not-a-uuid',
    `organizationId=${encodeURIComponent("' or 1=1 --")}`,
    `organizationId=${w.puglia.id}${encodeURIComponent("' or '1'='1")}`,
    `expertId=${encodeURIComponent('../../admin')}`,
    `expertId=${w.e.userId}&expertId=${w.e2.userId}`,
    `region=${encodeURIComponent("Toscana' OR '1'='1")}`,
    `region=${encodeURIComponent('Toscana%')}`,
    `region=${encodeURIComponent('<script>alert(1)</script>')}`,
    `region=${encodeURIComponent('Toscana\u0000')}`,
    `region=${'a'.repeat(61)}`,
    'region=%20',
    'region=Puglia&region=Toscana',
    `theme=${'x'.repeat(61)}`,
    'state=everything',
    'limit=0',
    'limit=201',
    'limit=1e3',
    'offset=-1',
    'offset=100001',
    'offset=1.5',
  ]
  for (const query of hostile) {
    const res = await w.app.inject({ method: 'GET', url: `/api/v1/questions?${query}`, headers: w.moderator.headers })
    t.equal(res.statusCode, 400, query)
    t.match(res.headers['content-type'], /^application\/problem\+json/, query)
    // A control character is refused before validation, with its own code.
    t.equal(res.json().code, query.includes('%00') ? 'INVALID_CHARACTERS' : 'VALIDATION_FAILED', query)
  }
  t.same(
    await w.list(`region=${encodeURIComponent("Valle d'Aosta/Vallée d'Aoste")}`),
    [],
    'a real region name with an apostrophe, a slash and an accent is accepted (nobody asked from there)',
  )
})
