import t from 'tap'
import { build, ManualClock } from '../helper.js'
import { signIn, TEST_PASSWORD } from '../factories/accounts.js'

const NEW_PASSWORD = 'una-nuova-parola-chiave-7Q'

const change = (app: Awaited<ReturnType<typeof build>>, headers: Record<string, string>, body: object) =>
  app.inject({ method: 'POST', url: '/api/v1/me/password', headers, payload: body })

const login = (app: Awaited<ReturnType<typeof build>>, email: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password } })

t.test('a user changes their own password: this session stays, the others end, the change is audited', async (t) => {
  const app = await build(t)
  const expert = await signIn(app, { role: 'expert' })
  const other = await app.accounts.startSessionUnchecked(expert.userId)

  const res = await change(app, expert.headers, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
  t.equal(res.statusCode, 204)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: expert.headers })).statusCode, 200, 'this session stays')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${other.token}` } })).statusCode, 401, 'the other ends')
  t.equal((await login(app, expert.email, TEST_PASSWORD)).statusCode, 401, 'the old password no longer works')
  t.equal((await login(app, expert.email, NEW_PASSWORD)).statusCode, 201)
  const audit = await app.ports.db.selectFrom('auditLog').select(['action', 'details']).where('targetUserId', '=', expert.userId).where('action', '=', 'password.changed').execute()
  t.match(audit, [{ action: 'password.changed', details: { otherSessionsRevoked: 1 } }])
})

t.test('a wrong current password is refused and counts towards the login throttle', async (t) => {
  // A manual clock: the first wait is one second, which a busy machine could let pass on its own.
  const app = await build(t, { clock: new ManualClock(), env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' } })
  const staff = await signIn(app, { role: 'staff' })
  for (let i = 0; i < 3; i++) {
    const wrong = await change(app, staff.headers, { currentPassword: 'non-è-questa-password', newPassword: NEW_PASSWORD })
    t.equal(wrong.statusCode, 403)
    t.equal(wrong.json().code, 'WRONG_PASSWORD')
  }
  const blocked = await change(app, staff.headers, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
  t.equal(blocked.statusCode, 429, 'guessing is throttled like logins')
  t.ok(Number(blocked.headers['retry-after']) > 0)
  t.equal((await login(app, staff.email, TEST_PASSWORD)).statusCode, 429, 'and so is signing in')
})

t.test('the new password follows the password rules, and an anonymous caller is told to sign in', async (t) => {
  const app = await build(t)
  const staff = await signIn(app, { role: 'staff' })
  const short = await change(app, staff.headers, { currentPassword: TEST_PASSWORD, newPassword: 'corta' })
  t.equal(short.statusCode, 422)
  t.match(short.json(), { code: 'WEAK_PASSWORD', reason: 'too_short' })
  const common = await change(app, staff.headers, { currentPassword: TEST_PASSWORD, newPassword: 'password1234' })
  t.match(common.json(), { code: 'WEAK_PASSWORD', reason: 'common' })
  t.equal((await login(app, staff.email, TEST_PASSWORD)).statusCode, 201, 'nothing changed')
  const anonymous = await change(app, {}, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
  t.equal(anonymous.statusCode, 401)
})
