import pg from 'pg'
import t from 'tap'
import { freshDatabase, NEEDS_SERVER } from '../helper.js'
import { startApp, type AppProcess } from './app-process.js'
import { freePort } from './cluster.js'
import { writeLoad } from './write-load.js'

/**
 * Submissions keep coming while the app process is killed (SIGKILL: no graceful shutdown, requests
 * cut mid-transaction) and started again, four times. Clients retry with the same
 * Idempotency-Key, as the README tells them to. Runs on a database of the shared test server.
 */

const DEMO_STAFF = { email: 'anagrafe@demo.comune.polizzigenerosa.example', password: 'demo-staff-Polizzi-2026' }
const KILLS = 4

t.test('a submission storm across SIGKILL restarts loses nothing, doubles nothing, and replays byte for byte', { skip: NEEDS_SERVER, timeout: 300_000 }, async (t) => {
  const database = await freshDatabase(t)
  if (database.kind !== 'postgres') throw new Error('unreachable: skipped without a server')
  const port = await freePort()
  const env = { DATABASE_URL: database.url, MIGRATE_ON_START: 'true', DEMO_DATA: 'true' }
  const start = async (): Promise<AppProcess> => {
    const app = await startApp(env, port)
    await app.waitFor((l) => l.msg === 'forum-telematico ready', { timeoutMs: 120_000 })
    return app
  }
  let app = await start()
  t.teardown(() => app.stop('SIGKILL'))

  const session = await fetch(`${app.origin}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO_STAFF) })
  const { token } = (await session.json()) as { token: string }
  const days = (await (await fetch(`${app.origin}/api/v1/forum-days?state=open`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{
    id: string
    themes: Array<{ code: string }>
  }>
  const day = { id: days[0]!.id, theme: days[0]!.themes[0]!.code }
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  t.teardown(() => client.end())
  // The demo day allows 10 open questions per comune; the storm sends hundreds.
  await client.query('update forum_days set max_open_questions_per_organization = null where id = $1', [day.id])

  const load = writeLoad(app, { token, dayId: day.id, theme: day.theme, workers: 6, prefix: 'storm' })
  t.teardown(() => load.stop())
  for (let kill = 1; kill <= KILLS; kill++) {
    load.setPhase(`run ${kill}`)
    await load.until((r) => r.status === 201, 25)
    await app.stop('SIGKILL')
    load.setPhase(`killed ${kill}`)
    app = await start()
  }
  load.setPhase('after')
  await load.until((r) => r.status === 201, 25)
  await load.stop()

  const { rows } = await client.query<{ title: string; n: number }>(`select title, count(*)::int as n from questions where title like 'Domanda di prova storm-%' group by title`)
  const stored = new Map(rows.map((r) => [r.title.replace('Domanda di prova ', ''), r.n]))
  const acknowledged = [...load.acknowledged.keys()]
  t.same(
    acknowledged.filter((key) => stored.get(key) !== 1).map((key) => `${key} stored ${stored.get(key) ?? 0} times`),
    [],
    `${acknowledged.length} acknowledged submissions, each stored exactly once`,
  )
  t.same(
    [...stored.entries()].filter(([, n]) => n > 1),
    [],
    'no submission stored twice, acknowledged or not',
  )
  const cut = load.results.filter((r) => r.status === 0).length
  const unexpected = load.results.filter((r) => r.status !== 0 && r.status !== 201 && r.status !== 503).map((r) => `${r.status} ${r.code ?? ''}`)
  t.same(unexpected, [], 'every answer was 201, or 503 while the app was starting')

  // Every key again, now: each replays exactly the body its client first received.
  const replays = await Promise.all(
    acknowledged.map(async (key) => {
      const res = await fetch(`${app.origin}/api/v1/forum-days/${day.id}/questions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ title: `Domanda di prova ${key}`, body: 'Il richiedente asilo può chiedere la residenza anagrafica nel nostro comune?', theme: day.theme }),
      })
      return { key, status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.text() }
    }),
  )
  t.same(
    replays.filter((r) => r.status !== 201 || r.replayed !== 'true' || r.body !== load.acknowledged.get(r.key)).map((r) => `${r.key}: ${r.status}`),
    [],
    `all ${replays.length} keys replay the original response byte for byte (${[...load.retried].filter((k) => load.acknowledged.has(k)).length} of them were retried across a kill)`,
  )
  t.comment(`${KILLS} SIGKILLs, ${load.results.length} requests, ${acknowledged.length} acknowledged, ${cut} refused or cut while the app was down (and retried)`)
})
