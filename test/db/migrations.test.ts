import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql, type Kysely } from 'kysely'
import t, { type Test } from 'tap'
import type { DatabaseConfig } from '../../src/config.js'
import type { Database } from '../../src/db/database.js'
import { openDatabase } from '../../src/db/connect.js'
import { MigrationError, isUpToDate, migrateDown, migrateToLatest, migrationStatus } from '../../src/db/migrations.js'
import { freshDatabase, onRealServer } from '../helper.js'

async function extensions(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ extname: string }>`select extname from pg_extension where extname in ('unaccent', 'pg_trgm') order by extname`.execute(db)
  return rows.map((r) => r.extname)
}

const adapters: Array<[string, (t: Test) => Promise<DatabaseConfig>, false | string]> = [
  ['PGlite', async () => ({ kind: 'pglite', dataDir: 'memory://' }), false],
  [
    'PostgreSQL server',
    (t) => freshDatabase(t, { migrated: false }),
    onRealServer ? false : 'no PostgreSQL server configured (set TEST_DATABASE_URL)',
  ],
]

for (const [name, databaseFor, skip] of adapters) {
  t.test(`on ${name}`, { skip }, async (t) => {
    t.test('migrations run up to the latest, then all the way down', async (t) => {
      const database = await openDatabase(await databaseFor(t))
      t.teardown(() => database.close())

      t.notOk(await isUpToDate(database.db), 'a new database is not up to date')
      const applied = await migrateToLatest(database.db)
      t.ok(applied.length > 0, 'migrations were applied')
      t.ok(await isUpToDate(database.db), 'then it is')
      t.same(await extensions(database.db), ['pg_trgm', 'unaccent'])
      const { rows } = await sql<{ plain: string }>`select f_unaccent('Città di Forlì') as plain`.execute(database.db)
      t.equal(rows[0]?.plain, 'Citta di Forli', 'accent folding works')
      t.ok((await migrationStatus(database.db)).every((m) => m.executedAt !== null), 'status shows every migration applied')
      t.same(await migrateToLatest(database.db), [], 'a second run has nothing to do')
      const noMigrations = mkdtempSync(join(tmpdir(), 'ft-no-migrations-'))
      t.teardown(() => rmSync(noMigrations, { recursive: true, force: true }))
      await t.rejects(migrateToLatest(database.db, noMigrations), /is missing/, 'a database ahead of the code is still refused')

      await migrateDown(database.db)
      t.notOk(await isUpToDate(database.db), 'one migration undone: not up to date')
      t.same(await migrateToLatest(database.db), applied.slice(-1), 'and the next run applies it again')

      for (let i = 0; i < applied.length; i++) await migrateDown(database.db)
      t.same(await extensions(database.db), [], 'down removes what up created')
      t.ok((await migrationStatus(database.db)).every((m) => m.executedAt === null), 'status shows every migration pending')
    })

    t.test('a failing migration leaves the database as it was', async (t) => {
      const folder = fileURLToPath(new URL('../fixtures/failing-migrations', import.meta.url))
      const database = await openDatabase(await databaseFor(t))
      t.teardown(() => database.close())

      const err = await t.rejects(migrateToLatest(database.db, folder))
      t.type(err, MigrationError)
      t.match((err as MigrationError).migrationName, '0002_bad')
      const { rows } = await sql<{ name: string | null }>`select to_regclass('kept_if_committed')::text as name`.execute(database.db)
      t.equal(rows[0]?.name, null, 'the earlier migration of the batch was rolled back too')
      t.ok((await migrationStatus(database.db, folder)).every((m) => m.executedAt === null), 'nothing is recorded as applied')
    })
  })
}
