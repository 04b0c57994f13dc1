import t from 'tap'
import { build, freshDatabase, ManualClock, NEEDS_SERVER } from '../helper.js'
import { signIn, TEST_PASSWORD } from '../factories/accounts.js'

const env = { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '6', LOGIN_THROTTLE_WINDOW_MINUTES: '10' }
const login = (email: string, password: string, ip = '10.0.0.1') => ({
  method: 'POST' as const,
  url: '/api/v1/sessions',
  remoteAddress: ip,
  payload: { email, password },
})

t.test('repeated failures on one account get 429 with Retry-After, even with the right password', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock, env })
  const user = await signIn(app, { role: 'expert' })
  for (let i = 0; i < 3; i++) t.equal((await app.inject(login(user.email, 'wrong-password-x'))).statusCode, 401)
  const blocked = await app.inject(login(user.email, TEST_PASSWORD, '10.0.0.2'))
  t.equal(blocked.statusCode, 429)
  t.equal(blocked.json().code, 'LOGIN_THROTTLED')
  t.equal(blocked.headers['retry-after'], '600')
  clock.advance(4 * 60_000)
  t.equal((await app.inject(login(user.email, TEST_PASSWORD))).headers['retry-after'], '360')
  clock.advance(6 * 60_000)
  t.equal((await app.inject(login(user.email, TEST_PASSWORD))).statusCode, 201, 'the window has passed')
})

t.test('an unknown email is throttled exactly like a real one', async (t) => {
  const app = await build(t, { env })
  for (let i = 0; i < 3; i++) t.equal((await app.inject(login('ghost@nowhere.example', 'wrong-password-x'))).json().code, 'INVALID_CREDENTIALS')
  const res = await app.inject(login('ghost@nowhere.example', 'wrong-password-x'))
  t.equal(res.statusCode, 429)
  t.ok(res.headers['retry-after'])
})

t.test('one address failing on many accounts is throttled', async (t) => {
  const app = await build(t, { env })
  const user = await signIn(app, { role: 'staff' })
  for (let i = 0; i < 6; i++) await app.inject(login(`someone${i}@x.example`, 'wrong-password-x', '192.0.2.9'))
  const blocked = await app.inject(login(user.email, TEST_PASSWORD, '192.0.2.9'))
  t.equal(blocked.statusCode, 429)
  const elsewhere = await app.inject(login(user.email, TEST_PASSWORD, '192.0.2.10'))
  t.equal(elsewhere.statusCode, 201, 'other addresses are unaffected')
})

t.test('a successful login clears the account counter', async (t) => {
  const app = await build(t, { env })
  const user = await signIn(app, { role: 'expert' })
  for (let i = 0; i < 2; i++) await app.inject(login(user.email, 'wrong-password-x'))
  t.equal((await app.inject(login(user.email, TEST_PASSWORD))).statusCode, 201)
  for (let i = 0; i < 2; i++) t.equal((await app.inject(login(user.email, 'wrong-password-x'))).statusCode, 401)
})

t.test('login failures and throttling are in the audit log with the address', async (t) => {
  const app = await build(t, { env })
  const admin = await signIn(app, { role: 'admin' })
  for (let i = 0; i < 4; i++) await app.inject(login('x@y.example', 'wrong-password-x', '198.51.100.7'))
  const res = await app.inject({ method: 'GET', url: '/api/v1/audit-log?limit=2', headers: admin.headers })
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    entries: [
      { action: 'login.throttled', targetEmail: 'x@y.example', ip: '198.51.100.7' },
      { action: 'login.failed', targetEmail: 'x@y.example', ip: '198.51.100.7', actorUserId: null },
    ],
    nextBefore: Number,
  })
  const older = await app.inject({ method: 'GET', url: `/api/v1/audit-log?limit=10&before=${res.json().nextBefore}&action=login.failed`, headers: admin.headers })
  t.equal(older.json().entries.length, 2)
  t.equal(older.json().nextBefore, null)
})

t.test('the counters are shared by every app instance on the same database', { skip: NEEDS_SERVER }, async (t) => {
  const database = await freshDatabase(t)
  const first = await build(t, { env, database })
  const second = await build(t, { env, database })
  const user = await signIn(first, { role: 'expert' })
  await Promise.all([first, second, first].map((app) => app.inject(login(user.email, 'wrong-password-x'))))
  const res = await second.inject(login(user.email, TEST_PASSWORD))
  t.equal(res.statusCode, 429)
})
