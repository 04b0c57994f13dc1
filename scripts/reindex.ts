/**
 * npm run reindex: rebuilds the configured search index (Meilisearch when MEILI_HOST is set,
 * otherwise PostgreSQL full-text search) from the published FAQs, with a progress bar.
 */
import { SingleBar, Presets } from 'cli-progress'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/connect.js'
import { reindexAll } from '../src/knowledge-base/reindex.js'
import { selectSearchEngine } from '../src/search/select-engine.js'
import { markdownToPlainText } from '../src/shared/markdown.js'

const config = loadConfig()
const database = await openDatabase(config.database)
const index = selectSearchEngine(config.search, database.db)
const bar = new SingleBar({ format: 'reindex ({engine}) [{bar}] {value}/{total} FAQs', hideCursor: true }, Presets.shades_classic)
let failed = false
try {
  await index.applySettings()
  let started = false
  const count = await reindexAll(database.db, index, markdownToPlainText, (done, total) => {
    if (!started) {
      bar.start(total, 0, { engine: index.kind })
      started = true
    }
    bar.update(done)
  })
  bar.stop()
  process.stdout.write(`${count} FAQs indexed into ${index.kind}\n`)
} catch (err) {
  bar.stop()
  process.stderr.write(`reindex failed: ${err instanceof Error ? err.message : String(err)}\n`)
  failed = true
} finally {
  await database.close().catch((err: unknown) => {
    process.stderr.write(`closing the database failed: ${err instanceof Error ? err.message : String(err)}\n`)
    failed = true
  })
}
// Set last: PGlite's runtime resets process.exitCode to 0 when it shuts down, which made a
// failed reindex on the embedded database look successful.
process.exitCode = failed ? 1 : 0
