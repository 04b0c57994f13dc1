import t from 'tap'
import { build, countRows, ManualClock } from '../helper.js'
import { createOrganization, signIn, signInWithCookie, TEST_ORIGIN, TEST_PASSWORD } from '../factories/accounts.js'

const MINUTE = 60_000

t.test('signing in with email and password gives a token, an HttpOnly cookie and the right identity', async (t) => {
  const app = await build(t)
  const org = await createOrganization(app, { name: 'Bardonecchia', population: 3200 })
  const staff = await signIn(app, { role: 'staff', organizationId: org.id })
  const res = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: staff.email.toUpperCase(), password: TEST_PASSWORD } })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.match(body, { token: String, expiresAt: String, user: { id: staff.userId, role: 'staff', organization: { id: org.id, kind: 'comune', name: 'Bardonecchia' } } })
  t.ok(body.token.length >= 43, 'at least 256 bits of randomness')
  const cookie = res.cookies.find((c: { name: string }) => c.name === 'ft_session')
  t.match(cookie, { value: body.token, httpOnly: true, sameSite: 'Lax', path: '/' })

  const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${body.token}` } })
  t.equal(me.statusCode, 200)
  t.match(me.json(), { id: staff.userId, email: staff.email, role: 'staff', organizationId: org.id, session: { id: String } })

  const viaCookie = await app.inject({ method: 'GET', url: '/api/v1/me', cookies: { ft_session: body.token } })
  t.equal(viaCookie.statusCode, 200)
})

t.test('session tokens are stored only as hashes', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'expert' })
  const rows = await app.ports.db.selectFrom('sessions').select(['tokenHash']).execute()
  t.equal(rows.length, 1)
  t.not(rows[0]?.tokenHash, user.token)
  t.match(rows[0]?.tokenHash, /^[0-9a-f]{64}$/)
})

t.test('a wrong password and an unknown email get the same answer', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'expert' })
  const wrong = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: user.email, password: 'not-the-password' } })
  const unknown = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'nobody@test.example', password: 'not-the-password' } })
  t.equal(wrong.statusCode, 401)
  t.equal(unknown.statusCode, 401)
  t.equal(wrong.json().code, 'INVALID_CREDENTIALS')
  t.equal(unknown.json().detail, wrong.json().detail)
  t.equal(await countRows(app, 'sessions'), 1, 'no session was created')
})

t.test('GET /me tells an anonymous caller to sign in', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/api/v1/me' })
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'UNAUTHENTICATED')
  const bad = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer not-a-real-token' } })
  t.equal(bad.statusCode, 401)
})

t.test('logout revokes the session and clears the cookie', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'moderator' })
  const res = await app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: user.headers })
  t.equal(res.statusCode, 204)
  t.match(res.headers['set-cookie'], /ft_session=;/)
  const after = await app.inject({ method: 'GET', url: '/api/v1/me', headers: user.headers })
  t.equal(after.statusCode, 401)
  const events = await app.ports.db.selectFrom('events').select(['type', 'payload']).execute()
  t.match(events, [{ type: 'account.sessions_revoked', payload: { userId: user.userId, reason: 'logout' } }])
})

t.test('a session ends after the idle limit without activity', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock, env: { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '8' } })
  const user = await signIn(app, { role: 'expert' })
  clock.advance(29 * MINUTE)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: user.headers })).statusCode, 200, 'still alive at 29 minutes')
  clock.advance(29 * MINUTE)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: user.headers })).statusCode, 200, 'activity kept it alive')
  clock.advance(31 * MINUTE)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: user.headers })).statusCode, 401, 'idle for 31 minutes')
})

t.test('a session ends at its absolute limit even when active', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock, env: { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '1' } })
  const user = await signIn(app, { role: 'expert' })
  for (let i = 0; i < 3; i++) {
    clock.advance(20 * MINUTE)
    const res = await app.inject({ method: 'GET', url: '/api/v1/me', headers: user.headers })
    t.equal(res.statusCode, i < 2 ? 200 : 401, `after ${(i + 1) * 20} minutes`)
  }
})

t.test('cookie-authenticated changes need the forum origin (CSRF); Bearer requests do not', async (t) => {
  const app = await build(t)
  const user = await signInWithCookie(app, { role: 'moderator' })
  const crossSite = await app.inject({
    method: 'DELETE',
    url: '/api/v1/sessions/current',
    headers: { cookie: user.headers.cookie, origin: 'https://evil.example' },
  })
  t.equal(crossSite.statusCode, 403)
  t.equal(crossSite.json().code, 'CSRF_REJECTED')
  const noOrigin = await app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: { cookie: user.headers.cookie } })
  t.equal(noOrigin.json().code, 'CSRF_REJECTED', 'a cookie without Origin or Referer is refused')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: user.headers.cookie } })).statusCode, 200, 'the session survived')

  const viaReferer = await app.inject({
    method: 'DELETE',
    url: '/api/v1/sessions/current',
    headers: { cookie: user.headers.cookie, referer: `${TEST_ORIGIN}/forum/oggi` },
  })
  t.equal(viaReferer.statusCode, 204, 'a same-origin Referer is enough')

  const other = await signIn(app, { role: 'moderator' })
  const bearer = await app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: { ...other.headers, origin: 'https://evil.example' } })
  t.equal(bearer.statusCode, 204, 'Bearer requests are exempt')
})

t.test('a login form posted from another site is refused', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'expert' })
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    headers: { origin: 'https://evil.example' },
    payload: { email: user.email, password: TEST_PASSWORD },
  })
  t.equal(res.statusCode, 403)
  t.equal(res.json().code, 'CSRF_REJECTED')
})

t.test("a page served by the app itself passes the CSRF check under another host name", async (t) => {
  const app = await build(t)
  const user = await signInWithCookie(app, { role: 'expert', origin: 'http://127.0.0.1:3000' })
  const res = await app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: { ...user.headers, host: '127.0.0.1:3000' } })
  t.equal(res.statusCode, 204)
})
