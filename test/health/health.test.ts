import t from 'tap'
import { buildApp } from '../../src/app.js'
import { build, testConfig } from '../helper.js'

t.test('healthz says the process is alive', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

t.test('readyz is ready when the database answers', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ready', checks: { database: 'up' } })
})

t.test('readyz reports 503 when the database is unreachable', async (t) => {
  // Port 1 on loopback: nothing listens there, so every connection is refused.
  const config = testConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere', DATABASE_STARTUP_WAIT_SECONDS: '0' })
  const app = await buildApp(config)
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { code: 'NOT_READY', status: 503, checks: { database: 'down' } })
  const alive = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(alive.statusCode, 200, 'the process itself is still alive')
})

t.test('readyz checks the search engine when one is configured', async (t) => {
  const app = await build(t, { env: { MEILI_HOST: 'http://127.0.0.1:1' } })
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.match(res.json(), { checks: { database: 'up', search: 'down' } })
})

t.test('the API is documented as OpenAPI 3 JSON and as a browsable page', async (t) => {
  const app = await build(t)
  const spec = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(spec.statusCode, 200)
  t.match(spec.json(), { openapi: /^3\./, paths: { '/healthz': { get: {} }, '/readyz': { get: {} } } })
  const page = await app.inject({ method: 'GET', url: '/docs' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.body, /Swagger UI/)
})
