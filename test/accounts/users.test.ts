import t from 'tap'
import { build } from '../helper.js'
import { createOrganization, signIn, TEST_PASSWORD } from '../factories/accounts.js'

t.test('deactivating an account ends its sessions at once and blocks new logins', async (t) => {
  const app = await build(t)
  const admin = await signIn(app, { role: 'admin' })
  const staff = await signIn(app, { role: 'staff' })
  const second = await app.accounts.startSessionUnchecked(staff.userId)
  const res = await app.inject({ method: 'PATCH', url: `/api/v1/users/${staff.userId}`, headers: admin.headers, payload: { active: false } })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { active: false, deactivatedAt: String })
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: staff.headers })).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${second.token}` } })).statusCode, 401)
  const login = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: staff.email, password: TEST_PASSWORD } })
  t.equal(login.statusCode, 403)
  t.equal(login.json().code, 'ACCOUNT_DEACTIVATED')
  const wrong = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: staff.email, password: 'wrong-password-here' } })
  t.equal(wrong.json().code, 'INVALID_CREDENTIALS', 'without the right password, nothing is revealed')
  const events = await app.ports.db.selectFrom('events').select(['type', 'payload']).execute()
  t.match(events, [{ type: 'account.sessions_revoked', payload: { userId: staff.userId, reason: 'deactivated' } }])

  const back = await app.inject({ method: 'PATCH', url: `/api/v1/users/${staff.userId}`, headers: admin.headers, payload: { active: true } })
  t.match(back.json(), { active: true, deactivatedAt: null })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: staff.email, password: TEST_PASSWORD } })).statusCode, 201)
})

t.test('an admin changes role and organization; the change applies to live sessions and is audited', async (t) => {
  const app = await build(t)
  const admin = await signIn(app, { role: 'admin' })
  const a = await createOrganization(app)
  const b = await createOrganization(app, { kind: 'unione' })
  const staff = await signIn(app, { role: 'staff', organizationId: a.id })
  const moved = await app.inject({ method: 'PATCH', url: `/api/v1/users/${staff.userId}`, headers: admin.headers, payload: { organizationId: b.id } })
  t.match(moved.json(), { organizationId: b.id, organization: { kind: 'unione' } })
  t.match((await app.inject({ method: 'GET', url: '/api/v1/me', headers: staff.headers })).json(), { organizationId: b.id })

  const promoted = await app.inject({ method: 'PATCH', url: `/api/v1/users/${staff.userId}`, headers: admin.headers, payload: { role: 'expert', topics: ['stranieri'] } })
  t.match(promoted.json(), { role: 'expert', organizationId: null, topics: ['stranieri'] })

  const audit = await app.inject({ method: 'GET', url: '/api/v1/audit-log?userId=' + staff.userId, headers: admin.headers })
  t.equal(audit.statusCode, 200)
  const actions = audit.json().entries.map((e: { action: string }) => e.action)
  t.same(actions, ['user.updated', 'user.organization_changed', 'user.role_changed', 'user.organization_changed'])
  t.match(audit.json().entries[2], { actorUserId: admin.userId, targetUserId: staff.userId, ip: '127.0.0.1', details: { from: 'staff', to: 'expert' } })
})

t.test('an admin cannot demote or deactivate themselves', async (t) => {
  const app = await build(t)
  const admin = await signIn(app, { role: 'admin' })
  for (const payload of [{ active: false }, { role: 'expert' }]) {
    const res = await app.inject({ method: 'PATCH', url: `/api/v1/users/${admin.userId}`, headers: admin.headers, payload })
    t.equal(res.statusCode, 403)
    t.equal(res.json().code, 'SELF_CHANGE_FORBIDDEN')
  }
})

t.test('role changes keep staff tied to exactly one organization', async (t) => {
  const app = await build(t)
  const admin = await signIn(app, { role: 'admin' })
  const expert = await signIn(app, { role: 'expert' })
  const res = await app.inject({ method: 'PATCH', url: `/api/v1/users/${expert.userId}`, headers: admin.headers, payload: { role: 'staff' } })
  t.equal(res.statusCode, 422)
  t.equal(res.json().code, 'ORGANIZATION_REQUIRED')
  const unknown = await app.inject({ method: 'PATCH', url: `/api/v1/users/00000000-0000-4000-8000-000000000000`, headers: admin.headers, payload: { active: false } })
  t.equal(unknown.json().code, 'USER_NOT_FOUND')
  t.match((await app.inject({ method: 'GET', url: `/api/v1/users/${expert.userId}`, headers: admin.headers })).json(), { role: 'expert' })
})

t.test('admins and moderators list accounts with filters', async (t) => {
  const app = await build(t)
  const moderator = await signIn(app, { role: 'moderator' })
  const org = await createOrganization(app)
  await signIn(app, { role: 'staff', organizationId: org.id })
  await signIn(app, { role: 'staff', organizationId: org.id })
  await signIn(app, { role: 'expert' })
  const res = await app.inject({ method: 'GET', url: `/api/v1/users?organizationId=${org.id}`, headers: moderator.headers })
  t.equal(res.statusCode, 200)
  t.equal(res.json().users.length, 2)
  const experts = await app.inject({ method: 'GET', url: '/api/v1/users?role=expert', headers: moderator.headers })
  t.equal(experts.json().users.length, 1)
})

t.test('other modules look people up by id', async (t) => {
  const app = await build(t)
  const expert = await signIn(app, { role: 'expert', displayName: 'Dott.ssa Rossi', topics: ['anagrafe'] })
  const summaries = await app.accounts.getUserSummaries([expert.userId, '00000000-0000-4000-8000-000000000000'])
  t.same([...summaries.values()], [{ id: expert.userId, displayName: 'Dott.ssa Rossi', role: 'expert', organizationId: null, topics: ['anagrafe'], active: true }])
  await t.rejects(app.accounts.getUserSummary('00000000-0000-4000-8000-000000000000'), { code: 'USER_NOT_FOUND', status: 404 })
})

t.test('other modules reach an active person by e-mail, and a deactivated one not at all', async (t) => {
  const app = await build(t)
  const admin = await signIn(app, { role: 'admin' })
  const expert = await signIn(app, { role: 'expert' })
  t.same(await app.accounts.userContact(expert.userId), { id: expert.userId, email: expert.email })
  // Read in the caller's transaction, as the questions module does when the comune replies.
  t.same(await app.ports.db.transaction().execute((trx) => app.accounts.userContact(expert.userId, { trx })), { id: expert.userId, email: expert.email })
  t.equal(await app.accounts.userContact('00000000-0000-4000-8000-000000000000'), undefined)

  const res = await app.inject({ method: 'PATCH', url: `/api/v1/users/${expert.userId}`, headers: admin.headers, payload: { active: false } })
  t.equal(res.statusCode, 200)
  t.equal(await app.accounts.userContact(expert.userId), undefined)
})
