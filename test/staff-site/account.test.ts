import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { build, countRows } from '../helper.js'
import { form, PAGE, sessionCookie } from './pages.js'

t.test('the sign-in page is a plain form that works without JavaScript', async (t) => {
  const app = await build(t)
  const page = await app.inject({ method: 'GET', url: '/accedi', headers: PAGE })
  t.equal(page.statusCode, 200)
  t.match(page.headers['cache-control'], 'no-store')
  t.match(page.body, '<form method="post" action="/accedi"')
  t.match(page.body, 'autocomplete="current-password"')
  t.match(page.body, 'href="/password-dimenticata"')
})

t.test('signing in sets the session cookie and lands each role where it works', async (t) => {
  const app = await build(t)
  for (const [role, landing] of [
    ['staff', '/il-mio-forum'],
    ['expert', '/coda'],
    ['moderator', '/segreteria'],
  ] as const) {
    const user = await signIn(app, { role })
    const res = await form(app, '/accedi', { email: user.email.toUpperCase(), password: user.password })
    t.equal(res.statusCode, 303, role)
    t.equal(res.headers.location, landing, `${role} lands on ${landing}`)
    const cookie = res.cookies.find((c) => c.name === 'ft_session')
    t.ok(cookie?.value, 'session cookie set')
    t.equal(cookie?.httpOnly, true)
    t.equal(cookie?.sameSite, 'Lax')
    const landed = await app.inject({ method: 'GET', url: landing, headers: { ...PAGE, cookie: `ft_session=${cookie!.value}` } })
    t.equal(landed.statusCode, 200, `${landing} opens with the new session`)
  }
})

t.test('wrong credentials: the form again, in Italian, with the email kept and no cookie', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'staff' })
  const res = await form(app, '/accedi', { email: user.email, password: 'not-the-password' })
  t.equal(res.statusCode, 401)
  t.match(res.body, 'Email o password non corrette.')
  t.match(res.body, `value="${user.email}"`)
  t.notOk(res.cookies.some((c) => c.name === 'ft_session'))
  const unknown = await form(app, '/accedi', { email: 'nessuno@comune.example', password: 'whatever-it-is' })
  t.equal(unknown.statusCode, 401)
  t.match(unknown.body, 'Email o password non corrette.', 'an unknown address reads the same')
  const empty = await form(app, '/accedi', { email: '', password: '' })
  t.equal(empty.statusCode, 400)
  t.match(empty.body, 'Scrivi la tua email e la password.')
})

t.test('after repeated failures the page says how long to wait, with Retry-After', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'staff' })
  let res = await form(app, '/accedi', { email: user.email, password: 'wrong-1' })
  for (let i = 2; i <= 8 && res.statusCode !== 429; i++) res = await form(app, '/accedi', { email: user.email, password: `wrong-${i}` })
  t.equal(res.statusCode, 429)
  const wait = Number(res.headers['retry-after'])
  t.ok(wait > 0, 'Retry-After in seconds')
  t.match(res.body, 'Troppi tentativi di accesso non riusciti: riprova tra')
})

t.test('a deactivated account is told to contact the secretariat', async (t) => {
  const app = await build(t)
  const admin = await signIn(app, { role: 'admin' })
  const user = await signIn(app, { role: 'expert' })
  await app.accounts.updateUser(admin.actor, user.userId, { active: false }, { ip: null })
  const res = await form(app, '/accedi', { email: user.email, password: user.password })
  t.equal(res.statusCode, 403)
  t.match(res.body, 'Questo account è stato disattivato: contatta la segreteria del forum.')
})

t.test('a sign-in form posted from another site is refused', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'staff' })
  const res = await form(app, '/accedi', { email: user.email, password: user.password }, { origin: 'https://evil.example' })
  t.equal(res.statusCode, 403)
  t.match(res.body, /richiesta|sito/i, 'an Italian error page')
  t.notOk(res.cookies.some((c) => c.name === 'ft_session'))
})

t.test('a page needing a session sends to sign in and back; only same-site paths are followed', async (t) => {
  const app = await build(t)
  const away = await app.inject({ method: 'GET', url: '/account', headers: PAGE })
  t.equal(away.statusCode, 303)
  t.equal(away.headers.location, '/accedi?ritorno=%2Faccount')
  const page = await app.inject({ method: 'GET', url: away.headers.location as string, headers: PAGE })
  t.match(page.body, 'name="ritorno" value="/account"')
  t.match(page.body, 'Per aprire questa pagina accedi')

  const user = await signIn(app, { role: 'staff' })
  const back = await form(app, '/accedi', { email: user.email, password: user.password, ritorno: '/account' })
  t.equal(back.headers.location, '/account')
  for (const evil of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '/accedi']) {
    const res = await form(app, '/accedi', { email: user.email, password: user.password, ritorno: evil })
    t.equal(res.headers.location, '/il-mio-forum', `ritorno=${evil} is ignored`)
  }
})

