import t from 'tap'
import { createOrganization, signIn, signInWithCookie } from '../factories/accounts.js'
import { createForumDay, submitQuestion } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { build } from '../helper.js'
import { Client, listening } from './client.js'

t.test('experts see the queue live: a question submitted is delivered at once, with its position', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const staff = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert' })
  const day = await createForumDay(app)
  const client = await Client.connect(t, base, expert.headers)
  t.match(await client.subscribe(['queue']), { type: 'subscribed', channels: ['queue'] })

  const q = await submitQuestion(app, staff, day.id)
  const submitted = await client.next((f) => f.type === 'event')
  t.match(submitted, { event: 'question.submitted', channels: ['queue', `organization:${staff.organizationId}`, `question:${q.id}`], payload: { questionId: q.id, state: 'submitted' } })
  await app.questions.claim(expert.actor, q.id)
  const claimed = await client.next((f) => f.type === 'event')
  t.match(claimed, { event: 'question.claimed', payload: { questionId: q.id, state: 'claimed' } })
  t.ok((claimed.position as number) > (submitted.position as number), 'positions only grow')
})

t.test('each caller receives only what it may see', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const orgA = await createOrganization(app, { name: 'Comune di Alfa' })
  const orgB = await createOrganization(app, { name: 'Comune di Beta' })
  const staffA = await signIn(app, { role: 'staff', organizationId: orgA.id })
  const staffB = await signIn(app, { role: 'staff', organizationId: orgB.id })
  const expert = await signIn(app, { role: 'expert' })
  const day = await createForumDay(app)

  const a = await Client.connect(t, base, staffA.headers)
  const b = await Client.connect(t, base, staffB.headers)
  const ex = await Client.connect(t, base, expert.headers)
  const pub = await Client.connect(t, base)
  t.match(await a.subscribe([`organization:${orgA.id}`, 'faqs']), { type: 'subscribed' })
  t.match(await b.subscribe([`organization:${orgB.id}`, 'faqs']), { type: 'subscribed' })
  t.match(await ex.subscribe(['queue', 'faqs']), { type: 'subscribed' })
  t.match(await pub.subscribe([`forum-day:${day.id}`, 'faqs']), { type: 'subscribed' })

  const q = await submitQuestion(app, staffA, day.id)
  await app.questions.claim(expert.actor, q.id)
  await app.questions.answer(expert.actor, q.id, 'La risposta per il comune di Alfa')
  const reserved = await publishedFaq(app, { visibility: 'reserved', title: 'Una FAQ per i soli comuni' })
  const open = await publishedFaq(app, { title: 'Una FAQ per tutti' })
  await app.realtime.catchUp()
  await Promise.all([a, b, ex, pub].map((c) => c.settle()))

  const about = (client: Client, questionId: string) => client.events().filter((e) => e.payload.questionId === questionId).map((e) => e.event)
  t.same(about(a, q.id), ['question.submitted', 'question.claimed', 'question.answered'], "comune A follows its own question")
  t.same(about(ex, q.id), ['question.submitted', 'question.claimed', 'question.answered'])
  t.same(about(b, q.id), [], 'comune B never receives comune A’s events')
  t.same(b.events().filter((e) => e.event.startsWith('question.')), [], 'nor any other question event')
  t.same(pub.events().filter((e) => e.event.startsWith('question.')), [], 'the public receives no question events')

  const faqSlugs = (client: Client) => client.events().filter((e) => e.event === 'faq.published').map((e) => e.payload.slug)
  t.same(faqSlugs(pub), [open.slug], 'the public sees public FAQs only')
  t.same(faqSlugs(b), [reserved.slug, open.slug], 'signed-in staff also see reserved ones')
  t.ok(pub.events().some((e) => e.event === 'forum_day.counters'), "the forum day's public counters reach the public")
  t.notOk(JSON.stringify(pub.frames).includes('comune di Alfa'), 'no answer text reaches the public')
})

