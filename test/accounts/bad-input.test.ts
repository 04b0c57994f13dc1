import t from 'tap'
import { build, countRows } from '../helper.js'
import { signIn } from '../factories/accounts.js'

t.test('an oversized body is refused with 413 problem+json and nothing is stored', async (t) => {
  const app = await build(t, { env: { BODY_LIMIT_BYTES: '2048' } })
  const admin = await signIn(app, { role: 'admin' })
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/invitations',
    headers: admin.headers,
    payload: { email: 'big@x.example', role: 'expert', topics: Array.from({ length: 30 }, () => 'x'.repeat(100)) },
  })
  t.equal(res.statusCode, 413)
  t.match(res.headers['content-type'], /application\/problem\+json/)
  t.equal(res.json().code, 'PAYLOAD_TOO_LARGE')
  t.equal(await countRows(app, 'invitations'), 0)
})

t.test('a malformed email or a missing password is a validation problem naming the field', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'mario.rossi(at)comune.it', password: 'x' } })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'body.email' }] })
  const missing = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'mario@comune.example' } })
  t.match(missing.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'body.password' }] })
  t.equal(await countRows(app, 'sessions'), 0)
  t.equal(await countRows(app, 'login_throttle'), 0, 'invalid requests do not count as login failures')
})

t.test('an empty account change or an unknown field value is refused', async (t) => {
  const app = await build(t)
  const admin = await signIn(app, { role: 'admin' })
  const expert = await signIn(app, { role: 'expert' })
  const empty = await app.inject({ method: 'PATCH', url: `/api/v1/users/${expert.userId}`, headers: admin.headers, payload: {} })
  t.equal(empty.statusCode, 400)
  const badId = await app.inject({ method: 'GET', url: '/api/v1/users/not-a-uuid', headers: admin.headers })
  t.equal(badId.json().code, 'VALIDATION_FAILED')
})

t.test('every accounts and registry endpoint is documented with its problem responses', async (t) => {
  const app = await build(t)
  const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json()
  const mine = [
    ['post', '/api/v1/sessions'],
    ['delete', '/api/v1/sessions/current'],
    ['get', '/api/v1/me'],
    ['post', '/api/v1/invitations'],
    ['post', '/api/v1/invitations/accept'],
    ['post', '/api/v1/password-resets'],
    ['post', '/api/v1/password-resets/complete'],
    ['get', '/api/v1/users'],
    ['get', '/api/v1/users/{id}'],
    ['patch', '/api/v1/users/{id}'],
    ['get', '/api/v1/audit-log'],
    ['get', '/api/v1/comuni'],
    ['get', '/api/v1/comuni/{istatCode}'],
    ['get', '/api/v1/unioni'],
    ['post', '/api/v1/unioni'],
    ['patch', '/api/v1/unioni/{id}'],
    ['get', '/api/v1/organizations/{id}'],
  ] as const
  for (const [method, path] of mine) {
    const op = spec.paths[path]?.[method]
    t.ok(op, `${method.toUpperCase()} ${path} is documented`)
    const statuses = Object.keys(op?.responses ?? {})
    t.ok(statuses.some((s) => s.startsWith('2')), `${path} documents its success`)
    t.ok(statuses.some((s) => s.startsWith('4')), `${path} documents its problems`)
  }
})
