import { createTtlCache } from '../shared/ttl-cache.js'
import type { FaqSearchDocument, SearchHit, SearchIndex, SearchQuery, SearchResult, SimilarOptions } from './search-index.js'

/**
 * A search engine whose answers are reused for `ttlMs`: at a forum day's peak many visitors ask
 * the same few things ("permesso di soggiorno"), and as-you-type search sends the same prefixes
 * ("perm", "perme"), while the knowledge base changes a few times a day. Writes through this
 * instance forget every cached answer before and after they run; writes from another instance
 * (or `npm run reindex`) show within `ttlMs`, next to the indexing delay the outbox already has.
 * The knowledge base still reads each hit's row from the database, so an unpublished FAQ is
 * never shown from the cache. Engine failures are not cached.
 */
export function cachedSearchIndex(index: SearchIndex, ttlMs: number): SearchIndex {
  if (ttlMs <= 0) return index
  const results = createTtlCache<SearchResult>(ttlMs, { maxKeys: 2_000 })
  const similar = createTtlCache<SearchHit[]>(ttlMs, { maxKeys: 2_000 })
  const forget = () => {
    results.forget()
    similar.forget()
  }
  const writing = async (write: () => Promise<void>) => {
    forget()
    try {
      await write()
    } finally {
      forget() // what was read while the write ran may be the old state
    }
  }
  return {
    kind: index.kind,
    applySettings: () => writing(() => index.applySettings()),
    upsert: (documents: FaqSearchDocument[]) => writing(() => index.upsert(documents)),
    remove: (ids: string[]) => writing(() => index.remove(ids)),
    search: (query: SearchQuery) => results.get(JSON.stringify(query), () => index.search(query)),
    similar: (text: string, options: SimilarOptions) => similar.get(JSON.stringify([text, options]), () => index.similar(text, options)),
    health: () => index.health(),
  }
}
