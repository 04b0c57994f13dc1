import t from 'tap'
import { build } from '../helper.js'
import { everyShownCount } from './suppression-check.js'

/** The embedded demo, as a moderator sees its reports after `npm start`. */
const app = await build(t, { env: { DEMO_DATA: 'true' } })
const MODERATOR = { email: 'segreteria@demo.anci.example', password: 'demo-segreteria-Anci-2026' }
const token = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: MODERATOR })).json().token as string
const headers = { authorization: `Bearer ${token}` }
const get = (url: string) => app.inject({ method: 'GET', url, headers })

const [edition] = (await get('/api/v1/editions')).json<Array<{ id: string }>>()
const days = (await get(`/api/v1/forum-days?editionId=${edition!.id}`)).json<Array<{ id: string; title: string; state: string }>>()
const closed = days.find((d) => d.state === 'closed')!

/** The CSV as a spreadsheet set to Italian reads it: BOM, then rows split on ';'. */
function spreadsheet(csv: string): string[][] {
  return csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .map((line) => line.split(';'))
}

t.test('the closed demo forum day: real figures, counts of organizations suppressed, CSV in columns', async (t) => {
  const report = (await get(`/api/v1/reports/forum-days/${closed.id}`)).json()
  t.equal(report.forumDay.state, 'closed')
  t.equal(report.totals.questions, 3, 'the three questions of the closed demo day')
  t.equal(report.totals.duplicates, 1)
  t.equal(report.totals.savedExpertHours, 1)
  t.equal(report.totals.answered, 1)
  t.equal(report.totals.organizations, '< 5', 'two organizations asked: suppressed')
  t.ok(report.totals.faqsPublished > 0, 'demo FAQs published from the day')
  t.equal(report.answersPerExpert[0].answers, 1)
  t.ok(report.timings.answerMedian > 0, 'time to answer measured')
  t.ok(report.byTheme.length > 0)
  t.same(everyShownCount(report).filter((c) => typeof c === 'number' && c < 5), [], 'no count of organizations under 5 shows')

  const res = await get(`/api/v1/reports/forum-days/${closed.id}/export.csv`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/)
  t.ok(res.body.startsWith('\uFEFF'), 'UTF-8 with a byte-order mark')
  const rows = spreadsheet(res.body)
  t.same(rows.find((r) => r[0] === 'Domande ricevute'), ['Domande ricevute', '3'], 'a key figure in two columns')
  t.same(rows.find((r) => r[0] === 'Enti che hanno fatto domande'), ['Enti che hanno fatto domande', '< 5'])
  t.same(rows.find((r) => r[0] === 'Regione'), ['Regione', 'Domande', 'Enti'], 'a table header in columns')
  t.same(rows.find((r) => r[0] === 'Sicilia'), ['Sicilia', '< 5', '< 5'], 'a region with one asking comune is suppressed')

  const page = await app.inject({ method: 'GET', url: `/segreteria/rapporti/giornate/${closed.id}`, headers })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Prima giornata di forum telematico')
  t.match(page.body, 'data-chart=', 'charts are on the page')
  t.match(page.body, /<th scope="row" class="fw-normal">Sicilia<\/th><td class="text-end">&lt; 5<\/td>/, 'the table suppresses the same cells')
})

t.test('the demo edition: reach against eligible by region, participation per day, themes, knowledge base growth', async (t) => {
  const report = (await get(`/api/v1/reports/editions/${edition!.id}`)).json()
  t.equal(report.reach.reached, 10, 'two asked, eight filled in the self-assessment')
  t.equal(report.reach.eligible, 13, 'the small comuni and the two Unioni of the four regions')
  t.equal(report.reach.share, 76.9)
  t.equal(report.byRegion.length, 20, 'every region is listed')
  t.same(report.byRegion.find((r: { key: string }) => r.key === 'Piemonte'), { key: 'Piemonte', label: 'Piemonte', eligible: 6, reached: 6, share: 100 })
  t.same(report.byRegion.find((r: { key: string }) => r.key === 'Toscana'), { key: 'Toscana', label: 'Toscana', eligible: '< 5', reached: '< 5', share: null }, 'two self-assessments: suppressed')
  t.equal(report.forumDays.length, 3)
  t.ok(report.forumDays.every((d: { organizations: unknown }) => d.organizations === '< 5'))
  t.ok(report.themes.length > 0)
  t.ok(report.knowledgeBase.at(-1).total > 10, 'the knowledge base growth counts every demo FAQ')
  t.same(everyShownCount(report).filter((c) => typeof c === 'number' && c < 5), [])

  const rows = spreadsheet((await get(`/api/v1/reports/editions/${edition!.id}/export.csv`)).body)
  t.same(rows.find((r) => r[0] === 'Piemonte'), ['Piemonte', '6', '6', '100'])
  t.same(rows.find((r) => r[0] === 'Toscana'), ['Toscana', '< 5', '< 5', ''])
  const page = await app.inject({ method: 'GET', url: `/segreteria/rapporti/edizioni/${edition!.id}`, headers })
  t.equal(page.statusCode, 200)
  t.match(page.body, '<svg viewBox=', 'the map of the regions')
  t.match(page.body, '>PIE</text>')
})

t.test('the index lists the demo edition and its days; the knowledge base report answers', async (t) => {
  const index = await app.inject({ method: 'GET', url: '/segreteria/rapporti', headers })
  t.equal(index.statusCode, 200)
  for (const d of days) t.match(index.body, `/segreteria/rapporti/giornate/${d.id}`)
  const kb = await app.inject({ method: 'GET', url: '/segreteria/rapporti/banca-dati', headers })
  t.equal(kb.statusCode, 200)
})
