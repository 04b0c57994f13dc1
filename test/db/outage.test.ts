import { Writable } from 'node:stream'
import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, questionInput } from '../factories/forum.js'
import { build, freshDatabase, NEEDS_SERVER } from '../helper.js'
import { startTcpProxy } from './tcp-proxy.js'

function captureLines(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    },
  })
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  return { stream, lines }
}

t.test('while the database is unreachable every route that needs it answers 503 with Retry-After, and logs it once', { skip: NEEDS_SERVER }, async (t) => {
  const database = await freshDatabase(t)
  if (database.kind !== 'postgres') throw new Error('unreachable: skipped without a server')
  const target = new URL(database.url)
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
  t.teardown(() => proxy.close())
  const viaProxy = new URL(database.url)
  viaProxy.port = String(proxy.port)

  const { stream, lines } = captureLines()
  const app = await build(t, { env: { LOG_LEVEL: 'info' }, logStream: stream, database: { ...database, url: viaProxy.toString() } })
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const submit = (key: string) =>
    app.inject({ method: 'POST', url: `/api/v1/forum-days/${day.id}/questions`, headers: { ...staff.headers, 'idempotency-key': key }, payload: questionInput() })
  t.equal((await submit('before')).statusCode, 201)

  await proxy.cut()
  const during: Array<[string, Awaited<ReturnType<typeof submit>>]> = [
    ['a submission', await submit('during-1')],
    ['its retry', await submit('during-1')],
    ['another submission', await submit('during-2')],
    ['GET /me', await app.inject({ method: 'GET', url: '/api/v1/me', headers: staff.headers })],
    ['GET the forum day', await app.inject({ method: 'GET', url: `/api/v1/forum-days/${day.id}`, headers: staff.headers })],
    ['a search (the PostgreSQL engine)', await app.inject({ method: 'GET', url: '/api/v1/faqs?q=permesso' })],
  ]
  for (const [what, res] of during) {
    t.equal(res.statusCode, 503, what)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(res.headers['retry-after'], '5')
    t.match(res.json(), { code: 'DATABASE_UNAVAILABLE', status: 503, detail: /riprova/i })
  }
  const page = await app.inject({ method: 'GET', url: '/forum', headers: { accept: 'text/html' } })
  t.equal(page.statusCode, 503, 'a page says the same, as a page')
  t.match(page.headers['content-type'], /^text\/html/)
  t.equal(page.headers['retry-after'], '5')
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503, 'not ready either')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the process is alive')

  const problems = () => lines().filter((l) => Number(l.level) >= 40)
  t.same(
    problems().map((l) => l.msg),
    ['database unreachable; answering 503 until it is back'],
    'one line for the whole outage, no stack per request',
  )

  await proxy.restore()
  const after = await submit('during-1')
  t.equal(after.statusCode, 201, 'the same key succeeds once the database is back, without a restart')
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
  t.equal(lines().filter((l) => l.msg === 'database reachable again').length, 1, 'and the recovery is logged once')
})
