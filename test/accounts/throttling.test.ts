import t from 'tap'
import { build, countRows, freshDatabase, ManualClock, NEEDS_SERVER } from '../helper.js'
import { signIn, TEST_PASSWORD } from '../factories/accounts.js'
import type { App } from '../../src/app.js'

const env = {
  LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
  LOGIN_MAX_FAILURES_NEW_ADDRESSES: '5',
  LOGIN_MAX_FAILURES_PER_IP: '6',
  LOGIN_THROTTLE_WINDOW_MINUTES: '10',
}
const OWNER_ADDRESS = '10.0.0.1'
const login = (email: string, password: string, ip = OWNER_ADDRESS) => ({
  method: 'POST' as const,
  url: '/api/v1/sessions',
  remoteAddress: ip,
  payload: { email, password },
})

/** An account that has signed in once from its owner's usual address. */
async function owner(app: App, role: 'staff' | 'expert' = 'expert') {
  const user = await signIn(app, { role })
  const first = await app.inject(login(user.email, TEST_PASSWORD))
  if (first.statusCode !== 201) throw new Error(`first sign-in failed: ${first.statusCode}`)
  return user
}

t.test("someone guessing from elsewhere never refuses the owner's correct password", async (t) => {
  const app = await build(t, { clock: new ManualClock(), env })
  const user = await owner(app)
  for (let i = 0; i < 3; i++) t.equal((await app.inject(login(user.email, 'wrong-password-x', '203.0.113.5'))).statusCode, 401)
  const guesser = await app.inject(login(user.email, 'wrong-password-x', '203.0.113.5'))
  t.equal(guesser.statusCode, 429, 'the guessing address waits')
  t.equal(guesser.json().code, 'LOGIN_THROTTLED')
  t.equal((await app.inject(login(user.email, TEST_PASSWORD))).statusCode, 201, 'the owner signs in at once')
})

t.test('past its free failures, one account and address waits twice as long each time', async (t) => {
  const clock = new ManualClock()
  // The address limit stays out of the way: the owner's own mistakes count there too.
  const app = await build(t, { clock, env: { ...env, LOGIN_MAX_FAILURES_PER_IP: '50' } })
  const user = await owner(app)
  for (let i = 0; i < 3; i++) t.equal((await app.inject(login(user.email, 'wrong-password-x'))).statusCode, 401)
  const waits: string[] = []
  for (let i = 0; i < 4; i++) {
    const blocked = await app.inject(login(user.email, TEST_PASSWORD))
    t.equal(blocked.statusCode, 429, 'even the right password waits its turn')
    waits.push(String(blocked.headers['retry-after']))
    clock.advance(Number(blocked.headers['retry-after']) * 1000)
    t.equal((await app.inject(login(user.email, 'wrong-password-x'))).statusCode, 401, 'after the wait, one more try')
  }
  t.same(waits, ['1', '2', '4', '8'])
  clock.advance(16_000)
  t.equal((await app.inject(login(user.email, TEST_PASSWORD))).statusCode, 201)
  t.equal((await app.inject(login(user.email, 'wrong-password-x'))).statusCode, 401, 'success clears the counter')
  t.equal((await app.inject(login(user.email, 'wrong-password-x'))).statusCode, 401)
})

t.test('the wait never exceeds the window, and counters are forgotten after it', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock, env: { ...env, LOGIN_MAX_FAILURES_PER_ACCOUNT: '1', LOGIN_THROTTLE_WINDOW_MINUTES: '1' } })
  const user = await owner(app)
  // Keep guessing, waiting out each wait: the waits grow up to the window and no further.
  const waits: number[] = []
  for (let i = 0; i < 16; i++) {
    const res = await app.inject(login(user.email, 'wrong-password-x'))
    if (res.statusCode === 429) {
      waits.push(Number(res.headers['retry-after']))
      clock.advance(waits.at(-1)! * 1000)
    }
  }
  t.same(waits.slice(0, 7), [1, 2, 4, 8, 16, 32, 60])
  t.equal(Math.max(...waits), 60, 'never longer than the window')
  clock.advance(60_000)
  t.equal((await app.inject(login(user.email, TEST_PASSWORD))).statusCode, 201, 'a window after the last failure, all is forgotten')
})

