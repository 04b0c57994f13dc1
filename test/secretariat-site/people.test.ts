import t from 'tap'
import { createOrganization, signIn } from '../factories/accounts.js'
import { build, countRows } from '../helper.js'
import { brokenSummaryLinks, form, PAGE } from '../staff-site/pages.js'

async function desk(t: Parameters<typeof build>[0]) {
  const app = await build(t)
  const admin = await signIn(app, { role: 'admin', displayName: 'Amministratrice' })
  const moderator = await signIn(app, { role: 'moderator', displayName: 'Segreteria Uno' })
  return { app, admin, moderator, adminCookie: `ft_session=${admin.token}`, moderatorCookie: `ft_session=${moderator.token}` }
}

t.test('a moderator invites an expert and a comune clerk, sees who has not activated, and resends one', async (t) => {
  const { app, moderatorCookie: cookie } = await desk(t)
  const comune = await createOrganization(app, { name: 'Borgo Invitato', region: 'Puglia', population: 1500 })
  const page = await app.inject({ method: 'GET', url: '/segreteria/persone', headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  const roles = /<select id="role" name="role"[^>]*>([\s\S]*?)<\/select>/.exec(page.body)![1]!
  t.notMatch(roles, 'value="admin"', 'moderators invite staff and experts only')
  t.match(roles, 'value="expert"')

  const expert = await form(app, '/segreteria/persone/inviti', { email: 'esperto.nuovo@example.it', role: 'expert', organization: '', topics: 'anagrafe, accoglienza' }, { cookie })
  t.equal(expert.statusCode, 303)
  const clerk = await form(app, '/segreteria/persone/inviti', { email: 'ufficio@borgo.example.it', role: 'staff', organization: comune.istatCode!, topics: '' }, { cookie })
  t.equal(clerk.statusCode, 303, 'a comune by its ISTAT code')
  const list = await app.inject({ method: 'GET', url: String(clerk.headers.location), headers: { ...PAGE, cookie } })
  t.match(list.body, 'Invito inviato a ufficio@borgo.example.it.')
  t.match(list.body, 'esperto.nuovo@example.it')
  t.match(list.body, 'ufficio@borgo.example.it')

  const noOrg = await form(app, '/segreteria/persone/inviti', { email: 'altro@borgo.example.it', role: 'staff', organization: '', topics: '' }, { cookie })
  t.equal(noOrg.statusCode, 422, 'staff need their organization (the service says so)')
  const badOrg = await form(app, '/segreteria/persone/inviti', { email: 'altro@borgo.example.it', role: 'staff', organization: '999999', topics: '' }, { cookie })
  t.equal(badOrg.statusCode, 400)
  t.match(badOrg.body, 'Nessun comune con questo codice ISTAT')
  t.same(brokenSummaryLinks(badOrg.body), [], 'the error links to the comune field')
  const taken = await form(app, '/segreteria/persone/inviti', { email: 'x', role: 'expert', organization: '', topics: '' }, { cookie })
  t.equal(taken.statusCode, 400)
  t.match(taken.body, 'Scrivi un indirizzo email valido.')
  t.same(brokenSummaryLinks(taken.body), [])

  const mailsBefore = await countRows(app, 'mail_outbox')
  const id = new RegExp(`/segreteria/persone/inviti/([0-9a-f-]{36})/reinvia`).exec(list.body)![1]!
  const resent = await form(app, `/segreteria/persone/inviti/${id}/reinvia`, {}, { cookie })
  t.equal(resent.statusCode, 303)
  t.equal(await countRows(app, 'mail_outbox'), mailsBefore + 1, 'a new e-mail is queued')
  const after = await app.inject({ method: 'GET', url: String(resent.headers.location), headers: { ...PAGE, cookie } })
  t.match(after.body, /Invito inviato di nuovo a [^,]+, con un nuovo link\./)
  const audit = await app.ports.db.selectFrom('auditLog').select('action').where('action', '=', 'invitation.resent').execute()
  t.equal(audit.length, 1, 'the resending is audited')
})

t.test('a resent invitation has a new link; the old one stops working', async (t) => {
  const { app, moderator } = await desk(t)
  const first = await app.accounts.invite(moderator.actor, { email: 'nuova@example.it', role: 'expert' }, { ip: null, userAgent: null })
  const second = await app.accounts.resendInvitation(moderator.actor, first.id, { ip: null, userAgent: null })
  t.not(second.token, first.token)
  const old = await app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: first.token, password: 'una-password-lunga-9Zq', displayName: 'Nuova' } })
  t.equal(old.statusCode, 404)
  const pending = await app.inject({ method: 'GET', url: '/api/v1/invitations', headers: moderator.headers })
  t.match(pending.json(), [{ email: 'nuova@example.it', expired: false }])
  const accepted = await app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: second.token, password: 'una-password-lunga-9Zq', displayName: 'Nuova' } })
  t.equal(accepted.statusCode, 201)
  t.same((await app.inject({ method: 'GET', url: '/api/v1/invitations', headers: moderator.headers })).json(), [], 'activated: no longer pending')
  const again = await app.inject({ method: 'POST', url: `/api/v1/invitations/${first.id}/resend`, headers: moderator.headers })
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'INVITATION_USED')
})

