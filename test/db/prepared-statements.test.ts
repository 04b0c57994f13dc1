import { sql, type Kysely } from 'kysely'
import type { Database } from '../../src/db/database.js'
import t from 'tap'
import { openDatabase } from '../../src/db/connect.js'
import { MAX_PREPARED, prepared } from '../../src/db/prepared-statements.js'
import { freshDatabase, NEEDS_SERVER } from '../helper.js'

/** The statements prepared on the connection that runs `trx` (pg_prepared_statements is per session). */
async function preparedOnThisConnection(trx: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements order by prepare_time`.execute(trx)
  return rows.map((r) => r.statement)
}

t.test('a marked statement is prepared once per connection and keeps answering with its values', { skip: NEEDS_SERVER }, async (t) => {
  const database = await openDatabase(await freshDatabase(t, { migrated: false }))
  t.teardown(() => database.close())
  await database.db.transaction().execute(async (trx) => {
    const double = (n: number) => prepared(sql<{ twice: number }>`select ${n}::int * 2 as twice`).execute(trx)
    t.same((await double(21)).rows, [{ twice: 42 }])
    t.same((await double(5)).rows, [{ twice: 10 }], 'the second run binds its own value')
    await sql`select ${'not marked'}::text as plain`.execute(trx)
    const statements = await preparedOnThisConnection(trx)
    t.equal(statements.length, 1, 'one prepared statement for both runs; the unmarked query is not prepared')
    t.match(statements[0], /select \$1::int \* 2 as twice/)
  })
})

t.test('past its limit a connection runs further marked statements unnamed, with the same answers', { skip: NEEDS_SERVER }, async (t) => {
  const database = await openDatabase(await freshDatabase(t, { migrated: false }))
  t.teardown(() => database.close())
  await database.db.transaction().execute(async (trx) => {
    // Each shape is another statement: the alias differs.
    for (let i = 0; i < MAX_PREPARED + 5; i++) {
      const { rows } = await prepared(sql<{ v: number }>`select ${i}::int as ${sql.ref(`v${i}`)}`).execute(trx)
      t.same(Object.values(rows[0] ?? {}), [i])
    }
    t.equal((await preparedOnThisConnection(trx)).length, MAX_PREPARED)
  })
})

t.test('a prepared statement survives a change to the table it reads', { skip: NEEDS_SERVER }, async (t) => {
  const database = await openDatabase(await freshDatabase(t, { migrated: false }))
  t.teardown(() => database.close())
  await database.db.transaction().execute(async (trx) => {
    await sql`create table notes (id int primary key, body text)`.execute(trx)
    await sql`insert into notes values (1, 'prima')`.execute(trx)
    const read = () => prepared(sql<{ body: string }>`select body from notes where id = ${1}`).execute(trx)
    t.same((await read()).rows, [{ body: 'prima' }])
    await sql`alter table notes add column extra text`.execute(trx)
    await sql`update notes set body = 'dopo'`.execute(trx)
    t.same((await read()).rows, [{ body: 'dopo' }], 'PostgreSQL re-plans it')
  })
})
