import { readdirSync, readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, moderatorOf, submitQuestion } from '../factories/forum.js'
import { publishInput } from '../factories/knowledge-base.js'
import { build, countRows, freshDatabase, ManualClock, NEEDS_SERVER } from '../helper.js'
import { linkIn, TestSmtpServer } from './smtp.js'
import type { App } from '../../src/app.js'

const PASSWORD = 'Una password lunga del forum 2026'

async function smtp(t: Test) {
  const server = await new TestSmtpServer().start()
  t.teardown(() => server.stop())
  return server
}

const invite = (app: App, headers: Record<string, string>, email: string) =>
  app.inject({ method: 'POST', url: '/api/v1/invitations', headers, payload: { email, role: 'expert', topics: ['anagrafe'] } })

t.test('an invitation is mailed once, in Italian, with a link that activates the account', async (t) => {
  const server = await smtp(t)
  const app = await build(t, { env: { SMTP_URL: server.url } })
  const admin = await signIn(app, { role: 'admin' })
  t.equal((await invite(app, admin.headers, 'nuovo.esperto@anci.example.it')).statusCode, 201)
  t.same(server.received, [], 'nothing is sent inside the request')
  t.same(await app.mail.drain(), { sent: 1, failed: 0 })
  t.same(await app.mail.drain(), { sent: 0, failed: 0 }, 'a second round sends nothing again')

  const [mail] = server.to('nuovo.esperto@anci.example.it')
  t.equal(server.received.length, 1)
  t.equal(mail?.subject, 'Invito al Forum telematico ANCI')
  t.match(mail?.text, /ruolo di esperto ANCI/)
  t.match(mail?.html, /<a href="http:\/\/localhost:3000\/invito#token=/)
  const token = linkIn(mail!).hash.replace('#token=', '')
  const accepted = await app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password: PASSWORD, displayName: 'Nuovo Esperto' } })
  t.equal(accepted.statusCode, 201, 'the mailed link activates the account')
  const { rows } = await app.ports.db.selectFrom('mailOutbox').select(['sentAt', 'textBody', 'htmlBody']).execute().then((rows) => ({ rows }))
  t.match(rows, [{ sentAt: Date, textBody: null, htmlBody: null }], 'once sent, the one-time link is no longer stored')
})

t.test('a change that fails queues no mail', async (t) => {
  const server = await smtp(t)
  const app = await build(t, { env: { SMTP_URL: server.url } })
  const admin = await signIn(app, { role: 'admin' })
  const expert = await signIn(app, { role: 'expert' })
  t.equal((await invite(app, admin.headers, expert.email)).json().code, 'EMAIL_TAKEN')
  t.equal(await countRows(app, 'mail_outbox'), 0)
})

t.test('an SMTP outage delays mail and loses none', async (t) => {
  const clock = new ManualClock()
  const server = await smtp(t)
  const app = await build(t, { clock, env: { SMTP_URL: server.url } })
  const admin = await signIn(app, { role: 'admin' })
  await server.stop()
  for (const n of [1, 2, 3]) t.equal((await invite(app, admin.headers, `esperto${n}@anci.example.it`)).statusCode, 201, 'the change itself succeeds')
  for (let round = 0; round < 3; round++) {
    t.same(await app.mail.drain(), { sent: 0, failed: 1 }, 'the relay is down: each round stops at its first failure')
  }
  t.same(await app.mail.drain(), { sent: 0, failed: 0 }, 'every message now waits for its retry')
  t.equal(await countRows(app, 'mail_outbox'), 3, 'all still queued')

  await server.start(server.port)
  clock.advance(60 * 60_000)
  t.same(await app.mail.drain(), { sent: 3, failed: 0 })
  t.same(
    server.received.map((m) => [m.to].flat()[0]?.value[0]?.address).sort(),
    ['esperto1@anci.example.it', 'esperto2@anci.example.it', 'esperto3@anci.example.it'],
    'each message arrived, once',
  )
})

t.test('a forgotten password: a link by mail for an account, the same answer for anyone', async (t) => {
  const clock = new ManualClock()
  const server = await smtp(t)
  const app = await build(t, { clock, env: { SMTP_URL: server.url } })
  const staff = await signIn(app, { role: 'staff' })
  const ask = (email: string) => app.inject({ method: 'POST', url: '/api/v1/password-resets/request', payload: { email } })
  const known = await ask(staff.email.toUpperCase())
  const unknown = await ask('nessuno@comune.example.it')
  t.equal(known.statusCode, 202)
  t.equal(unknown.statusCode, 202)
  t.equal(known.body, unknown.body, 'the answer never tells whether the address has an account')
  t.equal((await ask(staff.email)).statusCode, 202, 'asking again at once')
  await app.mail.drain()
  t.equal(server.received.length, 1, 'one link per account every few minutes')

  const [mail] = server.to(staff.email)
  t.equal(mail?.subject, 'Nuova password per il Forum telematico ANCI')
  const token = linkIn(mail!).hash.replace('#token=', '')
  const done = await app.inject({ method: 'POST', url: '/api/v1/password-resets/complete', payload: { token, password: PASSWORD } })
  t.equal(done.statusCode, 204, 'the mailed link sets a new password')
  const login = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: staff.email, password: PASSWORD } })
  t.equal(login.statusCode, 201)

  clock.advance(6 * 60_000)
  await ask(staff.email)
  await app.mail.drain()
  t.equal(server.received.length, 2, 'after a few minutes a new link can be asked for')
  t.equal((await ask('non-una-email')).statusCode, 400)
})

