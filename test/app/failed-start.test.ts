import pg from 'pg'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { freshDatabase, NEEDS_SERVER, testConfig } from '../helper.js'

/** Backends connected to `url`'s database, other than the one asking. */
async function connectionsTo(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    )
    return rows[0]?.n ?? 0
  } finally {
    await client.end()
  }
}

t.test('a start that fails late leaves no database connection behind', { skip: NEEDS_SERVER }, async (t) => {
  const database = await freshDatabase(t)
  if (database.kind !== 'postgres') throw new Error('needs a server database')
  // The demo data is the last thing a start loads, after the realtime LISTEN connection is open.
  const admin = new pg.Client({ connectionString: database.url })
  await admin.connect()
  await admin.query(`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'demo data refused'; end $$`)
  await admin.query('create trigger refuse before insert on app_meta for each row execute function refuse()')
  await admin.end()

  const config = { ...testConfig({ DEMO_DATA: 'true' }), database, migrateOnStart: true }
  await t.rejects(buildApp(config), /demo data refused/)
  t.equal(await connectionsTo(database.url), 0, 'the pool and the LISTEN connection are closed')
})