t.test('signing out ends the session and clears the cookie', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'staff' })
  const cookie = await sessionCookie(app, user)
  const res = await form(app, '/esci', {}, { cookie })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/accedi?uscito=1')
  t.match(res.cookies.find((c) => c.name === 'ft_session'), { value: '' })
  const after = await app.inject({ method: 'GET', url: '/account', headers: { ...PAGE, cookie } })
  t.equal(after.statusCode, 303, 'the old cookie no longer opens personal pages')
  const page = await app.inject({ method: 'GET', url: '/accedi?uscito=1', headers: PAGE })
  t.match(page.body, 'Sei uscito dal forum.')
})

t.test('forgotten password: the same answer whatever the address, a mail only for a real account', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'staff' })
  const known = await form(app, '/password-dimenticata', { email: user.email })
  const unknown = await form(app, '/password-dimenticata', { email: 'nessuno@comune.example' })
  t.equal(known.statusCode, 200)
  t.equal(unknown.statusCode, 200)
  const message = (body: string) => /<main[\s\S]*<\/main>/.exec(body)?.[0]
  t.equal(message(known.body), message(unknown.body), 'the two pages are identical')
  t.match(known.body, 'Se l’indirizzo appartiene a un account attivo')
  t.equal(await countRows(app, 'mail_outbox'), 1, 'one reset mail, to the real account')
  const bad = await form(app, '/password-dimenticata', { email: 'non-un-indirizzo' })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, 'Scrivi un indirizzo email valido')
})

t.test('the account page shows who you are and changes the password', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'staff', displayName: 'Maria <b>Rossi</b>' })
  const cookie = await sessionCookie(app, user)
  const org = await app.comuni.getOrganization(user.organizationId!)
  const page = await app.inject({ method: 'GET', url: '/account', headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Maria &lt;b>Rossi&lt;/b>', 'escaped')
  t.match(page.body, user.email)
  t.match(page.body, org.name)
  t.match(page.body, 'Personale del comune')

  const wrong = await form(app, '/account/password', { currentPassword: 'nope', newPassword: 'Una-nuova-password-42', confirm: 'Una-nuova-password-42' }, { cookie })
  t.equal(wrong.statusCode, 403)
  t.match(wrong.body, 'La password attuale non è corretta.')
  const mismatch = await form(app, '/account/password', { currentPassword: user.password, newPassword: 'Una-nuova-password-42', confirm: 'altro' }, { cookie })
  t.equal(mismatch.statusCode, 400)
  t.match(mismatch.body, 'Le due password nuove non coincidono.')
  const weak = await form(app, '/account/password', { currentPassword: user.password, newPassword: 'corta', confirm: 'corta' }, { cookie })
  t.equal(weak.statusCode, 422)
  t.match(weak.body, 'La password deve avere almeno 12 caratteri.')
  const ok = await form(app, '/account/password', { currentPassword: user.password, newPassword: 'Una-nuova-password-42', confirm: 'Una-nuova-password-42' }, { cookie })
  t.equal(ok.statusCode, 303)
  t.equal(ok.headers.location, '/account?cambiata=1#password')
  const signedIn = await form(app, '/accedi', { email: user.email, password: 'Una-nuova-password-42' })
  t.equal(signedIn.statusCode, 303, 'the new password signs in')
})

t.test('the header of a signed-in page offers the personal area, the account and sign-out', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'expert' })
  const cookie = await sessionCookie(app, user)
  const page = await app.inject({ method: 'GET', url: '/coda', headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, '<form method="post" action="/esci"')
  t.match(page.body, 'href="/account"')
  t.match(page.body, 'href="/coda"', 'the personal area of an expert is the queue')
})

t.test('a signed-in person opening the sign-in page goes straight on', async (t) => {
  const app = await build(t)
  const user = await signIn(app, { role: 'staff' })
  const cookie = await sessionCookie(app, user)
  const landing = await app.inject({ method: 'GET', url: '/accedi', headers: { ...PAGE, cookie } })
  t.equal(landing.statusCode, 303)
  t.equal(landing.headers.location, '/il-mio-forum')
  const back = await app.inject({ method: 'GET', url: '/accedi?ritorno=%2Fle-mie-domande', headers: { ...PAGE, cookie } })
  t.equal(back.headers.location, '/le-mie-domande')
  const elsewhere = await app.inject({ method: 'GET', url: '/accedi?ritorno=%2F%2Fevil.example', headers: { ...PAGE, cookie } })
  t.equal(elsewhere.headers.location, '/il-mio-forum')
})
