import { sql, type Kysely } from 'kysely'
import t, { type Test } from 'tap'
import type { Database } from '../../src/db/database.js'
import { createSearchAnalytics } from '../../src/knowledge-base/search-analytics.js'
import { moderatorOf } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { build, countRows } from '../helper.js'
import { freshPostgresIndex } from './postgres-index.js'

const silent = { warn: () => {} }

async function stats(db: Kysely<Database>) {
  const { rows } = await sql<{ query: string; searches: number; zeroResultSearches: number }>`
    select query, searches, zero_result_searches from search_query_stats order by query
  `.execute(db)
  return rows
}

async function database(t: Test) {
  return (await freshPostgresIndex(t)).db
}

t.test('a search answers without writing analytics; the counts reach the table at the next flush', async (t) => {
  const app = await build(t)
  await publishedFaq(app, { title: 'Rinnovo del permesso di soggiorno' })
  for (const q of ['rinnovo pds', 'Rinnovo  PDS', 'bonus bebè']) {
    t.equal((await app.inject({ method: 'GET', url: `/api/v1/faqs?q=${encodeURIComponent(q)}` })).statusCode, 200)
  }
  t.equal(await countRows(app, 'search_query_stats'), 0, 'nothing written inside the requests')
  // The moderators' report flushes this instance's counts before reading.
  const moderator = await moderatorOf(app)
  const res = await app.inject({ method: 'GET', url: '/api/v1/search-analytics?weeks=1', headers: moderator.headers })
  t.match(res.json(), { weeks: [{ frequent: [{ query: 'rinnovo pds', searches: 2 }, { query: 'bonus bebè', searches: 1, zeroResultSearches: 1 }] }] })
})

t.test('counts of the same query add up in memory and are written once, per week', async (t) => {
  const db = await database(t)
  const analytics = createSearchAnalytics(db, silent)
  analytics.record('2026-11-30', 'rinnovo pds', false)
  analytics.record('2026-11-30', 'rinnovo pds', true)
  analytics.record('2026-11-23', 'rinnovo pds', false)
  await analytics.flush()
  analytics.record('2026-11-30', 'rinnovo pds', false)
  await analytics.flush()
  await analytics.flush()
  const { rows } = await sql<{ weekStart: string; searches: number; zeroResultSearches: number }>`
    select week_start::text, searches, zero_result_searches from search_query_stats order by week_start
  `.execute(db)
  t.same(rows, [
    { weekStart: '2026-11-23', searches: 1, zeroResultSearches: 0 },
    { weekStart: '2026-11-30', searches: 3, zeroResultSearches: 1 },
  ])
})

t.test('a failed write loses no counts: they are written by the next flush', async (t) => {
  const db = await database(t)
  const warnings: object[] = []
  const analytics = createSearchAnalytics(db, { warn: (obj) => warnings.push(obj) })
  analytics.record('2026-11-30', 'cittadinanza', false)
  await sql`alter table search_query_stats rename to search_query_stats_away`.execute(db)
  await t.rejects(analytics.flush())
  t.equal(warnings.length, 1, 'the failure is logged')
  await sql`alter table search_query_stats_away rename to search_query_stats`.execute(db)
  analytics.record('2026-11-30', 'cittadinanza', true)
  await analytics.flush()
  t.same(await stats(db), [{ query: 'cittadinanza', searches: 2, zeroResultSearches: 1 }])
})

t.test('stopping writes what is pending (the app stops it before closing the database)', async (t) => {
  const db = await database(t)
  const analytics = createSearchAnalytics(db, silent)
  analytics.start(60_000)
  analytics.record('2026-11-30', 'sai', false)
  t.same(await stats(db), [], 'not before the interval')
  await analytics.stop()
  t.same(await stats(db), [{ query: 'sai', searches: 1, zeroResultSearches: 0 }])
})
