import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import t from 'tap'
import { openDatabase } from '../../src/db/connect.js'
import { isUpToDate, migrateToLatest } from '../../src/db/migrations.js'
import { isFreshDataDir, keepMigratedCluster, keepPristineCluster, migratedClusterDir, pristineClusterDir } from '../../src/db/pglite-template.js'

t.test('a fresh embedded data folder starts from the kept pristine cluster and keeps what is written', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'ft-template-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const first = join(root, 'first')
  t.ok(isFreshDataDir(first))
  await (await openDatabase({ kind: 'pglite', dataDir: first })).close()
  t.notOk(isFreshDataDir(first), 'the folder now holds a cluster')
  t.ok(existsSync(join(await pristineClusterDir(), 'PG_VERSION')), 'a pristine cluster is kept for the next fresh start')

  const second = join(root, 'second')
  const handle = await openDatabase({ kind: 'pglite', dataDir: second })
  await sql`create table kept (note text)`.execute(handle.db)
  await sql`insert into kept values ('ciao')`.execute(handle.db)
  await handle.close()
  const reopened = await openDatabase({ kind: 'pglite', dataDir: second })
  t.teardown(() => reopened.close())
  const { rows } = await sql<{ note: string }>`select note from kept`.execute(reopened.db)
  t.same(rows, [{ note: 'ciao' }], 'the database copied from the kept cluster persists like any other')
})

t.test('the pristine cluster can be made ahead of the first start, once', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'ft-template-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const kept = join(root, 'cache', 'cluster')
  t.equal(await keepPristineCluster(kept), 'made')
  t.ok(existsSync(join(kept, 'PG_VERSION')), 'a cluster is kept there')
  t.equal(await keepPristineCluster(kept), 'present', 'and not made again')
  t.same(readdirSync(join(root, 'cache')), ['cluster'], 'no partial copy is left behind')
})

t.test('with the migrated cluster kept, a fresh embedded data folder has no migration left to run', async (t) => {
  // What the postinstall does; another test process may have made it already.
  await keepMigratedCluster(async (dataDir) => {
    const database = await openDatabase({ kind: 'pglite', dataDir })
    await migrateToLatest(database.db).finally(() => database.close())
  })
  t.ok(existsSync(join(await migratedClusterDir(), 'PG_VERSION')))
  const root = mkdtempSync(join(tmpdir(), 'ft-template-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const handle = await openDatabase({ kind: 'pglite', dataDir: join(root, 'data') })
  t.teardown(() => handle.close())
  t.ok(await isUpToDate(handle.db), 'every migration is applied already')
})

t.test('the migrated cluster is named after the migrations', async (t) => {
  const other = fileURLToPath(new URL('../fixtures/failing-migrations', import.meta.url))
  t.not(await migratedClusterDir(other), await migratedClusterDir(), 'other migrations, another cluster')
})
