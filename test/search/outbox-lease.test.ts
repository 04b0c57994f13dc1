import t from 'tap'
import { toSearchDocument } from '../../src/knowledge-base/search-document.js'
import { createSearchOutboxWorker, type DrainResult } from '../../src/knowledge-base/search-outbox-worker.js'
import type { FaqSearchDocument } from '../../src/search/search-index.js'
import { markdownToPlainText } from '../../src/shared/markdown.js'
import { moderatorOf } from '../factories/forum.js'
import { answeredQuestion, publishInput } from '../factories/knowledge-base.js'
import { build, ManualClock } from '../helper.js'

t.test('a long drain keeps its lease: a second instance does not drain alongside it', async (t) => {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'))
  const app = await build(t, { clock })
  const moderator = await moderatorOf(app)
  for (let i = 0; i < 3; i++) {
    const { questionId } = await answeredQuestion(app)
    await app.kb.publish(moderator.actor, publishInput(questionId, { title: `Rinnovo del permesso, caso ${i}` }))
  }
  const leaseMs = 10_000
  const worker = (index: { upsert(docs: FaqSearchDocument[]): Promise<void>; remove(ids: string[]): Promise<void> }) =>
    createSearchOutboxWorker({ db: app.ports.db, clock, index, toDocument: (faq) => toSearchDocument(faq, markdownToPlainText), log: app.log, leaseMs, batchSize: 1 })
  const secondDrains: DrainResult[] = []
  const second = worker({ upsert: async () => {}, remove: async () => {} })
  // Each batch of the first instance takes 6 s: three batches outlive one 10 s lease.
  const first = worker({
    upsert: async () => {
      clock.advance(6_000)
      secondDrains.push(await second.drain())
    },
    remove: async () => {},
  })
  t.same(await first.drain(), { indexed: 3, removed: 0, failed: 0 })
  t.same(secondDrains, Array.from({ length: 3 }, () => ({ indexed: 0, removed: 0, failed: 0 })), 'the second instance never drained meanwhile')
})
