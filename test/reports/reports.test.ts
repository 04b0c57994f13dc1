import { sql } from 'kysely'
import t from 'tap'
import { build, ManualClock } from '../helper.js'
import { createOrganization, signIn, type SignedIn } from '../factories/accounts.js'
import { createEdition, createForumDay, moderatorOf, submitQuestion } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { answersAt, publishedQuestionnaire, smallQuestionnaire, submittedAssessment } from '../factories/self-assessment.js'
import { everyShownCount } from './suppression-check.js'

const HOUR = 3_600_000
// 10:00 in Rome; the day (the factory's) opened at 09:00 and closes at 17:00.
const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'))
const app = await build(t, { clock })
const moderator = await moderatorOf(app)
const expert = await signIn(app, { role: 'expert', displayName: 'Esperta Demografici' })
const edition = await createEdition(app)
const day = await createForumDay(app, { editionId: edition.id, answerDeadline: new Date(clock.now().getTime() + 3 * 24 * HOUR) })

// Six small comuni of Piemonte ask two questions each, two tiny comuni of Toscana one each.
const staff: SignedIn[] = []
for (let i = 0; i < 6; i++) staff.push(await signIn(app, { role: 'staff', organizationId: (await createOrganization(app, { region: 'Piemonte', province: 'CN', population: 3000 })).id }))
const tuscans: SignedIn[] = []
for (let i = 0; i < 2; i++) tuscans.push(await signIn(app, { role: 'staff', organizationId: (await createOrganization(app, { region: 'Toscana', province: 'LU', population: 800 })).id }))
const asked = []
for (const s of staff) {
  asked.push(await submitQuestion(app, s, day.id, { theme: 'servizi-demografici' }))
  clock.advance(5 * 60_000)
  asked.push(await submitQuestion(app, s, day.id, { theme: 'modelli-organizzativi' }))
}
for (const s of tuscans) asked.push(await submitQuestion(app, s, day.id))
// An hour later the expert claims three and answers two; one needs a clarification.
clock.advance(HOUR)
for (const q of asked.slice(0, 3)) await app.questions.claim(expert.actor, q.id)
clock.advance(20 * 60_000)
await app.questions.answer(expert.actor, asked[0]!.id, 'La risposta dell’esperta, con i riferimenti normativi.')
await app.questions.answer(expert.actor, asked[1]!.id, 'Un’altra risposta dell’esperta, con i riferimenti.')
await app.questions.requestClarification(expert.actor, asked[2]!.id, 'In quale comune si trova l’alloggio?')

const get = (url: string, who: { headers: Record<string, string> } = moderator) => app.inject({ method: 'GET', url, headers: who.headers })
const csvRows = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .map((l) => l.split(';'))

t.test('the forum day report counts what happened on the day, and suppresses cells of fewer than 5 organizations', async (t) => {
  const res = await get(`/api/v1/reports/forum-days/${day.id}`)
  t.equal(res.statusCode, 200)
  const r = res.json()
  t.equal(r.forumDay.state, 'open')
  t.match(r.totals, { questions: 14, organizations: 8, answered: 2, answeredWithinDeadline: 2, waiting: 12, clarificationRequests: 1, questionsWithClarification: 1 })
  t.equal(
    r.perHour.reduce((n: number, h: { questions: number }) => n + h.questions, 0),
    14,
    'every question in an hour of the day',
  )
  t.equal(r.perHour.length, 8, 'one row per hour of the day, from 09:00 to 17:00 in Rome')
  t.equal(r.perHour[0].hour, '2026-03-02T09')
  t.match(r.backlog.at(-1), { label: 'now', received: 14, claimed: 3, answered: 2 })
  t.match(r.timings, { claimMedian: Number, answerMedian: Number })
  t.same(r.answersPerExpert, [{ expert: 'Esperta Demografici', answers: 2 }])
  t.same(r.byRegion.find((x: { key: string }) => x.key === 'Piemonte'), { key: 'Piemonte', label: 'Piemonte', questions: 12, organizations: 6 })
  t.same(r.byRegion.find((x: { key: string }) => x.key === 'Toscana'), { key: 'Toscana', label: 'Toscana', questions: '< 5', organizations: '< 5' })
  t.same(r.byPopulationBand.find((x: { key: string }) => x.key === 'fino-1000'), { key: 'fino-1000', label: 'Fino a 1.000 abitanti', questions: '< 5', organizations: '< 5' })
  t.same(everyShownCount(r).filter((c) => typeof c === 'number' && c < 5), [], 'no count of organizations under 5 anywhere')

  const page = await get(`/segreteria/rapporti/giornate/${day.id}`)
  t.equal(page.statusCode, 200)
  t.match(page.body, 'data-live="true"', 'an open day refreshes itself')
  t.match(page.body, />Toscana<\/th><td class="text-end">&lt; 5<\/td><td class="text-end">&lt; 5<\/td>/, 'the page suppresses the same cells')
  t.match(page.body, />Piemonte<\/th><td class="text-end">12<\/td><td class="text-end">6<\/td>/)
  const rows = csvRows((await get(`/api/v1/reports/forum-days/${day.id}/export.csv`)).body)
  t.same(rows.find((x) => x[0] === 'Toscana'), ['Toscana', '< 5', '< 5'], 'and the CSV')
  t.same(rows.find((x) => x[0] === 'Piemonte'), ['Piemonte', '12', '6'])
})

