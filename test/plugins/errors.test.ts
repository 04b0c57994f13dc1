import t from 'tap'
import { z } from 'zod'
import { DomainError } from '../../src/shared/errors.js'
import { build } from '../helper.js'

const PROBLEM = 'application/problem+json; charset=utf-8'

t.test('an unknown route answers 404 as problem+json, in Italian unless English is preferred', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1' })
  t.equal(res.statusCode, 404)
  t.equal(res.headers['content-type'], PROBLEM)
  t.equal(res.headers['content-language'], 'it')
  t.same(res.json(), {
    type: 'urn:forum-telematico:problem:route-not-found',
    title: 'Non trovato',
    status: 404,
    detail: 'Non esiste nessuna pagina all’indirizzo /api/v1/nothing-here. Controlla l’indirizzo, oppure parti dalla pagina iniziale.',
    code: 'ROUTE_NOT_FOUND',
    instance: '/api/v1/nothing-here?x=1',
    requestId: res.headers['x-request-id'],
  })
  for (const language of ['en', 'en-GB,en;q=0.9,it;q=0.5']) {
    const english = await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'accept-language': language } })
    t.match(english.json(), { code: 'ROUTE_NOT_FOUND', title: 'Not found', detail: 'No route GET /api/v1/nothing-here' }, language)
    t.equal(english.headers['content-language'], 'en')
  }
  const german = await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'accept-language': 'de-DE,de;q=0.9' } })
  t.equal(german.json().title, 'Non trovato', 'a language we do not have falls back to Italian')
})

t.test('a validation error lists every offending field', async (t) => {
  const app = await build(t)
  app.post(
    '/test/validated/:id',
    {
      schema: {
        params: z.object({ id: z.uuid() }),
        body: z.object({ email: z.email(), title: z.string().min(5), count: z.number().int() }),
      },
    },
    async () => ({ ok: true }),
  )
  const res = await app.inject({
    method: 'POST',
    url: '/test/validated/00000000-0000-4000-8000-000000000000',
    payload: { email: 'not-an-email', title: 'abc' },
  })
  t.equal(res.statusCode, 400)
  t.equal(res.headers['content-type'], PROBLEM)
  const body = res.json()
  t.match(body, { code: 'VALIDATION_FAILED', status: 400, detail: /^Alcuni dati non sono validi: controlla .*email/ })
  t.match(body.errors.find((e: { field: string }) => e.field === 'body.title'), { message: /^Troppo piccolo/ }, 'field messages in Italian too')
  t.same(
    body.errors.map((e: { field: string }) => e.field).sort(),
    ['body.count', 'body.email', 'body.title'],
  )
  const badParam = await app.inject({ method: 'POST', url: '/test/validated/42', payload: { email: 'a@b.it', title: 'hello', count: 1 } })
  t.match(badParam.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'params.id' }] })
})

t.test('malformed JSON, oversized and unsupported bodies get their own codes', async (t) => {
  const app = await build(t, { env: { BODY_LIMIT_BYTES: '1024' } })
  app.post('/test/echo', { schema: { body: z.object({ text: z.string() }) } }, async (req) => req.body)

  const malformed = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"text": ' })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { code: 'MALFORMED_BODY' })

  const big = await app.inject({ method: 'POST', url: '/test/echo', payload: { text: 'x'.repeat(5000) } })
  t.equal(big.statusCode, 413)
  t.equal(big.headers['content-type'], PROBLEM)
  t.match(big.json(), { code: 'PAYLOAD_TOO_LARGE' })

  const xml = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/xml' }, payload: '<text/>' })
  t.equal(xml.statusCode, 415)
  t.match(xml.json(), { code: 'UNSUPPORTED_MEDIA_TYPE' })
})

t.test('a domain error keeps its status, code and extra members', async (t) => {
  const app = await build(t)
  app.get('/test/closed', async () => {
    throw new DomainError('FORUM_DAY_CLOSED', 409, 'The forum day closed at 13:00', { window: { closesAt: '2026-03-02T12:00:00Z' } })
  })
  const res = await app.inject({ method: 'GET', url: '/test/closed' })
  t.equal(res.statusCode, 409)
  t.match(res.json(), {
    code: 'FORUM_DAY_CLOSED',
    detail: 'La giornata di forum è chiusa: ha chiuso lunedì 2 marzo 2026, ore 13:00.',
    window: { closesAt: '2026-03-02T12:00:00Z' },
  })
  const english = await app.inject({ method: 'GET', url: '/test/closed', headers: { 'accept-language': 'en-US' } })
  t.match(english.json(), { code: 'FORUM_DAY_CLOSED', detail: 'The forum day closed at 13:00' }, 'English is the service’s own text')
})

t.test('an unexpected exception is a 500 that reveals nothing internal', async (t) => {
  const app = await build(t)
  app.get('/test/boom', async () => {
    throw new Error('connection to db-internal-7.example:5432 failed at secret step')
  })
  const res = await app.inject({ method: 'GET', url: '/test/boom' })
  t.equal(res.statusCode, 500)
  t.equal(res.headers['content-type'], PROBLEM)
  const body = res.json()
  t.match(body, { code: 'INTERNAL_ERROR', status: 500, requestId: res.headers['x-request-id'] })
  t.notMatch(res.body, /db-internal|secret step|stack|at .*\.ts/, 'no message, stack or file path in the body')
  t.match(body.detail, String(res.headers['x-request-id']), 'the detail gives the request id to quote')
})
