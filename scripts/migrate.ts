/**
 * npm run migrate [latest|down|status]: applies, reverts (one step) or lists the migrations of
 * the configured database (DATABASE_URL, or the embedded one in DATA_DIR).
 */
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/connect.js'
import { migrateDown, migrateToLatest, migrationStatus } from '../src/db/migrations.js'

const command = process.argv[2] ?? 'latest'
if (!['latest', 'down', 'status'].includes(command)) {
  process.stderr.write(`usage: npm run migrate -- [latest|down|status]\nunknown command: ${command}\n`)
  process.exit(2)
}

const config = loadConfig()
const database = await openDatabase(config.database)
try {
  if (command === 'latest') {
    const applied = await migrateToLatest(database.db)
    process.stdout.write(applied.length ? `applied:\n${applied.map((n) => `  ${n}\n`).join('')}` : 'already up to date\n')
  } else if (command === 'down') {
    const reverted = await migrateDown(database.db)
    process.stdout.write(reverted.length ? `reverted: ${reverted.join(', ')}\n` : 'nothing to revert\n')
  } else {
    for (const m of await migrationStatus(database.db)) {
      process.stdout.write(`${m.executedAt ? `applied ${m.executedAt.toISOString()}` : 'pending                          '}  ${m.name}\n`)
    }
  }
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
} finally {
  await database.close()
}
