import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import t from 'tap'
import type { App } from '../../src/app.js'
import { openDatabase } from '../../src/db/connect.js'
import { reindexAll } from '../../src/knowledge-base/reindex.js'
import { PostgresSearchIndex } from '../../src/search/postgres-search-index.js'
import { markdownToPlainText } from '../../src/shared/markdown.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { build, freshDatabase, onRealServer } from '../helper.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const run = promisify(execFile)

/** `npm run reindex` as an operator runs it, with only the given environment (no MEILI_HOST: the PostgreSQL engine). */
async function reindexScript(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/reindex.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', DEMO_DATA: 'false', ...env },
      timeout: 120_000,
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' }
  }
}

const hits = async (app: App, q: string) =>
  (await new PostgresSearchIndex(app.ports.db).search({ q, filters: { visibility: ['public'] }, page: 1, pageSize: 10 })).hits.map((h) => h.slug)

t.test('a reindex on the PostgreSQL engine rebuilds the index with the published FAQs', async (t) => {
  const app = await build(t)
  const faq = await publishedFaq(app, { title: 'Iscrizione anagrafica del richiedente asilo ospite di un CAS' })
  // A stale index: the FAQ is gone from it until the rebuild.
  await new PostgresSearchIndex(app.ports.db).clear()
  t.same(await hits(app, 'richiedente asilo'), [])
  const count = await reindexAll(app.ports.db, new PostgresSearchIndex(app.ports.db), markdownToPlainText)
  t.equal(count, 1)
  t.same(await hits(app, 'richiedente asilo'), [faq.slug])
})

t.test('npm run reindex on an embedded database with a published FAQ succeeds', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ft-reindex-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const app = await build(t, { database: { kind: 'pglite', dataDir } })
  await publishedFaq(app, { title: 'Iscrizione anagrafica del richiedente asilo ospite di un CAS' })
  await app.close()
  const result = await reindexScript({ DATA_DIR: dataDir })
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /1 FAQs indexed into postgres/)
})

t.test('npm run reindex on a PostgreSQL server with a published FAQ succeeds', { skip: onRealServer ? false : 'needs TEST_DATABASE_URL' }, async (t) => {
  const database = await freshDatabase(t)
  const app = await build(t, { database })
  const faq = await publishedFaq(app, { title: 'Iscrizione anagrafica del richiedente asilo ospite di un CAS' })
  await new PostgresSearchIndex(app.ports.db).clear()
  const result = await reindexScript({ DATABASE_URL: (database as { url: string }).url })
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /1 FAQs indexed into postgres/)
  t.same(await hits(app, 'richiedente asilo'), [faq.slug], 'searchable again')
})

t.test('npm run reindex exits non-zero when it cannot rebuild', async (t) => {
  const server = await reindexScript({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing-listens-here' })
  t.not(server.code, 0, 'a server that does not answer')
  t.match(server.stderr, /reindex failed/)
  // An embedded database without the knowledge base's tables: the failure must not be masked by
  // PGlite's exit. (A new folder starts from the migrated template that npm ci makes, so the
  // tables are dropped rather than never created.)
  const dataDir = mkdtempSync(join(tmpdir(), 'ft-reindex-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const broken = await openDatabase({ kind: 'pglite', dataDir })
  await sql`drop table if exists faqs cascade`.execute(broken.db)
  await broken.close()
  const embedded = await reindexScript({ DATA_DIR: dataDir })
  t.not(embedded.code, 0, 'an embedded database without tables')
  t.match(embedded.stderr, /reindex failed/)
})
