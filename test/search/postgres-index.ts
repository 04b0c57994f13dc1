import type { Test } from 'tap'
import { openDatabase } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrations.js'
import { PostgresSearchIndex, type PostgresSearchLimits } from '../../src/search/postgres-search-index.js'
import { freshDatabase } from '../helper.js'

/** A PostgreSQL search index on a database of the test's own (PGlite, or a server when configured). */
export async function freshPostgresIndex(t: Test, limits: Partial<PostgresSearchLimits> = {}) {
  const handle = await openDatabase(await freshDatabase(t))
  t.teardown(() => handle.close())
  if (handle.kind === 'pglite') await migrateToLatest(handle.db)
  const index = new PostgresSearchIndex(handle.db, limits)
  await index.applySettings()
  return { index, db: handle.db }
}
