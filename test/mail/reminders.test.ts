import t from 'tap'
import { createOrganization, signIn, signInWithCookie } from '../factories/accounts.js'
import { createEdition, createForumDay } from '../factories/forum.js'
import { build, countRows, ManualClock } from '../helper.js'
import { TestSmtpServer } from './smtp.js'

const HOUR = 3_600_000

t.test('the day before a forum day opens, the staff of comuni that may ask get one reminder', async (t) => {
  const clock = new ManualClock()
  const server = await new TestSmtpServer().start()
  t.teardown(() => server.stop())
  const app = await build(t, { clock, env: { SMTP_URL: server.url } })
  const now = clock.now().getTime()

  const small = await createOrganization(app, { population: 3000 })
  const staff = await signIn(app, { role: 'staff', organizationId: small.id })
  const optedOut = await signIn(app, { role: 'staff', organizationId: small.id })
  const city = await signIn(app, { role: 'staff', organizationId: (await createOrganization(app, { population: 400_000 })).id })
  const off = await app.inject({ method: 'PUT', url: '/api/v1/me/mail-preferences', headers: optedOut.headers, payload: { reminders: false } })
  t.same(off.json(), { reminders: false })
  t.same((await app.inject({ method: 'GET', url: '/api/v1/me/mail-preferences', headers: staff.headers })).json(), { reminders: true }, 'on by default')

  const edition = await createEdition(app)
  await createForumDay(app, { editionId: edition.id, title: 'Giornata di domani', opensAt: new Date(now + 20 * HOUR), closesAt: new Date(now + 28 * HOUR) })
  await createForumDay(app, { editionId: edition.id, title: 'Giornata lontana', opensAt: new Date(now + 50 * HOUR), closesAt: new Date(now + 58 * HOUR) })
  await createForumDay(app, { editionId: edition.id, title: 'Prova', opensAt: new Date(now + 10 * HOUR), closesAt: new Date(now + 12 * HOUR), rehearsal: true })

  await app.scheduler.tick()
  await app.scheduler.tick()
  await app.mail.drain()
  t.same(server.received.map((m) => [m.to].flat()[0]?.value[0]?.address), [staff.email], 'only the eligible comune, only who keeps reminders, once')
  t.equal(server.received[0]?.subject, 'Promemoria: Giornata di domani')
  t.match(server.received[0]?.text, /apre .* e chiude .*: il vostro ente può inviare le sue domande/)
  t.match(server.received[0]?.text, /\/il-mio-forum/)
  t.equal(await countRows(app, 'forum_day_reminders'), 1)
  t.equal(server.to(city.email).length, 0, 'a city above the edition’s population limit is not reminded')

  clock.advance(30 * HOUR)
  await app.scheduler.tick()
  await app.mail.drain()
  t.same(server.received.map((m) => m.subject), ['Promemoria: Giornata di domani', 'Promemoria: Giornata lontana'], 'the next day when its time comes')
})

t.test('the account page turns the reminders off and on', async (t) => {
  const app = await build(t)
  const staff = await signInWithCookie(app, { role: 'staff' })
  const page = await app.inject({ method: 'GET', url: '/account', headers: { ...staff.headers, accept: 'text/html' } })
  t.match(page.body, /<input id="reminders" name="reminders" type="checkbox" value="1" checked/)
  const off = await app.inject({
    method: 'POST',
    url: '/account/email',
    headers: { ...staff.headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
  })
  t.equal(off.statusCode, 303)
  t.equal(off.headers.location, '/account?salvate=1#email')
  t.same(await app.accounts.mailPreferences(staff.actor), { reminders: false }, 'an unticked box turns them off')
  const saved = await app.inject({ method: 'GET', url: '/account?salvate=1', headers: { ...staff.headers, accept: 'text/html' } })
  t.match(saved.body, /Preferenze salvate/)
  t.notMatch(saved.body, /type="checkbox" value="1" checked/)
  await app.inject({
    method: 'POST',
    url: '/account/email',
    headers: { ...staff.headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'reminders=1',
  })
  t.same(await app.accounts.mailPreferences(staff.actor), { reminders: true })
})
