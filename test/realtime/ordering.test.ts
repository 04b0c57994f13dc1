import t, { type Test } from 'tap'
import { sql } from 'kysely'
import { appendEvent, type NewEvent } from '../../src/events/event-log.js'
import { createEventReader } from '../../src/realtime/event-reader.js'
import { realtimeRepository } from '../../src/realtime/repository.js'
import { signIn } from '../factories/accounts.js'
import { build, NEEDS_SERVER } from '../helper.js'
import { Client, listening } from './client.js'

if (NEEDS_SERVER) t.comment(`skipping out-of-order commit tests: ${NEEDS_SERVER}`)

const tick = (name: string): NewEvent => ({ type: 'test.tick', payload: { name }, channels: ['queue'], audience: [{ kind: 'experts' }] })

/** Opens a transaction that appends an event and stays open until `finish` is called. */
function heldOpen(app: Awaited<ReturnType<typeof build>>, event: NewEvent) {
  let finish!: (commit: boolean) => void
  const decided = new Promise<boolean>((resolve) => (finish = resolve))
  let appended!: (position: number) => void
  const position = new Promise<number>((resolve) => (appended = resolve))
  const done = app.ports.db
    .transaction()
    .execute(async (trx) => {
      appended(await appendEvent(trx, event))
      if (!(await decided)) throw new Error('rolled back on purpose')
    })
    .catch((err: unknown) => {
      if (!(err instanceof Error && err.message === 'rolled back on purpose')) throw err
    })
  return { position, finish, done }
}

/** An app listening, and an expert's socket subscribed to the queue (where test events go). */
async function expertOnQueue(t: Test) {
  const app = await build(t)
  const expert = await signIn(app, { role: 'expert' })
  const client = await Client.connect(t, await listening(app), expert.headers)
  await client.subscribe(['queue'])
  return { app, client }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10))
}

t.test('an event that commits after a later-numbered one was committed is still delivered, first', { skip: NEEDS_SERVER }, async (t) => {
  const { app, client } = await expertOnQueue(t)

  const slow = heldOpen(app, tick('slow'))
  const slowPosition = await slow.position
  const fastPosition = await app.ports.db.transaction().execute((trx) => appendEvent(trx, tick('fast')))
  t.ok(fastPosition > slowPosition, 'the later number commits first')

  app.realtime.reader.wake()
  await until(() => app.realtime.reader.waitingAt === slowPosition)
  await client.settle()
  t.same(client.events(), [], 'the committed event waits behind the open transaction')
  t.ok(app.realtime.reader.cursor < slowPosition)

  slow.finish(true)
  await slow.done
  await app.realtime.catchUp()
  await client.settle()
  t.same(
    client.events().map((e) => [e.position, e.payload.name]),
    [
      [slowPosition, 'slow'],
      [fastPosition, 'fast'],
    ],
    'both delivered, in position order',
  )
})

t.test('delivery held up by an open transaction is reported to the operator with its transaction id', { skip: NEEDS_SERVER }, async (t) => {
  const app = await build(t)
  const warnings: Array<{ msg: string; transactions?: string[] }> = []
  const log = Object.assign(Object.create(app.log) as typeof app.log, { warn: (entry: { transactions?: string[] }, msg: string) => warnings.push({ ...entry, msg }) })
  const reader = createEventReader({ repo: realtimeRepository(app.ports.db), deliver: () => undefined, log, pollMs: 3_600_000, longWaitMs: 50 })
  t.teardown(() => reader.stop())
  await reader.ready

  const slow = heldOpen(app, tick('slow'))
  await slow.position
  await app.ports.db.transaction().execute((trx) => appendEvent(trx, tick('fast')))
  const [{ xid }] = (await sql<{ xid: string }>`select backend_xid::text as xid from pg_stat_activity where state = 'idle in transaction' and datname = current_database()`.execute(app.ports.db)).rows as [{ xid: string }]
  while (warnings.length === 0) {
    reader.wake()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  // Transaction ids are cluster-wide: files running in parallel in other databases may be listed too.
  t.match(warnings, [{ msg: /waiting for open transactions/ }])
  t.ok(warnings[0]?.transactions?.includes(xid), `the held transaction ${xid} is named`)
  slow.finish(true)
  await slow.done
  t.equal(await reader.catchUp(), reader.cursor)
  t.equal(warnings.length, 1, 'once per gap')
})

t.test('a position whose transaction rolled back does not hold delivery up forever', { skip: NEEDS_SERVER }, async (t) => {
  const { app, client } = await expertOnQueue(t)

  const doomed = heldOpen(app, tick('doomed'))
  await doomed.position
  const kept = await app.ports.db.transaction().execute((trx) => appendEvent(trx, tick('kept')))
  app.realtime.reader.wake()
  await until(() => app.realtime.reader.waitingAt !== undefined)
  doomed.finish(false)
  await doomed.done
  await app.realtime.catchUp()
  await client.settle()
  t.same(client.events().map((e) => [e.position, e.payload.name]), [[kept, 'kept']])
  t.equal(app.realtime.reader.waitingAt, undefined)
})

t.test('many concurrent writers: every client sees every event exactly once, in position order', { skip: NEEDS_SERVER }, async (t) => {
  const { app, client } = await expertOnQueue(t)
  // Transactions of different lengths interleave their commits.
  const writers = Array.from({ length: 80 }, (_, i) =>
    app.ports.db.transaction().execute(async (trx) => {
      const position = await appendEvent(trx, tick(`w${i}`))
      await new Promise((resolve) => setTimeout(resolve, (i * 7) % 23))
      return position
    }),
  )
  const written = (await Promise.all(writers)).sort((a, b) => a - b)
  await app.realtime.catchUp()
  await client.settle()
  t.same(client.events().map((e) => e.position), written)
})
