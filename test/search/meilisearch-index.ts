import { randomBytes } from 'node:crypto'
import type { Test } from 'tap'
import { MeilisearchSearchIndex } from '../../src/search/meilisearch-search-index.js'

/** A running Meilisearch to test against; without one its tests are skipped, never faked. */
export const MEILI_HOST = process.env.MEILI_HOST
export const MEILI_SKIP = MEILI_HOST ? false : 'MEILI_HOST not set: Meilisearch contract tests need a running server'

/** An index of the test's own on the configured server, deleted when the test ends. */
export async function freshMeilisearchIndex(t: Test, host = MEILI_HOST as string): Promise<MeilisearchSearchIndex> {
  const index = new MeilisearchSearchIndex({ host, apiKey: process.env.MEILI_MASTER_KEY, indexUid: `test_faqs_${randomBytes(6).toString('hex')}` })
  await index.applySettings()
  t.teardown(() => index.drop())
  return index
}
