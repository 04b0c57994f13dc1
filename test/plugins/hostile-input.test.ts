import { Writable } from 'node:stream'
import t from 'tap'
import { build } from '../helper.js'
import { signIn } from '../factories/accounts.js'

function logLines(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  return { stream, lines: () => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) }
}

t.test('a NUL byte anywhere in the URL is a 400 INVALID_CHARACTERS, never a 5xx', async (t) => {
  const { stream, lines } = logLines()
  const app = await build(t, { env: { LOG_LEVEL: 'warn' }, logStream: stream })
  for (const url of [
    '/api/v1/faqs?q=a%00b',
    '/api/v1/faqs/a%00b',
    '/api/v1/comuni?prefix=a%00b',
    '/api/v1/unioni?prefix=a%00b',
    // Filters of the search: bad input, not a search-engine outage.
    '/api/v1/faqs?theme=a%00b',
    '/api/v1/faqs?tag=a%00b',
    '/api/v1/faqs?law=a%00b',
  ]) {
    const res = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } })
    t.equal(res.statusCode, 400, url)
    t.equal(res.json().code, 'INVALID_CHARACTERS', url)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
  }
  t.same(lines(), [], 'bad input writes nothing at warn level: an anonymous client cannot flood the log')
})

t.test('a NUL or a lone surrogate in a JSON body names the field', async (t) => {
  const app = await build(t)
  const admin = await signIn(app, { role: 'admin' })
  for (const bad of ['a\u0000b', 'x\ud800', '\udc00y']) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: `${bad}@comune.it`, password: bad } })
    t.equal(res.statusCode, 400)
    t.equal(res.json().code, 'INVALID_CHARACTERS')
    t.match(res.json().errors, [{ field: 'body.email' }, { field: 'body.password' }])
  }
  const similar = await app.inject({ method: 'POST', url: '/api/v1/questions/similar', headers: admin.headers, payload: { text: 'permesso\u0000 di soggiorno' } })
  t.equal(similar.statusCode, 400)
  t.equal(similar.json().code, 'INVALID_CHARACTERS')
  const paired = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'emoji😀@comune.it', password: 'wrong password 😀' } })
  t.not(paired.json().code, 'INVALID_CHARACTERS', 'a surrogate pair (an emoji) is an ordinary character')
})

t.test('a page with a NUL in its query answers an Italian 400 page, not an error', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/domande-e-risposte?q=a%00b', headers: { accept: 'text/html' } })
  t.equal(res.statusCode, 400)
  t.match(res.body, /caratteri non ammessi/)
})

t.test('a search-engine outage is a 503 and one warn line per request, without a stack', async (t) => {
  const { stream, lines } = logLines()
  // Nothing listens on port 9: the engine is down.
  const app = await build(t, { env: { LOG_LEVEL: 'warn', MEILI_HOST: 'http://127.0.0.1:9' }, logStream: stream })
  const res = await app.inject({ method: 'GET', url: '/api/v1/faqs?q=residenza', headers: { accept: 'application/json' } })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'SEARCH_UNAVAILABLE')
  const logged = lines().filter((line) => line.requestId === res.headers['x-request-id'])
  t.equal(logged.length, 1, 'the outage is in the log, once for this request')
  t.match(logged[0], { level: 40, code: 'SEARCH_UNAVAILABLE', cause: /./ })
  t.notMatch(JSON.stringify(logged), /"stack"/)
  const bad = await app.inject({ method: 'GET', url: '/api/v1/faqs?theme=a%00b', headers: { accept: 'application/json' } })
  t.equal(bad.statusCode, 400, 'bad input stays bad input while the engine is down')
})
