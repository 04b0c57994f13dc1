import { Writable } from 'node:stream'
import t from 'tap'
import { build } from '../helper.js'

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

t.test('every log line of a request carries its request id, which the response echoes', async (t) => {
  const { stream, lines } = captureLines()
  const app = await build(t, { env: { LOG_LEVEL: 'info' }, logStream: stream })
  app.get('/test/log', async (request) => {
    request.log.info({ step: 'inside' }, 'handler ran')
    return { ok: true }
  })
  const res = await app.inject({ method: 'GET', url: '/test/log' })
  const id = res.headers['x-request-id']
  t.ok(id, 'the response names its request id')
  const requestLines = lines().filter((l) => l.requestId !== undefined)
  t.ok(requestLines.length >= 3, 'incoming, handler and completion lines')
  t.ok(requestLines.every((l) => l.requestId === id))
  t.ok(requestLines.some((l) => l.msg === 'handler ran'))
})

t.test('a safe X-Request-Id from a proxy is kept; an unsafe one is replaced', async (t) => {
  const app = await build(t)
  const kept = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'lb-1234.abc' } })
  t.equal(kept.headers['x-request-id'], 'lb-1234.abc')
  const replaced = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\nwith newline' } })
  t.not(replaced.headers['x-request-id'], 'bad id\nwith newline')
  t.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('credentials never reach the log', async (t) => {
  const { stream, lines } = captureLines()
  const app = await build(t, { env: { LOG_LEVEL: 'info' }, logStream: stream })
  app.post('/test/secret', async (request) => {
    request.log.info({ headers: request.headers, body: request.body }, 'what the handler saw')
    return { ok: true }
  })
  await app.inject({
    method: 'POST',
    url: '/test/secret',
    headers: { authorization: 'Bearer tok-SECRET-1', cookie: 'ft_session=cookie-SECRET-2' },
    payload: { email: 'a@comune.it', password: 'pw-SECRET-3', token: 'invite-SECRET-4' },
  })
  const all = JSON.stringify(lines())
  t.notMatch(all, /SECRET/, 'authorization, cookie, password and token values are redacted')
  t.match(all, /\[redacted\]/)
  t.match(all, /a@comune\.it/, 'ordinary fields are still logged')
})

t.test('health probes do not flood the log', async (t) => {
  const { stream, lines } = captureLines()
  const app = await build(t, { env: { LOG_LEVEL: 'info' }, logStream: stream })
  await app.inject({ method: 'GET', url: '/healthz' })
  await app.inject({ method: 'GET', url: '/readyz' })
  t.same(lines().filter((l) => l.requestId !== undefined), [])
})
