import { sql } from 'kysely'
import t from 'tap'
import { openDatabase } from '../../src/db/connect.js'
import { isDatabaseUnavailable } from '../../src/db/unavailable.js'
import { freshDatabase, NEEDS_SERVER } from '../helper.js'

t.test('a connection killed inside a transaction fails that transaction and nothing else', { skip: NEEDS_SERVER }, async (t) => {
  const database = await openDatabase(await freshDatabase(t, { migrated: false }))
  t.teardown(() => database.close())

  // The server ends this backend as `pg_ctl stop -m fast` does (FATAL 57P01, then the socket
  // closes) while the transaction still holds its client. The second query can only settle after
  // the client has seen the socket close, which is when an unheard 'error' ended the process.
  const failure: unknown = await database.db
    .transaction()
    .execute(async (trx) => {
      await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx).catch(() => undefined)
      await sql`select 1`.execute(trx)
    })
    .then(
      () => undefined,
      (err: unknown) => err,
    )

  t.ok(failure, 'the transaction failed')
  t.ok(isDatabaseUnavailable(failure), 'and the failure reads as the database being unreachable')
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db)
  t.same(rows, [{ one: 1 }], 'the next query gets a fresh connection')
})

t.test('an idle pooled connection killed by the server is replaced on next use', { skip: NEEDS_SERVER }, async (t) => {
  const database = await openDatabase(await freshDatabase(t, { migrated: false }))
  t.teardown(() => database.close())
  const { rows: before } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)
  const pid = before[0]?.pid
  const killer = await openDatabase(await freshDatabase(t, { migrated: false }))
  t.teardown(() => killer.close())
  await sql`select pg_terminate_backend(${pid}::int, 5000)`.execute(killer.db)

  let answered = false
  for (let attempt = 0; attempt < 3 && !answered; attempt++) {
    answered = await sql`select 1`.execute(database.db).then(
      () => true,
      (err: unknown) => {
        if (isDatabaseUnavailable(err)) return false
        throw err
      },
    )
  }
  t.ok(answered, 'a query works again without a restart')
})

t.test('connection-level failures are told apart from every other failure', async (t) => {
  const unavailable = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('terminating connection due to crash of another server process'), { code: '57P02' }),
    Object.assign(new Error('the database system is shutting down'), { code: '57P03' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], 'connect failed'),
    new Error('transaction failed', { cause: Object.assign(new Error('socket'), { code: 'EPIPE' }) }),
  ]
  for (const err of unavailable) t.ok(isDatabaseUnavailable(err), err.message)

  const others = [
    Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
    Object.assign(new Error('syntax error'), { code: '42601' }),
    Object.assign(new Error('password authentication failed'), { code: '28P01' }),
    new TypeError('x is undefined'),
    'ECONNREFUSED',
    undefined,
  ]
  for (const err of others) t.notOk(isDatabaseUnavailable(err), String(err))
})