t.test('a subscription the caller may not have gets an error frame naming the channel', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const orgA = await createOrganization(app)
  const staffA = await signIn(app, { role: 'staff', organizationId: orgA.id })
  const staffB = await signIn(app, { role: 'staff' })
  const day = await createForumDay(app)
  const rehearsal = await createForumDay(app, { rehearsal: true })
  const q = await submitQuestion(app, staffA, day.id)

  const pub = await Client.connect(t, base)
  t.match(await pub.subscribe(['queue']), { type: 'error', code: 'UNAUTHENTICATED', channel: 'queue' })
  t.match(await pub.subscribe([`question:${q.id}`]), { type: 'error', code: 'UNAUTHENTICATED' })
  t.match(await pub.subscribe([`forum-day:${rehearsal.id}`]), { type: 'error', code: 'FORUM_DAY_NOT_FOUND' }, 'rehearsals are not public')
  t.match(await pub.subscribe(['everything']), { type: 'error', code: 'CHANNEL_UNKNOWN', channel: 'everything' })

  const b = await Client.connect(t, base, staffB.headers)
  t.match(await b.subscribe(['queue']), { type: 'error', code: 'CHANNEL_FORBIDDEN' })
  t.match(await b.subscribe([`organization:${orgA.id}`]), { type: 'error', code: 'CHANNEL_FORBIDDEN' })
  t.match(await b.subscribe([`question:${q.id}`]), { type: 'error', code: 'QUESTION_NOT_VISIBLE' })
  t.match(await b.subscribe(['accounts']), { type: 'error', code: 'CHANNEL_FORBIDDEN' })

  // Allowed and refused channels in one message: the allowed ones are subscribed.
  const a = await Client.connect(t, base, staffA.headers)
  a.send({ type: 'subscribe', id: 'mixed', channels: [`question:${q.id}`, 'queue'] })
  t.match(await a.next((f) => f.id === 'mixed'), { type: 'error', code: 'CHANNEL_FORBIDDEN', channel: 'queue' })
  t.match(await a.next((f) => f.id === 'mixed'), { type: 'subscribed', channels: [`question:${q.id}`] })
})

t.test('malformed messages get an error frame and the connection carries on', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const client = await Client.connect(t, base)
  client.send('not json')
  t.match(await client.next((f) => f.type === 'error'), { code: 'INVALID_MESSAGE' })
  client.send({ type: 'subscribe', channels: 'faqs', id: 'bad' })
  t.match(await client.next((f) => f.type === 'error'), { code: 'INVALID_MESSAGE', id: 'bad', issues: [{ path: 'channels' }] })
  client.send({ type: 'subscribe', channels: ['faqs'], since: -1 })
  t.match(await client.next((f) => f.type === 'error'), { code: 'INVALID_MESSAGE', issues: [{ path: 'since' }] })
  client.send({ type: 'launch-missiles' })
  t.match(await client.next((f) => f.type === 'error'), { code: 'INVALID_MESSAGE' })
  client.socket.send(Buffer.from([1, 2, 3]), { binary: true })
  t.match(await client.next((f) => f.type === 'error'), { code: 'INVALID_MESSAGE' })
  client.send({ type: 'ping', id: 'still-here' })
  t.match(await client.next((f) => f.type === 'pong'), { id: 'still-here' })
  t.equal(client.closed, undefined)
})

t.test('the endpoint refuses plain HTTP and cross-site pages riding a session cookie', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const plain = await app.inject({ method: 'GET', url: '/api/v1/ws' })
  t.equal(plain.statusCode, 426)
  t.equal(plain.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(plain.json().code, 'UPGRADE_REQUIRED')

  const staff = await signInWithCookie(app, { role: 'staff' })
  await t.rejects(Client.connect(t, base, { cookie: staff.headers.cookie, origin: 'https://evil.example' }), /upgrade refused: 403/)
  const own = await Client.connect(t, base, staff.headers)
  t.match(own.frames[0], { type: 'welcome', user: { id: staff.userId, role: 'staff' } }, 'the forum’s own pages connect with the cookie')
})