t.test('an admin changes a role and deactivates an account; a moderator only reads', async (t) => {
  const { app, adminCookie, moderatorCookie } = await desk(t)
  const expert = await signIn(app, { role: 'expert', displayName: 'Esperto Rossi' })
  const url = `/segreteria/persone/${expert.userId}`
  const asModerator = await app.inject({ method: 'GET', url, headers: { ...PAGE, cookie: moderatorCookie } })
  t.equal(asModerator.statusCode, 200)
  t.match(asModerator.body, 'Ruoli e attivazione li cambia l’amministrazione.')
  t.equal((await form(app, `${url}/attivazione`, { active: 'no' }, { cookie: moderatorCookie })).statusCode, 403, 'the policy refuses a moderator')

  const role = await form(app, `${url}/ruolo`, { role: 'moderator' }, { cookie: adminCookie })
  t.equal(role.statusCode, 303)
  t.match(await app.accounts.getUser(expert.actor, expert.userId), { role: 'moderator' })
  const off = await form(app, `${url}/attivazione`, { active: 'no' }, { cookie: adminCookie })
  t.equal(off.statusCode, 303)
  const page = await app.inject({ method: 'GET', url: String(off.headers.location), headers: { ...PAGE, cookie: adminCookie } })
  t.match(page.body, 'L’account è disattivato e le sue sessioni sono chiuse.')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: expert.headers })).statusCode, 401, 'their session ended')

  const list = await app.inject({ method: 'GET', url: '/segreteria/persone?stato=disattivati', headers: { ...PAGE, cookie: adminCookie } })
  t.match(list.body, 'Esperto Rossi')
  t.notMatch(list.body, 'Segreteria Uno', 'filtered by state')
})

t.test('the audit log with filters is for admins', async (t) => {
  const { app, admin, adminCookie, moderatorCookie } = await desk(t)
  const expert = await signIn(app, { role: 'expert', displayName: 'Esperto Bianchi' })
  await app.accounts.updateUser(admin.actor, expert.userId, { role: 'moderator' }, { ip: '192.0.2.7' })
  await app.accounts.invite(admin.actor, { email: 'altra@example.it', role: 'expert' }, { ip: null, userAgent: null })
  const borgo = await createOrganization(app, { name: 'Borgo Audit' })
  await app.accounts.invite(admin.actor, { email: 'ufficio@borgo-audit.example.it', role: 'staff', organizationId: borgo.id }, { ip: null, userAgent: null })
  const signingIn = await signIn(app, { role: 'expert', displayName: 'Esperta Verdi' })
  const login = (password: string) => app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: signingIn.email, password } })
  t.equal((await login('non-la-sua-password')).statusCode, 401)
  t.equal((await login(signingIn.password)).statusCode, 201)
  t.equal((await app.inject({ method: 'GET', url: '/segreteria/registro', headers: { ...PAGE, cookie: moderatorCookie } })).statusCode, 403)
  const all = await app.inject({ method: 'GET', url: '/segreteria/registro', headers: { ...PAGE, cookie: adminCookie } })
  t.equal(all.statusCode, 200)
  // Said in Italian, what happened and its details, not the log's codes and JSON.
  t.match(all.body, '<span data-action="user.role_changed">Ruolo cambiato</span>')
  t.match(all.body, '<li>da: Esperto ANCI</li>')
  t.match(all.body, '<li>a: Segreteria del forum</li>')
  t.match(all.body, '<span data-action="invitation.created">Invito inviato</span>')
  t.match(all.body, '<li>ruolo: Esperto ANCI</li>')
  t.match(all.body, '<li>ente: Borgo Audit</li>', 'organizations by name')
  t.notMatch(all.body, '{&quot;', 'no raw JSON')
  // Who signed in is the person, though no session existed yet; a failed attempt proves no one.
  t.match(all.body, /data-action="login.succeeded">Accesso<\/span><\/td><td>Esperta Verdi \([^<]*<\/td><td>la stessa persona<\/td>/, 'the person is named once')
  const session = all.body.match(/<li>sessione: ([^<]*)<\/li>/)
  t.match(session?.[1], /^[0-9a-f]{8}$/, 'a session is told apart by a short code, not a whole UUID')
  t.match(all.body, /data-action="login.failed">Accesso non riuscito<\/span><\/td>\s*<td>Non autenticato<\/td><td>Esperta Verdi \(/)
  t.match(all.body, '<option value="user.role_changed">Ruolo cambiato</option>', 'the filter offers the actions by name')
  const byAction = await app.inject({ method: 'GET', url: '/segreteria/registro?attivita=user.role_changed', headers: { ...PAGE, cookie: adminCookie } })
  t.match(byAction.body, '192.0.2.7')
  t.notMatch(byAction.body, 'data-action="invitation.created"')
  const byPerson = await app.inject({ method: 'GET', url: `/segreteria/registro?persona=${expert.userId}`, headers: { ...PAGE, cookie: adminCookie } })
  t.match(byPerson.body, 'data-action="user.role_changed"')
  t.notMatch(byPerson.body, 'data-action="invitation.created"')
  const overview = await app.inject({ method: 'GET', url: '/segreteria', headers: { ...PAGE, cookie: adminCookie } })
  t.match(overview.body, 'href="/segreteria/registro"', 'admins find it from the overview')
  const moderatorOverview = await app.inject({ method: 'GET', url: '/segreteria', headers: { ...PAGE, cookie: moderatorCookie } })
  t.notMatch(moderatorOverview.body, 'href="/segreteria/registro"')
})
