/**
 * Small counts are suppressed: a cell that counts fewer than 5 organizations (or, in the
 * knowledge base report, fewer than 5 searches or readings) is shown as "< 5" in pages, JSON and
 * CSV alike, so that no comune can be singled out from a report that is shared or published.
 * Zero is suppressed too: the rule reads "fewer than 5", with no exception to argue about.
 */
export const SMALL_COUNT_THRESHOLD = 5
export const SUPPRESSED = '< 5' as const
export type Suppressed = typeof SUPPRESSED

/** A count as a report shows it: the number, or "< 5". */
export type ShownCount = number | Suppressed

export const isSuppressed = (value: unknown): value is Suppressed => value === SUPPRESSED

/** The count itself, or "< 5" when `organizations` (the distinct organizations behind it) is under the threshold. */
export function suppress(count: number, organizations: number = count): ShownCount {
  return organizations < SMALL_COUNT_THRESHOLD ? SUPPRESSED : count
}

/** A share in percent (one decimal) of two counts, or null when either is suppressed or there is nothing to divide by. */
export function shareOf(part: ShownCount, whole: ShownCount): number | null {
  if (isSuppressed(part) || isSuppressed(whole) || whole === 0) return null
  return Math.round((part / whole) * 1000) / 10
}