t.test('without SMTP, messages are written to the mailbox folder as .eml files', async (t) => {
  const mailbox = t.testdir()
  const app = await build(t, { env: { MAILBOX_DIR: mailbox } })
  const admin = await signIn(app, { role: 'admin' })
  await invite(app, admin.headers, 'cartella@anci.example.it')
  t.same(await app.mail.drain(), { sent: 1, failed: 0 })
  const files = readdirSync(mailbox).filter((f) => f.endsWith('.eml'))
  t.equal(files.length, 1)
  const eml = readFileSync(`${mailbox}/${files[0]}`, 'utf8')
  t.match(eml, /To: cartella@anci\.example\.it/)
  t.match(eml, /invito#token=/)
})

t.test('two instances sending at once deliver each message once', { skip: NEEDS_SERVER }, async (t) => {
  const server = await smtp(t)
  const database = await freshDatabase(t)
  const first = await build(t, { database, env: { SMTP_URL: server.url } })
  const second = await build(t, { database, env: { SMTP_URL: server.url } })
  const admin = await signIn(first, { role: 'admin' })
  for (let n = 0; n < 20; n++) await invite(first, admin.headers, `molti${n}@anci.example.it`)
  await Promise.all([first.mail.drain(), second.mail.drain(), first.mail.drain(), second.mail.drain()])
  await Promise.all([first.mail.drain(), second.mail.drain()])
  const addresses = server.received.map((m) => [m.to].flat()[0]?.value[0]?.address)
  t.equal(addresses.length, 20, 'every message sent')
  t.equal(new Set(addresses).size, 20, 'none twice')
})

t.test("the asking organization's staff hear by e-mail of a clarification request and of the answer", async (t) => {
  const server = await smtp(t)
  const app = await build(t, { clock: new ManualClock(), env: { SMTP_URL: server.url } })
  const day = await createForumDay(app)
  const asker = await signIn(app, { role: 'staff' })
  const colleague = await signIn(app, { role: 'staff', organizationId: asker.organizationId! })
  const elsewhere = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert', displayName: 'Esperta Rossi' })
  const q = await submitQuestion(app, asker, day.id, { title: 'Residenza dei richiedenti asilo' })
  const act = (path: string, payload?: object) =>
    app.inject({ method: 'POST', url: `/api/v1/questions/${q.id}/${path}`, headers: expert.headers, ...(payload && { payload }) })

  await act('claim')
  t.equal((await act('clarification', { message: 'Il richiedente è ospite di un CAS o di un SAI?' })).statusCode, 200)
  await app.mail.drain()
  t.same(server.received.map((m) => [m.to].flat()[0]?.value[0]?.address).sort(), [asker.email, colleague.email].sort(), 'both staff of the comune, nobody else')
  const [clarification] = server.to(asker.email)
  t.equal(clarification?.subject, 'Chiarimento richiesto sulla vostra domanda')
  t.match(clarification?.text, /Esperta Rossi chiede un chiarimento sulla domanda «Residenza dei richiedenti asilo»/)
  t.match(clarification?.text, new RegExp(`/le-mie-domande/${q.id}`))

  const reply = await app.inject({ method: 'POST', url: `/api/v1/questions/${q.id}/replies`, headers: asker.headers, payload: { message: 'È ospite di un SAI.' } })
  t.equal(reply.statusCode, 200)
  await act('claim')
  t.equal((await act('answer', { markdown: 'Sì: la dimora abituale nel centro basta.' })).statusCode, 200)
  await app.mail.drain()
  t.same(server.to(colleague.email).map((m) => m.subject), ['Chiarimento richiesto sulla vostra domanda', 'La vostra domanda ha una risposta'])

  const faq = await app.kb.publish((await moderatorOf(app)).actor, publishInput(q.id))
  await app.mail.drain()
  const published = server.to(asker.email).at(-1)
  t.equal(published?.subject, 'La risposta alla vostra domanda è pubblicata')
  const link = /https?:\/\/\S+\/domande-e-risposte\/\S+/.exec(published?.text ?? '')?.[0] ?? ''
  t.equal(new URL(link).pathname, `/domande-e-risposte/${faq.slug}`)
  t.equal((await app.inject({ method: 'GET', url: new URL(link).pathname, headers: { accept: 'text/html' } })).statusCode, 200, 'the link opens the public FAQ')
  t.equal(server.to(elsewhere.email).length, 0)
})

t.test('on the embedded database (one connection), mail about a question is queued without waiting for itself', async (t) => {
  // Always PGlite, even when the suite runs on a server: a read outside the open transaction
  // would wait for the connection that transaction holds, for ever.
  const app = await build(t, { database: { kind: 'pglite', dataDir: 'memory://' } })
  const day = await createForumDay(app)
  const asker = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert' })
  const q = await submitQuestion(app, asker, day.id)
  await app.questions.claim(expert.actor, q.id)
  await app.questions.requestClarification(expert.actor, q.id, 'Il richiedente è ospite di un CAS?')
  await app.questions.reply(asker.actor, q.id, 'Sì.')
  await app.questions.claim(expert.actor, q.id)
  await app.questions.answer(expert.actor, q.id, 'Sì, con la dichiarazione del responsabile del centro.')
  await app.kb.publish((await moderatorOf(app)).actor, publishInput(q.id))
  t.equal(await countRows(app, 'mail_outbox'), 4, 'clarification, the reply (to the expert), answer and publication, each queued once')
})