t.test('the edition report: organizations reached against eligible, by region, province and band', async (t) => {
  const r = (await get(`/api/v1/reports/editions/${edition.id}`)).json()
  t.match(r.reach, { eligible: 8, reached: 8, share: 100 })
  t.same(r.byRegion.find((x: { key: string }) => x.key === 'Piemonte'), { key: 'Piemonte', label: 'Piemonte', eligible: 6, reached: 6, share: 100 })
  t.same(r.byRegion.find((x: { key: string }) => x.key === 'Toscana'), { key: 'Toscana', label: 'Toscana', eligible: '< 5', reached: '< 5', share: null })
  t.same(r.byRegion.find((x: { key: string }) => x.key === 'Lombardia'), { key: 'Lombardia', label: 'Lombardia', eligible: '< 5', reached: '< 5', share: null }, 'zero is under 5 too')
  t.match(r.byProvince.find((x: { key: string }) => x.key === 'CN'), { eligible: 6, reached: 6, region: 'Piemonte' })
  t.match(r.forumDays, [{ id: day.id, questions: 14, organizations: 8 }])
  t.same(everyShownCount(r).filter((c) => typeof c === 'number' && c < 5), [], 'no count of organizations under 5 anywhere')
  const rows = csvRows((await get(`/api/v1/reports/editions/${edition.id}/export.csv`)).body)
  t.same(rows.find((x) => x[0] === 'Toscana'), ['Toscana', '< 5', '< 5', ''])
  t.same(rows.find((x) => x[0] === 'Piemonte'), ['Piemonte', '6', '6', '100'])
  const page = (await get(`/segreteria/rapporti/edizioni/${edition.id}`)).body
  t.match(page, />Toscana<\/th><td class="text-end">&lt; 5<\/td><td class="text-end">&lt; 5<\/td><td class="text-end">n.d.<\/td>/)
})

t.test('an organization that only filled in the self-assessment counts as reached; small counts stay suppressed', async (t) => {
  // A second edition with no forum day at all: whatever it reached, it reached by the self-assessment.
  const other = await createEdition(app)
  const content = smallQuestionnaire()
  const questionnaire = await publishedQuestionnaire(app, content, other.id)
  // The six Piemonte comuni submit it; three more of Toscana only start it.
  for (const s of staff) await submittedAssessment(app, s, questionnaire, answersAt(content, 1))
  for (let i = 0; i < 3; i++) {
    const tuscan = await signIn(app, { role: 'staff', organizationId: (await createOrganization(app, { region: 'Toscana', province: 'LU', population: 1200 })).id })
    await app.selfAssessment.startAssessment(tuscan.actor, questionnaire.id)
  }

  const r = (await get(`/api/v1/reports/editions/${other.id}`)).json()
  t.same(r.forumDays, [], 'no forum day, so nobody asked')
  t.equal(r.reach.reached, 9, 'six submitted and three started: all reached')
  t.match(r.reach.definition, /autodiagnosi/)
  t.same(r.byRegion.find((x: { key: string }) => x.key === 'Piemonte'), { key: 'Piemonte', label: 'Piemonte', eligible: 6, reached: 6, share: 100 })
  t.same(r.byRegion.find((x: { key: string }) => x.key === 'Toscana'), { key: 'Toscana', label: 'Toscana', eligible: 5, reached: '< 5', share: null }, 'three started: suppressed')
  t.same(everyShownCount(r).filter((c) => typeof c === 'number' && c < 5), [], 'no count of organizations under 5 anywhere')
  const rows = csvRows((await get(`/api/v1/reports/editions/${other.id}/export.csv`)).body)
  t.same(rows.find((x) => x[0] === 'Toscana'), ['Toscana', '5', '< 5', ''], 'and the CSV')
  const page = (await get(`/segreteria/rapporti/edizioni/${other.id}`)).body
  t.match(page, 'o hanno compilato, anche solo in parte, l’autodiagnosi dell’edizione', 'the page says what reached means')
  t.match(page, />Toscana<\/th><td class="text-end">5<\/td><td class="text-end">&lt; 5<\/td><td class="text-end">n.d.<\/td>/)

  // The first edition is unchanged: its reach is its questions (the same six already asked there).
  t.match((await get(`/api/v1/reports/editions/${edition.id}`)).json().reach, { reached: 8 })
})

