import { sql } from 'kysely'
import t, { type Test } from 'tap'
import type { DatabaseConfig } from '../../src/config.js'
import { EVENT_BUS_APPLICATION_NAME } from '../../src/realtime/postgres-listen-bus.js'
import { signIn } from '../factories/accounts.js'
import { createForumDay, submitQuestion } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { build, freshDatabase, NEEDS_SERVER, onRealServer } from '../helper.js'
import { Client, listening, type EventFrame } from './client.js'

const positions = (events: EventFrame[]) => events.map((e) => e.position)
const isIncreasing = (list: number[]) => list.every((p, i) => i === 0 || p > list[i - 1]!)

/** A listening app with an open forum day, a staff member to ask and an expert to watch the queue. */
async function openForum(t: Test) {
  const app = await build(t)
  const base = await listening(app)
  const staff = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert' })
  const day = await createForumDay(app)
  return { app, base, staff, expert, day }
}

t.test('a client that reconnects with the last position it processed gets what it missed, then live, once each', async (t) => {
  const { app, base, staff, expert, day } = await openForum(t)

  const first = await Client.connect(t, base, expert.headers)
  await first.subscribe(['queue'])
  const q1 = await submitQuestion(app, staff, day.id)
  const seen = (await first.next((f) => f.type === 'event')) as EventFrame
  first.socket.terminate() // a network drop: no goodbye

  const q2 = await submitQuestion(app, staff, day.id)
  const q3 = await submitQuestion(app, staff, day.id)
  await app.questions.claim(expert.actor, q2.id)
  await app.realtime.catchUp() // the server has moved on: these can only come back by replay

  const again = await Client.connect(t, base, expert.headers)
  const replayed = await again.subscribe(['queue'], seen.position)
  t.match(replayed, { type: 'replayed', channels: ['queue'], count: 3 })
  const q4 = await submitQuestion(app, staff, day.id)
  await again.next((f) => f.type === 'event' && f.payload !== undefined && (f.payload as { questionId?: string }).questionId === q4.id)

  const events = again.events()
  t.same(
    events.map((e) => [e.event, e.payload.questionId]),
    [
      ['question.submitted', q2.id],
      ['question.submitted', q3.id],
      ['question.claimed', q2.id],
      ['question.submitted', q4.id],
    ],
    'missed events in order, then live, nothing twice',
  )
  t.notOk(events.some((e) => e.payload.questionId === q1.id), 'what was processed is not sent again')
  t.ok(isIncreasing(positions(events)))
})

t.test('a resume that adds no channel still ends with replayed, so the client never waits forever', async (t) => {
  const { base, expert } = await openForum(t)
  const client = await Client.connect(t, base, expert.headers)
  await client.subscribe(['queue'])
  t.match(await client.subscribe(['queue'], 0), { type: 'replayed', channels: [], count: 0 }, 'already subscribed')
  const visitor = await Client.connect(t, base)
  visitor.send({ type: 'subscribe', channels: ['queue'], since: 0, id: 'refused' })
  t.match(await visitor.next((f) => f.id === 'refused'), { type: 'error', code: 'UNAUTHENTICATED' })
  t.match(await visitor.next((f) => f.id === 'refused' && f.type === 'replayed'), { count: 0 })
})

t.test('a replay filters by audience exactly like live delivery', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const reserved = await publishedFaq(app, { visibility: 'reserved', title: 'Una FAQ per i soli comuni' })
  const open = await publishedFaq(app, { title: 'Una FAQ per tutti i visitatori' })
  const staff = await signIn(app, { role: 'staff' })

  const pub = await Client.connect(t, base)
  t.match(await pub.subscribe(['faqs'], 0), { type: 'replayed' })
  t.same(pub.events().map((e) => e.payload.slug), [open.slug], 'the public is not replayed a reserved FAQ')
  const signedIn = await Client.connect(t, base, staff.headers)
  await signedIn.subscribe(['faqs'], 0)
  t.same(signedIn.events().map((e) => e.payload.slug), [reserved.slug, open.slug])
})

t.test('live events that happen during a long replay come after it, in order, with no gap or duplicate', async (t) => {
  const { app, base, staff, expert, day } = await openForum(t)
  // More than one replay page (500), written straight to the log.
  await sql`
    insert into events (type, payload, channels, audience)
    select 'question.submitted', jsonb_build_object('questionId', n), array['queue'], '[{"kind":"experts"}]'::jsonb from generate_series(1, 1200) n
  `.execute(app.ports.db)
  await app.realtime.catchUp()

  const client = await Client.connect(t, base, expert.headers)
  client.send({ type: 'subscribe', channels: ['queue'], since: 0, id: 'r' })
  // Written while the replay may still be running: they must come after it, never inside or twice.
  const during = await Promise.all([submitQuestion(app, staff, day.id), submitQuestion(app, staff, day.id)])
  await client.next((f) => f.id === 'r' && f.type === 'replayed')
  const after = await submitQuestion(app, staff, day.id)
  await client.next((f) => f.type === 'event' && (f.payload as { questionId?: string }).questionId === after.id)
  const received = client.events()
  t.equal(received.length, 1203, 'every event once')
  t.ok(isIncreasing(positions(received)), 'in position order')
  for (const q of [...during, after]) t.equal(received.filter((e) => e.payload.questionId === q.id).length, 1)
})

