import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { MeilisearchSearchIndex } from '../search/meilisearch-search-index.js'
import { PostgresSearchIndex } from '../search/postgres-search-index.js'
import type { FaqSearchDocument, SearchIndex } from '../search/search-index.js'
import { sql } from 'kysely'
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
    // The outbox worker keeps writing to the live index during the build; those writes go with
    // the index the swap replaces, so the FAQs they concern are written again afterwards.
    const since = await lastOutboxId(db)
    await index.swapIn((writer) => fill(db, writer))
    await replayChangesSince(db, index, since, plainText)
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

async function lastOutboxId(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ id: number | null }>`select max(id)::float8 as id from search_outbox`.execute(db)
  return Number(rows[0]?.id ?? 0)
}

/** Writes the current state of every FAQ queued for indexing after `since` into the live index. */
async function replayChangesSince(db: Kysely<Database>, index: SearchIndex, since: number, plainText: (markdown: string) => string): Promise<void> {
  const { rows } = await sql<{ faqId: string }>`select distinct faq_id from search_outbox where id > ${since}`.execute(db)
  const ids = rows.map((r) => r.faqId)
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH)
    const published = (await findFaqsByIds(db, chunk)).filter((faq) => faq.state === 'published')
    const kept = new Set(published.map((faq) => faq.id))
    await index.upsert(published.map((faq) => toSearchDocument(faq, plainText)))
    await index.remove(chunk.filter((id) => !kept.has(id)))
  }
}
