/** The report fields that count organizations (or searches, readings): each must be "< 5" or at least 5. */
const COUNT_KEYS = new Set(['organizations', 'eligible', 'reached', 'searches', 'zeroResultSearches', 'views'])

/** Every value under one of those keys, anywhere in a report. */
export function everyShownCount(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) everyShownCount(v, found)
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (COUNT_KEYS.has(key) && (typeof v === 'number' || typeof v === 'string')) found.push(v)
      else everyShownCount(v, found)
    }
  }
  return found
}
