import t from 'tap'
import { generate } from '../../scripts/bench/search.js'
import { freshPostgresIndex } from './postgres-index.js'
import { heldOutQueries, measure, relevanceDocuments } from './relevance.js'

// Floors a little under what was measured (README, "Search"); its own file, as indexing 10,000
// FAQs on PGlite takes most of a minute.
const MIN_RECALL_AMONG_10K = 0.95
const MIN_TOP1_AMONG_10K = 0.95
// The target: distractors may cost top-1 at most this much.
const MAX_TOP1_LOSS = 0.02
// The held-out queries (relevance.ts), measured at 93.3% top-1 and 97.2% recall@3 among 10,000
// (session 27): a regression guard, not the target, which they do not meet (README).
const MIN_HELD_OUT_RECALL_AMONG_10K = 0.95
const MIN_HELD_OUT_TOP1_AMONG_10K = 0.91

t.test('PostgreSQL: published after 10,000 generated FAQs, the relevance FAQs are still found', async (t) => {
  const { index } = await freshPostgresIndex(t)
  for (const batch of generate(10_000, 1_000)) await index.upsert(batch)
  // Published last: the newest rows, which storage-order candidate caps cut first.
  await index.upsert(relevanceDocuments())
  const { recall, top1 } = await measure(t, 'postgres, among 10,000 generated FAQs', index)
  t.ok(recall >= MIN_RECALL_AMONG_10K, `recall@3 >= ${MIN_RECALL_AMONG_10K * 100}%`)
  t.ok(top1 >= MIN_TOP1_AMONG_10K, `top-1 >= ${MIN_TOP1_AMONG_10K * 100}%`)

  const { index: alone } = await freshPostgresIndex(t)
  await alone.upsert(relevanceDocuments())
  const without = await measure(t, 'postgres, the same FAQs without distractors', alone)
  t.ok(top1 >= without.top1 - MAX_TOP1_LOSS, `top-1 among 10,000 within ${MAX_TOP1_LOSS * 100} points of ${(without.top1 * 100).toFixed(1)}% without distractors`)

  const queries = heldOutQueries()
  const heldOut = await measure(t, 'postgres, held-out queries among 10,000 generated FAQs', index, queries)
  const heldOutAlone = await measure(t, 'postgres, held-out queries without distractors', alone, queries)
  t.ok(heldOut.recall >= MIN_HELD_OUT_RECALL_AMONG_10K, `held-out recall@3 >= ${MIN_HELD_OUT_RECALL_AMONG_10K * 100}%`)
  t.ok(heldOut.top1 >= MIN_HELD_OUT_TOP1_AMONG_10K, `held-out top-1 >= ${MIN_HELD_OUT_TOP1_AMONG_10K * 100}%`)
  t.comment(`held-out top-1 loss among 10,000: ${((heldOutAlone.top1 - heldOut.top1) * 100).toFixed(1)} points (target ${MAX_TOP1_LOSS * 100}, not met: README, "Search")`)
})
