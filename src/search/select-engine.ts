import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import { MeilisearchSearchIndex } from './meilisearch-search-index.js'
import { PostgresSearchIndex } from './postgres-search-index.js'
import type { SearchIndex } from './search-index.js'

/** Meilisearch when MEILI_HOST is set, otherwise PostgreSQL full-text search on the app's database. */
export function selectSearchEngine(search: Config['search'], db: Kysely<Database>): SearchIndex {
  return search.meilisearch
    ? new MeilisearchSearchIndex({ host: search.meilisearch.host, apiKey: search.meilisearch.apiKey })
    : new PostgresSearchIndex(db)
}