t.test('the knowledge base report: searches, readings counted without storing who, and small counts suppressed', async (t) => {
  const popular = await publishedFaq(app)
  const rare = await publishedFaq(app, { title: 'Carta d’identità per il titolare di protezione sussidiaria' })
  for (let i = 0; i < 6; i++) await app.inject({ method: 'GET', url: popular.url })
  for (let i = 0; i < 2; i++) await app.inject({ method: 'GET', url: rare.url })
  for (let i = 0; i < 6; i++) await app.inject({ method: 'GET', url: '/api/v1/faqs?q=richiedente%20asilo' })
  for (let i = 0; i < 2; i++) await app.inject({ method: 'GET', url: '/api/v1/faqs?q=%3Dzzzqqq' })

  const r = (await get('/api/v1/reports/knowledge-base?weeks=4')).json()
  t.same(r.mostRead.find((x: { slug: string }) => x.slug === popular.slug)?.views, 6, 'six readings of the popular FAQ')
  t.same(r.mostRead.find((x: { slug: string }) => x.slug === rare.slug)?.views, '< 5', 'two readings: suppressed')
  t.same(r.topSearches.find((x: { query: string }) => x.query === 'richiedente asilo')?.searches, 6)
  t.same(r.zeroResults.find((x: { query: string }) => x.query === '=zzzqqq')?.searches, '< 5')
  t.same(everyShownCount(r).filter((c) => typeof c === 'number' && c < 5), [], 'no count under 5 anywhere')

  const columns = await sql<{ columnName: string }>`select column_name from information_schema.columns where table_name = 'faq_views_daily' order by ordinal_position`.execute(app.ports.db)
  t.same(
    columns.rows.map((c) => c.columnName),
    ['faq_id', 'day', 'views'],
    'a counter per FAQ and day: no user, session or address',
  )
  const rows = csvRows((await get('/api/v1/reports/knowledge-base/export.csv?weeks=4')).body)
  t.same(rows.find((x) => x[0] === "'=zzzqqq"), ["'=zzzqqq", '< 5'], 'a query a spreadsheet would run as a formula is written as text')
  t.ok(rows.some((x) => x[1] === '6'))
})

t.test('staff and experts are refused the report pages; anonymous visitors are sent to sign in', async (t) => {
  const paths = ['/segreteria/rapporti', `/segreteria/rapporti/giornate/${day.id}`, `/segreteria/rapporti/edizioni/${edition.id}`, '/segreteria/rapporti/banca-dati']
  for (const path of paths) {
    for (const who of [staff[0]!, expert]) {
      const res = await app.inject({ method: 'GET', url: path, headers: { ...who.headers, accept: 'text/html' } })
      t.equal(res.statusCode, 403, `${who.actor.role} on ${path}`)
    }
    const anonymous = await app.inject({ method: 'GET', url: path })
    t.equal(anonymous.statusCode, 303)
    t.match(anonymous.headers.location, /^\/accedi\?ritorno=/)
  }
  t.equal((await get(`/segreteria/rapporti/giornate/${edition.id}`)).statusCode, 404, 'no such forum day')
})
