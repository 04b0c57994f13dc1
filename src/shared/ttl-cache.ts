/**
 * A read-through cache of promises for answers many requests ask for at once, kept for at most
 * `ttlMs` (measured on the monotonic clock, never the app's clock, which tests move at will).
 * Concurrent misses share one load; a load that began before `forget()` is not kept (a change
 * landed while it read), and a failed load is never kept. Keys usually come from requests: a
 * flood of distinct ones empties the cache instead of growing it past `maxKeys`.
 *
 * Used where a short staleness is worth the round trips at a peak: the forum-day list
 * (forum-days/context.ts) and search results (search/cached-search-index.ts).
 */
export function createTtlCache<T>(ttlMs: number, { maxKeys = 64 } = {}) {
  const entries = new Map<string, { loadedAt: number; value: Promise<T> }>()
  let generation = 0
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const now = performance.now()
      const hit = entries.get(key)
      if (hit && now - hit.loadedAt < ttlMs) return hit.value
      const began = generation
      const value = load()
      if (entries.size >= maxKeys) entries.clear()
      entries.set(key, { loadedAt: now, value })
      const drop = () => {
        if (entries.get(key)?.value === value) entries.delete(key)
      }
      value.then(() => began !== generation && drop(), drop)
      return value
    },
    forget(): void {
      generation++
      entries.clear()
    },
  }
}

export type TtlCache<T> = ReturnType<typeof createTtlCache<T>>