t.test('resuming from before the retained log asks the client to reload', async (t) => {
  const { app, base, staff, expert, day } = await openForum(t)
  await submitQuestion(app, staff, day.id)
  const pruned = await app.realtime.prune(new Date(Date.now() + 60_000))
  t.ok(pruned > 0)

  const client = await Client.connect(t, base, expert.headers)
  const answer = await client.subscribe(['queue'], 1)
  t.match(answer, { type: 'resync_required', channels: ['queue'], since: 1 })
  t.ok((answer.oldestAvailable as number) > 1)
  const q = await submitQuestion(app, staff, day.id)
  t.match(await client.next((f) => f.type === 'event'), { payload: { questionId: q.id } }, 'and is live from then on')
})

t.test('a server restart in the middle: the client resumes on the new process with nothing lost or repeated', async (t) => {
  const database: DatabaseConfig = onRealServer ? await freshDatabase(t) : { kind: 'pglite', dataDir: t.testdir() }
  const before = await build(t, { database })
  const base = await listening(before)
  const staff = await signIn(before, { role: 'staff' })
  const expert = await signIn(before, { role: 'expert' })
  const day = await createForumDay(before)

  const client = await Client.connect(t, base, expert.headers)
  await client.subscribe(['queue'])
  const q1 = await submitQuestion(before, staff, day.id)
  const last = (await client.next((f) => f.type === 'event')) as EventFrame
  await before.close()
  t.equal(await client.closure(), 1001, 'told the server is going away')

  const after = await build(t, { database })
  const q2 = await submitQuestion(after, staff, day.id)
  await after.realtime.catchUp()
  const newBase = await listening(after)
  const resumed = await Client.connect(t, newBase, expert.headers)
  t.match(await resumed.subscribe(['queue'], last.position), { type: 'replayed', count: 1 })
  const q3 = await submitQuestion(after, staff, day.id)
  await resumed.next((f) => f.type === 'event' && (f.payload as { questionId?: string }).questionId === q3.id)
  t.same(
    [...client.events(), ...resumed.events()].map((e) => e.payload.questionId),
    [q1.id, q2.id, q3.id],
  )
})

t.test('two app instances on one database: a client on B sees what was done through A', { skip: NEEDS_SERVER }, async (t) => {
  const database = await freshDatabase(t)
  const a = await build(t, { database })
  const b = await build(t, { database })
  const baseB = await listening(b)
  const staff = await signIn(a, { role: 'staff' })
  const expert = await signIn(a, { role: 'expert' })
  const day = await createForumDay(a)

  const onB = await Client.connect(t, baseB, expert.headers)
  await onB.subscribe(['queue'])
  const submitted = await a.inject({
    method: 'POST',
    url: `/api/v1/forum-days/${day.id}/questions`,
    headers: { ...staff.headers, 'idempotency-key': 'two-instances-1' },
    payload: { title: 'Residenza del richiedente asilo', body: 'Il richiedente asilo in CAS può iscriversi in anagrafe?', theme: day.themes[1]!.code },
  })
  t.equal(submitted.statusCode, 201)
  const id = submitted.json<{ id: string }>().id
  t.match(await onB.next((f) => f.type === 'event'), { event: 'question.submitted', payload: { questionId: id } })
})

t.test('when the LISTEN connection drops, the instance listens again and catches up', { skip: NEEDS_SERVER }, async (t) => {
  // No fallback polling within the test's lifetime: only notifications can deliver. The event is
  // written through another instance: the writing instance wakes its own reader directly.
  const noPoll = { env: { REALTIME_POLL_MS: '3600000' } }
  const database = await freshDatabase(t)
  const app = await build(t, { database, ...noPoll })
  const base = await listening(app)
  const listeners = sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database() and application_name = ${EVENT_BUS_APPLICATION_NAME}
  `
  const [listener] = (await listeners.execute(app.ports.db)).rows
  t.ok(listener, 'one connection listens')
  const writer = await build(t, { database, ...noPoll })
  const staff = await signIn(writer, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert' })
  const day = await createForumDay(writer)
  const client = await Client.connect(t, base, expert.headers)
  await client.subscribe(['queue'])

  await sql`select pg_terminate_backend(${listener!.pid})`.execute(app.ports.db)
  const q = await submitQuestion(writer, staff, day.id) // may commit while nobody listens
  t.match(await client.next((f) => f.type === 'event', 10_000), { payload: { questionId: q.id } }, 'caught up after listening again')
  const again = (await listeners.execute(app.ports.db)).rows.map((r) => r.pid)
  t.equal(again.length, 2, 'both instances listen')
  t.notOk(again.includes(listener!.pid), 'on a new connection')
})
