import t from 'tap'
import type { DatabaseConfig } from '../../src/config.js'
import { signIn } from '../factories/accounts.js'
import { claimedBy, createForumDay, submitQuestion } from '../factories/forum.js'
import { build, freshDatabase, ManualClock, NEEDS_SERVER, onRealServer } from '../helper.js'
import { Client, listening } from '../realtime/client.js'

const HOUR = 3_600_000

t.test('a forum day opening and closing reach subscribers once each, at the scheduler’s tick', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock })
  const base = await listening(app)
  const day = await createForumDay(app, { opensAt: new Date(clock.now().getTime() + HOUR), closesAt: new Date(clock.now().getTime() + 3 * HOUR) })
  const visitor = await Client.connect(t, base)
  await visitor.subscribe([`forum-day:${day.id}`])

  await app.scheduler.tick()
  clock.advance(HOUR)
  await app.scheduler.tick()
  await app.scheduler.tick()
  clock.advance(2 * HOUR)
  await app.scheduler.tick()
  await app.realtime.catchUp()
  await visitor.settle()
  t.same(
    visitor.events().map((e) => [e.event, e.payload.at]),
    [
      ['forum_day.opened', day.opensAt],
      ['forum_day.closed', day.closesAt],
    ],
  )
})

t.test('two instances ticking at the same instant announce an opening once', { skip: NEEDS_SERVER }, async (t) => {
  const clock = new ManualClock()
  const database = await freshDatabase(t)
  const a = await build(t, { clock, database })
  const b = await build(t, { clock, database })
  const day = await createForumDay(a, { opensAt: new Date(clock.now().getTime() + HOUR), closesAt: new Date(clock.now().getTime() + 3 * HOUR) })
  // The day was created through `a`: `b` must have read that event before the visitor subscribes,
  // or it arrives live as a `forum_day.changed` (CI saw that race once).
  await b.realtime.catchUp()
  const visitor = await Client.connect(t, await listening(b))
  await visitor.subscribe([`forum-day:${day.id}`])
  clock.advance(HOUR)
  await Promise.all([a.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick(), b.scheduler.tick()])
  await b.realtime.catchUp()
  await visitor.settle()
  t.same(visitor.events().map((e) => e.event), ['forum_day.opened'])
})

t.test('an opening missed while the app was down is announced when it comes back', async (t) => {
  const clock = new ManualClock()
  const database: DatabaseConfig = onRealServer ? await freshDatabase(t) : { kind: 'pglite', dataDir: t.testdir() }
  const first = await build(t, { clock, database })
  const day = await createForumDay(first, { opensAt: new Date(clock.now().getTime() + HOUR), closesAt: new Date(clock.now().getTime() + 3 * HOUR) })
  const lastSeen = await first.realtime.catchUp()
  await first.close()

  clock.advance(2 * HOUR) // the opening passes while nothing runs
  const second = await build(t, { clock, database, env: { SCHEDULER_INTERVAL_MS: '60000' } })
  const visitor = await Client.connect(t, await listening(second))
  // The first tick may run before or after this subscription: replayed or live, it comes once.
  await visitor.subscribe([`forum-day:${day.id}`], lastSeen)
  if (visitor.events().length === 0) await visitor.next((f) => f.type === 'event')
  await second.realtime.catchUp()
  await visitor.settle()
  t.equal(visitor.events().length, 1)
  t.match(visitor.events()[0], { event: 'forum_day.opened', payload: { forumDayId: day.id, at: day.opensAt } }, 'announced by the first tick after start')
})

t.test('expired claims go back to the queue on the scheduler’s tick, and the experts see it', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock, env: { CLAIM_LEASE_MINUTES: '30' } })
  const base = await listening(app)
  const staff = await signIn(app, { role: 'staff' })
  const day = await createForumDay(app)
  const q = await submitQuestion(app, staff, day.id)
  await claimedBy(app, q.id)
  const watcher = await signIn(app, { role: 'expert' })
  const client = await Client.connect(t, base, watcher.headers)
  await client.subscribe(['queue'])

  clock.advance(31 * 60_000)
  await app.scheduler.tick()
  t.match(await client.next((f) => f.type === 'event'), { event: 'question.lease_expired', payload: { questionId: q.id, state: 'submitted' } })
})
