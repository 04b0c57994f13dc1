import pg from 'pg'
import t from 'tap'
import { startApp, type AppProcess } from './app-process.js'
import { createCluster, NO_INITDB } from './cluster.js'
import { writeLoad } from './write-load.js'

/**
 * The service as it runs in production (a child process, JSON logs) on a PostgreSQL cluster of
 * this test's own, which it starts late, stops under write load (`pg_ctl stop -m fast`, then
 * `-m immediate`) and starts again. The shared test server is never stopped.
 */

const DEMO_STAFF = { email: 'anagrafe@demo.comune.polizzigenerosa.example', password: 'demo-staff-Polizzi-2026' }

async function signIn(app: AppProcess): Promise<string> {
  const res = await fetch(`${app.origin}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO_STAFF) })
  if (res.status !== 201) throw new Error(`demo sign-in failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

async function openDay(app: AppProcess, token: string): Promise<{ id: string; theme: string }> {
  const res = await fetch(`${app.origin}/api/v1/forum-days?state=open`, { headers: { authorization: `Bearer ${token}` } })
  const days = (await res.json()) as Array<{ id: string; themes: Array<{ code: string }> }>
  const day = days[0]
  if (!day?.themes[0]) throw new Error('the demo data has no open forum day')
  return { id: day.id, theme: day.themes[0].code }
}

t.test('the service survives its database stopping under write load, and recovers without a restart', { skip: NO_INITDB, timeout: 300_000 }, async (t) => {
  const cluster = await createCluster()
  t.teardown(() => cluster.destroy())
  const app = await startApp({ DATABASE_URL: cluster.url, MIGRATE_ON_START: 'true', DEMO_DATA: 'true', DATABASE_STARTUP_WAIT_SECONDS: '120' })
  t.teardown(() => app.stop('SIGKILL'))

  await t.test('started before its database, the app waits with growing delays and starts once it is reachable', async (t) => {
    await app.waitFor((l) => l.msg === 'waiting for the database', { count: 3 })
    const waits = app.lines.filter((l) => l.msg === 'waiting for the database').map((l) => Number(l.retryInMs))
    t.ok(waits[1]! > waits[0]! && waits[2]! > waits[1]!, `the delay grows: ${waits.join(', ')} ms`)
    await cluster.start()
    await app.waitFor((l) => l.msg === 'forum-telematico ready', { timeoutMs: 120_000 })
    t.equal((await fetch(`${app.origin}/readyz`)).status, 200, 'ready')
    t.ok(app.alive())
  })

  const token = await signIn(app)
  const day = await openDay(app, token)
  // The demo day allows 10 open questions per comune; this load sends hundreds.
  const admin = new pg.Client({ connectionString: cluster.url })
  await admin.connect()
  await admin.query('update forum_days set max_open_questions_per_organization = null where id = $1', [day.id])
  await admin.end()
  const load = writeLoad(app, { token, dayId: day.id, theme: day.theme, workers: 4, prefix: 'stop' })
  t.teardown(() => load.stop())

  for (const mode of ['fast', 'immediate'] as const) {
    await t.test(`pg_ctl stop -m ${mode}: the process lives, answers 503 with Retry-After, logs one line, then serves writes again`, async (t) => {
      load.setPhase(`${mode}:before`)
      await load.until((r) => r.status === 201, 20, 15_000)
      const logFrom = app.lines.length

      load.setPhase(`${mode}:stopping`)
      await cluster.stop(mode)
      load.setPhase(`${mode}:down`)
      await load.until(() => true, 40)
      const ready = await fetch(`${app.origin}/readyz`)
      t.equal(ready.status, 503, 'readyz says not ready meanwhile')
      t.ok(app.alive(), 'the process is still running')

      const down = load.results.filter((r) => r.phase === `${mode}:down`)
      t.same(
        down.filter((r) => r.status !== 503 || r.code !== 'DATABASE_UNAVAILABLE' || r.retryAfter !== '5' || !r.contentType?.startsWith('application/problem+json')),
        [],
        `all ${down.length} writes during the outage: 503 problem+json DATABASE_UNAVAILABLE, Retry-After: 5`,
      )

      load.setPhase(`${mode}:restarted`)
      await cluster.start()
      await load.until((r) => r.status === 201, 8)
      t.ok(app.alive(), 'and still running after the database is back')
      await app.waitFor((l) => l.msg === 'database reachable again', { count: mode === 'fast' ? 1 : 2 })

      const outageLines = app.lines.slice(logFrom).filter((l) => l.level >= 40)
      for (const line of outageLines) t.comment(`log: ${line.msg} ${typeof line.code === 'string' ? line.code : ''}`)
      t.equal(outageLines.filter((l) => l.msg === 'database unreachable; answering 503 until it is back').length, 1, 'the outage is logged once')
      t.ok(outageLines.length <= 3, `at most a few warning lines for the whole outage (${outageLines.length})`)
      t.notOk(
        app.lines.slice(logFrom).some((l) => l.msg === 'unhandled error' || l.msg === 'shutting down after an error'),
        'no stack per request, no shutdown',
      )
      const phases = load.results.filter((r) => r.phase.startsWith(`${mode}:`))
      t.comment(
        `-m ${mode}: ${phases.length} writes: ${phases.filter((r) => r.status === 201).length} acknowledged, ` +
          `${phases.filter((r) => r.status === 503).length} answered 503, ${down.length} of them while the cluster was down`,
      )
    })
  }

  await t.test('every acknowledged submission is stored exactly once, retried keys included', async (t) => {
    await load.stop()
    t.same(
      load.results.filter((r) => r.status >= 500 && r.status !== 503).map((r) => `${r.status} ${r.code ?? ''}`),
      [],
      'no 500 at any moment',
    )
    const client = new pg.Client({ connectionString: cluster.url })
    await client.connect()
    t.teardown(() => client.end())
    const { rows } = await client.query<{ title: string; n: number }>(
      `select title, count(*)::int as n from questions where title like 'Domanda di prova stop-%' group by title`,
    )
    const stored = new Map(rows.map((r) => [r.title.replace('Domanda di prova ', ''), r.n]))
    const acknowledged = [...load.acknowledged.keys()]
    t.same(
      acknowledged.filter((key) => stored.get(key) !== 1).map((key) => `${key} stored ${stored.get(key) ?? 0} times`),
      [],
      `${acknowledged.length} acknowledged, each stored once (${[...load.retried].filter((k) => load.acknowledged.has(k)).length} after a retry)`,
    )
    t.ok(app.alive())
  })
})