t.test('guessing spread over many addresses slows new addresses, not the owner', async (t) => {
  const app = await build(t, { clock: new ManualClock(), env })
  const user = await owner(app)
  for (let i = 0; i < 5; i++) t.equal((await app.inject(login(user.email, 'wrong-password-x', `198.51.100.${i}`))).statusCode, 401)
  const fresh = await app.inject(login(user.email, TEST_PASSWORD, '198.51.100.200'))
  t.equal(fresh.statusCode, 429, 'an address the account never used waits')
  t.equal(fresh.headers['retry-after'], '1')
  t.equal((await app.inject(login(user.email, TEST_PASSWORD))).statusCode, 201, 'the usual address does not')
})

t.test('an unknown email is throttled exactly like a real one', async (t) => {
  const app = await build(t, { clock: new ManualClock(), env })
  const user = await owner(app)
  const answers = async (email: string, ip: string) => {
    const seen: string[] = []
    for (let i = 0; i < 5; i++) {
      const res = await app.inject(login(email, 'wrong-password-x', ip))
      seen.push(`${res.statusCode} ${res.json().code} ${res.headers['retry-after'] ?? ''}`)
    }
    return seen
  }
  const ghost = await answers('ghost@nowhere.example', '192.0.2.77')
  t.same(ghost.slice(3), ['429 LOGIN_THROTTLED 1', '429 LOGIN_THROTTLED 1'])
  t.same(await answers(user.email, '192.0.2.78'), ghost)
})

t.test('an address failing on many accounts loses its free failures but still lets correct passwords in', async (t) => {
  const app = await build(t, { clock: new ManualClock(), env })
  const staff = await owner(app, 'staff')
  const colleague = await owner(app, 'staff')
  const nat = '192.0.2.9'
  for (let i = 0; i < 6; i++) await app.inject(login(`someone${i}@x.example`, 'wrong-password-x', nat))
  t.equal((await app.inject(login(staff.email, TEST_PASSWORD, nat))).statusCode, 201, 'a correct password from the busy address gets in')
  t.equal((await app.inject(login(colleague.email, 'wrong-password-x', nat))).statusCode, 401)
  const slowed = await app.inject(login(colleague.email, TEST_PASSWORD, nat))
  t.equal(slowed.statusCode, 429, 'one mistake from that address already costs a wait')
  t.equal(slowed.headers['retry-after'], '1')
  t.equal((await app.inject(login(colleague.email, TEST_PASSWORD, '192.0.2.10'))).statusCode, 201, 'other addresses are unaffected')
})

t.test('an IPv6 /64 counts as one address', async (t) => {
  const app = await build(t, { clock: new ManualClock(), env })
  const user = await owner(app)
  for (const host of ['1', '2', 'abcd:0:3']) await app.inject(login(user.email, 'wrong-password-x', `2001:db8:1:2::${host}`))
  t.equal((await app.inject(login(user.email, TEST_PASSWORD, '2001:0db8:0001:0002:ffff::9'))).statusCode, 429, 'same /64')
  t.equal((await app.inject(login(user.email, TEST_PASSWORD, '2001:db8:1:3::1'))).statusCode, 201, 'another /64')
})

t.test('a password reset clears every counter of the account', async (t) => {
  const app = await build(t, { clock: new ManualClock(), env })
  const admin = await signIn(app, { role: 'admin' })
  const user = await owner(app)
  for (const ip of ['10.9.0.1', '10.9.0.1', '10.9.0.1', '10.9.0.2']) await app.inject(login(user.email, 'wrong-password-x', ip))
  t.equal(await countRows(app, 'login_throttle'), 5, 'two pairs, the account and two addresses')
  const reset = await app.inject({ method: 'POST', url: '/api/v1/password-resets', headers: admin.headers, payload: { userId: user.userId } })
  t.equal(reset.statusCode, 201)
  const done = await app.inject({
    method: 'POST',
    url: '/api/v1/password-resets/complete',
    payload: { token: reset.json().token, password: 'Nuova parola segreta del forum 2026' },
  })
  t.equal(done.statusCode, 204)
  t.equal(await countRows(app, 'login_throttle'), 2, "only the addresses' counters remain")
})

t.test('login failures and throttling are in the audit log with the address', async (t) => {
  const app = await build(t, { clock: new ManualClock(), env })
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
  const clock = new ManualClock()
  const first = await build(t, { clock, env, database })
  const second = await build(t, { clock, env, database })
  const user = await signIn(first, { role: 'expert' })
  await Promise.all([first, second, first].map((app) => app.inject(login(user.email, 'wrong-password-x'))))
  const res = await second.inject(login(user.email, TEST_PASSWORD))
  t.equal(res.statusCode, 429)
})
