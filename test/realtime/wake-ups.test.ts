import t from 'tap'
import { sql } from 'kysely'
import pg from 'pg'
import { appendEvent, EVENTS_NOTIFY_CHANNEL, type NewEvent } from '../../src/events/event-log.js'
import { EVENT_BUS_APPLICATION_NAME } from '../../src/realtime/postgres-listen-bus.js'
import { openDatabase } from '../../src/db/connect.js'
import { claimNextWaiting } from '../../src/questions/statements.js'
import { signIn } from '../factories/accounts.js'
import { createForumDay, submitQuestion } from '../factories/forum.js'
import { build, freshDatabase, NEEDS_SERVER } from '../helper.js'
import { Client, listening } from './client.js'

const tick = (name: string): NewEvent => ({ type: 'test.tick', payload: { name }, channels: ['queue'], audience: [{ kind: 'experts' }] })

// No fallback polling within a test's lifetime: only wake-ups can deliver.
const NO_POLL = { REALTIME_POLL_MS: '3600000' }

t.test('a commit with events wakes the instance that wrote it, with no polling', async (t) => {
  const app = await build(t, { env: NO_POLL })
  const expert = await signIn(app, { role: 'expert' })
  const client = await Client.connect(t, await listening(app), expert.headers)
  await client.subscribe(['queue'])
  const position = await app.ports.db.transaction().execute((trx) => appendEvent(trx, tick('here')))
  t.match(await client.next((f) => f.type === 'event'), { position, payload: { name: 'here' } })
})

t.test('claim-next, one statement outside any transaction, wakes the instance with no polling', async (t) => {
  const app = await build(t, { env: NO_POLL })
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const asked = await submitQuestion(app, staff, day.id)
  const expert = await signIn(app, { role: 'expert' })
  const client = await Client.connect(t, await listening(app), expert.headers)
  await client.subscribe(['queue'])
  await app.realtime.catchUp()
  const claimed = await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: expert.headers, payload: { forumDayId: day.id } })
  t.equal(claimed.statusCode, 200)
  t.match(await client.next((f) => f.type === 'event' && f.event === 'question.claimed'), { payload: { questionId: asked.id, state: 'claimed' } })
})

t.test('a claim-next statement through an instance with no listener falls back to a NOTIFY', { skip: NEEDS_SERVER }, async (t) => {
  const database = await freshDatabase(t)
  const app = await build(t, { database })
  if (database.kind !== 'postgres') throw new Error('unreachable')
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  await submitQuestion(app, staff, day.id)
  const expert = await signIn(app, { role: 'expert' })
  // A second handle on the database, with no realtime module listening for its commits.
  const bare = await openDatabase(database)
  t.teardown(() => bare.close())
  const listener = new pg.Client({ connectionString: database.url })
  await listener.connect()
  t.teardown(() => listener.end())
  const heard = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no notification within 5 s')), 5_000)
    listener.once('notification', (message) => {
      clearTimeout(timer)
      resolve(message)
    })
  })
  await listener.query(`listen ${EVENTS_NOTIFY_CHANNEL}`)

  const now = new Date()
  const [claimed] = await claimNextWaiting(bare.db, { forumDayId: day.id }, [{ expertId: expert.userId, expertName: 'E', actorRole: 'expert', now, leaseExpiresAt: new Date(now.getTime() + 60_000) }])
  t.ok(claimed, 'a question was claimed')
  t.match(await heard, { channel: EVENTS_NOTIFY_CHANNEL })
})

t.test('a commit with events on one instance wakes another, with no polling', { skip: NEEDS_SERVER }, async (t) => {
  const database = await freshDatabase(t)
  const a = await build(t, { database, env: NO_POLL })
  const b = await build(t, { database, env: NO_POLL })
  const expert = await signIn(a, { role: 'expert' })
  const onB = await Client.connect(t, await listening(b), expert.headers)
  await onB.subscribe(['queue'])
  for (const name of ['first', 'second']) {
    const position = await a.ports.db.transaction().execute((trx) => appendEvent(trx, tick(name)))
    t.match(await onB.next((f) => f.type === 'event'), { position, payload: { name } }, `${name} reached the other instance`)
  }
})

t.test('writing transactions send no NOTIFY: the instance announces their commits from its own connection', { skip: NEEDS_SERVER }, async (t) => {
  const database = await freshDatabase(t)
  const app = await build(t, { database })
  if (database.kind !== 'postgres') throw new Error('unreachable')
  const listener = new pg.Client({ connectionString: database.url })
  await listener.connect()
  t.teardown(() => listener.end())
  const senders: number[] = []
  listener.on('notification', (message) => senders.push(message.processId))
  await listener.query(`listen ${EVENTS_NOTIFY_CHANNEL}`)

  const writers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      app.ports.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
        await appendEvent(trx, tick(`w${i}`))
        return rows[0]!.pid
      }),
    ),
  )
  await app.realtime.catchUp()
  // A query round trip on the listening connection: notifications sent before it have arrived.
  while (senders.length === 0) await listener.query('select 1')
  const writerPids = new Set(writers)
  t.same(
    senders.filter((pid) => writerPids.has(pid)),
    [],
    'no notification came from a writer',
  )
  const [bus] = (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and application_name = ${EVENT_BUS_APPLICATION_NAME}`.execute(app.ports.db)).rows
  t.same(new Set(senders), new Set([bus?.pid]), 'the instance announced the commits from its listening connection')
  t.comment(`${senders.length} notifications for ${writers.length} commits`)
})
