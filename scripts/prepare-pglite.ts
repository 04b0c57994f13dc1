/**
 * Run by npm after installing (postinstall): makes the pristine embedded cluster that fresh data
 * folders are copied from, and the same with every migration applied (src/db/pglite-template.ts),
 * so that no start runs PGlite's initdb, nor the migrations of a new data folder.
 * Never fails the install: without them, the first embedded start makes the pristine one instead.
 */
import { openDatabase } from '../src/db/connect.js'
import { migrateToLatest } from '../src/db/migrations.js'
import { keepMigratedCluster, keepPristineCluster, migratedClusterDir } from '../src/db/pglite-template.js'

async function migrate(dataDir: string): Promise<void> {
  const database = await openDatabase({ kind: 'pglite', dataDir })
  try {
    await migrateToLatest(database.db)
  } finally {
    await database.close()
  }
}

try {
  const started = performance.now()
  const made = [await keepPristineCluster(), await keepMigratedCluster(migrate)].includes('made')
  if (made) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    process.stdout.write(`forum-telematico: embedded database templates made in ${seconds} s (${await migratedClusterDir()})\n`)
  }
} catch (err) {
  process.stdout.write(`forum-telematico: embedded database templates not made (the first start will make one): ${err instanceof Error ? err.message : String(err)}\n`)
}
// PGlite's runtime may set a non-zero exit code as it unloads; an install must not fail here.
process.exitCode = 0
