import { sql } from 'kysely'
import t from 'tap'
import type { App } from '../../src/app.js'
import { toSearchDocument } from '../../src/knowledge-base/search-document.js'
import { backoffMs, createSearchOutboxWorker } from '../../src/knowledge-base/search-outbox-worker.js'
import { MeilisearchSearchIndex } from '../../src/search/meilisearch-search-index.js'
import { PostgresSearchIndex } from '../../src/search/postgres-search-index.js'
import type { SearchIndex } from '../../src/search/search-index.js'
import { markdownToPlainText } from '../../src/shared/markdown.js'
import { moderatorOf } from '../factories/forum.js'
import { answeredQuestion, publishInput } from '../factories/knowledge-base.js'
import { build, ManualClock } from '../helper.js'

const MEILI_HOST = process.env.MEILI_HOST

function workerFor(app: App, clock: ManualClock, index: SearchIndex) {
  return createSearchOutboxWorker({
    db: app.ports.db,
    clock,
    index,
    toDocument: (faq) => toSearchDocument(faq, markdownToPlainText),
    log: app.log,
    leaseMs: 10_000,
  })
}

async function outbox(app: App) {
  const { rows } = await sql<{ attempts: number; lastError: string | null; processedAt: Date | null; nextAttemptAt: Date }>`
    select attempts, last_error, processed_at, next_attempt_at from search_outbox order by id
  `.execute(app.ports.db)
  return rows
}

const workingEngines: Array<[string, (app: App) => SearchIndex, false | string]> = [
  ['the PostgreSQL engine', (app) => new PostgresSearchIndex(app.ports.db), false],
  [
    'Meilisearch',
    () => new MeilisearchSearchIndex({ host: MEILI_HOST as string, apiKey: process.env.MEILI_MASTER_KEY, indexUid: `faqs_test_${Date.now().toString(36)}` }),
    MEILI_HOST ? false : 'MEILI_HOST not set: the Meilisearch half of this test needs a running server',
  ],
]

for (const [name, engine, skip] of workingEngines) {
  t.test(`with the search engine down nothing is lost: the FAQ reaches ${name} once it is back`, { skip }, async (t) => {
    const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'))
    const app = await build(t, { clock })
    const { questionId } = await answeredQuestion(app)
    const moderator = await moderatorOf(app)
    const faq = await app.kb.publish(moderator.actor, publishInput(questionId))

    // Meilisearch "down": nothing listens on port 1.
    const down = workerFor(app, clock, new MeilisearchSearchIndex({ host: 'http://127.0.0.1:1' }))
    t.same(await down.drain(), { indexed: 0, removed: 0, failed: 1 })
    const [failed] = await outbox(app)
    t.match(failed, { attempts: 1, processedAt: null, lastError: /\S/ }, 'the error is recorded')
    t.equal(failed?.nextAttemptAt.getTime(), clock.now().getTime() + backoffMs(1), 'retried after a backoff')
    t.same(await down.drain(), { indexed: 0, removed: 0, failed: 0 }, 'not retried before the backoff')
    clock.advance(backoffMs(1))
    t.same(await down.drain(), { indexed: 0, removed: 0, failed: 1 }, 'still down: a second failure')
    t.equal((await outbox(app))[0]?.attempts, 2)

    const index = engine(app)
    await index.applySettings()
    t.teardown(async () => {
      if (index instanceof MeilisearchSearchIndex) await index.drop()
    })
    clock.advance(backoffMs(2) + 10_000) // the failed drainer's lease has lapsed too
    const up = workerFor(app, clock, index)
    t.same(await up.drain(), { indexed: 1, removed: 0, failed: 0 })
    t.match((await outbox(app))[0], { processedAt: Date, lastError: null })
    const found = await index.search({ q: 'richiedente asilo anagrafe', filters: { visibility: ['public'] }, page: 1, pageSize: 10 })
    t.same(found.hits.map((h) => h.slug), [faq.slug])
  })
}

t.test('unpublishing goes through the outbox too and removes the document', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock })
  const { questionId } = await answeredQuestion(app)
  const moderator = await moderatorOf(app)
  const faq = await app.kb.publish(moderator.actor, publishInput(questionId))
  const index = new PostgresSearchIndex(app.ports.db)
  const worker = workerFor(app, clock, index)
  t.match(await worker.drain(), { indexed: 1 })
  await app.kb.unpublish(moderator.actor, faq.slug, faq.version)
  t.match(await worker.drain(), { removed: 1 })
  const found = await index.search({ filters: { visibility: ['public', 'reserved'] }, page: 1, pageSize: 10 })
  t.equal(found.total, 0)
})

t.test('only one instance drains at a time: a second drainer waits for the lease', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock })
  const { questionId } = await answeredQuestion(app)
  const moderator = await moderatorOf(app)
  await app.kb.publish(moderator.actor, publishInput(questionId))
  const index = new PostgresSearchIndex(app.ports.db)
  const first = workerFor(app, clock, index)
  const second = workerFor(app, clock, index)
  t.match(await first.drain(), { indexed: 1 })
  const { questionId: another } = await answeredQuestion(app)
  await app.kb.publish(moderator.actor, publishInput(another, { title: 'Un altro titolo per una seconda FAQ pubblicata' }))
  t.same(await second.drain(), { indexed: 0, removed: 0, failed: 0 }, 'the lease is held by the first')
  clock.advance(10_001)
  t.match(await second.drain(), { indexed: 1 }, 'taken over once the first went silent')
})
