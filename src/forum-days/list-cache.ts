/**
 * The forum-day list at a peak: in the minutes a day opens, thousands of clerks load it at once,
 * and each read would cost the same two queries for the same answer. What the list is made of
 * (days, edition names, counters) is kept for at most `ttlMs` and forgotten at once when this
 * instance changes a day, an edition or a day's counters, again after that transaction commits
 * (a read in between would otherwise keep the old figures). Another instance's changes show within
 * `ttlMs`. The cache holds rows, not answers: each read computes the days' states from the clock,
 * so a day opens and closes on time whatever the cache holds.
 *
 * Concurrent misses share one load, and a load that began before a change is not kept.
 */
export function createListCache<T>(ttlMs: number, { maxKeys = 64 } = {}) {
  const entries = new Map<string, { loadedAt: number; value: Promise<T> }>()
  let generation = 0
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const now = performance.now()
      const hit = entries.get(key)
      if (hit && now - hit.loadedAt < ttlMs) return hit.value
      const began = generation
      const value = load()
      // Keys come from the query string: a flood of distinct ones empties the cache, never grows it.
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

export type ListCache<T> = ReturnType<typeof createListCache<T>>
