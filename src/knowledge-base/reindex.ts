import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { MeilisearchSearchIndex } from '../search/meilisearch-search-index.js'
import { PostgresSearchIndex } from '../search/postgres-search-index.js'
import type { FaqSearchDocument, SearchIndex } from '../search/search-index.js'
import { findFaqsByIds, listPublishedFaqIds } from './repository.js'
import { toSearchDocument } from './search-document.js'

const BATCH = 250

/**
 * Rebuilds a search index from the knowledge base. Searches never see a half-built index:
 * Meilisearch builds a new index and swaps it in; the PostgreSQL engine rebuilds inside one
 * transaction, which readers only see once it commits.
 */
export async function reindexAll(
  db: Kysely<Database>,
  index: SearchIndex,
  plainText: (markdown: string) => string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<number> {
  const ids = await listPublishedFaqIds(db)
  onProgress(0, ids.length)
  const fill = async (reader: Kysely<Database>, writer: { upsert(documents: FaqSearchDocument[]): Promise<void> }) => {
    for (let i = 0; i < ids.length; i += BATCH) {
      const faqs = await findFaqsByIds(reader, ids.slice(i, i + BATCH))
      await writer.upsert(faqs.filter((faq) => faq.state === 'published').map((faq) => toSearchDocument(faq, plainText)))
      onProgress(Math.min(i + BATCH, ids.length), ids.length)
    }
  }
  if (index instanceof MeilisearchSearchIndex) {
    await index.swapIn((writer) => fill(db, writer))
  } else if (index instanceof PostgresSearchIndex) {
    await db.transaction().execute(async (trx) => {
      const rebuilt = new PostgresSearchIndex(trx)
      await rebuilt.clear()
      await fill(trx, rebuilt)
    })
  } else {
    throw new Error(`no rebuild strategy for the ${index.kind} engine`)
  }
  return ids.length
}
