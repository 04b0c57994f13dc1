import t, { type Test } from 'tap'
import { sql, type Kysely } from 'kysely'
import type { App } from '../../src/app.js'
import type { Database } from '../../src/db/database.js'
import { appendEvent, type NewEvent } from '../../src/events/event-log.js'
import { createEventReader, stillRunning } from '../../src/realtime/event-reader.js'
import { realtimeRepository } from '../../src/realtime/repository.js'
import { signIn } from '../factories/accounts.js'
import { build, freshDatabase, NEEDS_SERVER } from '../helper.js'
import { Client, listening } from './client.js'

if (NEEDS_SERVER) t.comment(`skipping concurrent-writer delivery tests: ${NEEDS_SERVER}`)

const tick = (name: string): NewEvent => ({ type: 'test.tick', payload: { name }, channels: ['queue'], audience: [{ kind: 'experts' }] })

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Every queue position in the log, in order: what every live client must have received. */
async function logPositions(db: Kysely<Database>): Promise<number[]> {
  const { rows } = await sql<{ position: number }>`select position from events where 'queue' = any(channels) order by position`.execute(db)
  return rows.map((r) => r.position)
}

t.test('a transaction at or above the snapshot xmax counts as running until a later snapshot shows it done', async (t) => {
  // Seen at a gap: 12 listed; 20..24 may exist unlisted (xmax 20, horizon 25).
  const suspects = { listed: [12n], unlistedFrom: 20n, below: 25n }
  t.same(stillRunning(suspects, { xmin: 12n, xmax: 20n, inProgress: [12n] }), [12n, 20n], 'the same snapshot: both kinds')
  t.same(stillRunning(suspects, { xmin: 22n, xmax: 26n, inProgress: [22n, 30n] }), [22n], 'one unlisted one still runs')
  t.same(stillRunning(suspects, { xmin: 12n, xmax: 23n, inProgress: [] }), [23n], 'ids above the later xmax are unknown: still running')
  t.same(stillRunning(suspects, { xmin: 30n, xmax: 31n, inProgress: [30n] }), [], 'all done; later transactions do not matter')
})

t.test('an event whose transaction took its id after the latest completed one is not skipped', { skip: NEEDS_SERVER }, async (t) => {
  const app = await build(t, { env: { REALTIME_POLL_MS: '3600000' } })
  const db = app.ports.db
  const delivered: number[] = []
  const reader = createEventReader({ repo: realtimeRepository(db), deliver: (events) => delivered.push(...events.map((e) => e.position)), log: app.log, pollMs: 3_600_000 })
  t.teardown(() => reader.stop())
  await reader.ready

  // Transaction ids are cluster-wide: another database's transaction, open or committing in
  // between, can hide the skip, so the exact interleaving is tried several times.
  for (let attempt = 0; attempt < 12; attempt++) {
    const before = delivered.length
    const fast = await db.startTransaction().execute()
    await sql`select pg_current_xact_id()`.execute(fast) // the lower transaction id...
    const slow = await db.startTransaction().execute()
    const slowPosition = await appendEvent(slow, tick('slow')) // ...draws the higher one the lower position
    const fastPosition = await appendEvent(fast, tick('fast'))
    await fast.commit().execute()
    // Now the latest completed id is the fast one's: the slow one is at or above the snapshot's xmax.
    while (delivered.length === before && reader.waitingAt !== slowPosition) {
      reader.wake()
      await sleep(5)
    }
    await slow.commit().execute()
    await reader.catchUp()
    t.same(delivered.slice(before), [slowPosition, fastPosition], `attempt ${attempt + 1}: the slow event is delivered, first`)
  }
})

/**
 * One writer: a transaction that appends `events` events, holding the transaction open in
 * between for a while (in the database or in the app), sometimes after taking its transaction id
 * early (a low id with a high position: the case a snapshot cannot list), sometimes rolling back.
 */
async function writer(db: Kysely<Database>, i: number): Promise<void> {
  const shape = i % 5
  await db
    .transaction()
    .execute(async (trx) => {
      if (shape === 0) await sql`select pg_current_xact_id()`.execute(trx)
      if (shape === 1) await sql`select pg_sleep(${(i % 7) / 200})`.execute(trx)
      await appendEvent(trx, tick(`w${i}a`))
      if (shape === 2) await sleep(i % 11)
      if (shape === 3) await sql`select pg_sleep(${(i % 5) / 100})`.execute(trx)
      await appendEvent(trx, tick(`w${i}b`))
      if (i % 13 === 0) throw new Error('rolled back on purpose')
    })
    .catch((err: unknown) => {
      if (!(err instanceof Error && err.message === 'rolled back on purpose')) throw err
    })
}

/** Writers run in waves of `concurrency`, alternating between the instances' pools. */
async function writeConcurrently(dbs: Array<Kysely<Database>>, total: number, concurrency: number): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++
        await writer(dbs[i % dbs.length]!, i)
      }
    }),
  )
}

async function expertsOn(t: Test, apps: App[], perApp: number): Promise<Client[]> {
  const expert = await signIn(apps[0]!, { role: 'expert' })
  const clients: Client[] = []
  for (const app of apps) {
    const base = await listening(app)
    for (let i = 0; i < perApp; i++) {
      const client = await Client.connect(t, base, expert.headers)
      await client.subscribe(['queue'])
      clients.push(client)
    }
  }
  return clients
}

async function receivedByEach(apps: App[], clients: Client[]): Promise<number[][]> {
  for (const app of apps) await app.realtime.catchUp()
  await Promise.all(clients.map((c) => c.settle()))
  return clients.map((c) => c.events().map((e) => e.position))
}

t.test('many concurrent writers of different lengths: every live client on one instance gets every position once, in order', { skip: NEEDS_SERVER }, async (t) => {
  const app = await build(t)
  const clients = await expertsOn(t, [app], 3)
  await writeConcurrently([app.ports.db], 400, 12)

  const log = await logPositions(app.ports.db)
  t.ok(log.length > 600, `${log.length} events written`)
  for (const [i, received] of (await receivedByEach([app], clients)).entries()) t.same(received, log, `client ${i + 1} received the log exactly`)
})

t.test('many concurrent writers on two instances: every live client on either gets every position once, in order', { skip: NEEDS_SERVER }, async (t) => {
  const database = await freshDatabase(t)
  const apps = [await build(t, { database }), await build(t, { database })]
  const clients = await expertsOn(t, apps, 2)
  await writeConcurrently(
    apps.map((app) => app.ports.db),
    400,
    12,
  )

  const log = await logPositions(apps[0]!.ports.db)
  t.ok(log.length > 600, `${log.length} events written`)
  for (const [i, received] of (await receivedByEach(apps, clients)).entries()) t.same(received, log, `client ${i + 1} received the log exactly`)
})
