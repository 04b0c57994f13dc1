import type { Audience } from '../events/event-log.js'
import { DomainError } from '../shared/errors.js'
import type { EditionRow, ForumDayRow } from './repository.js'
import { fromRomeLocal, toRomeLocal } from './rome-time.js'
import type { ForumDayDto } from './schemas.js'

export type ForumDayState = ForumDayDto['state']

/** Open from `opensAt` (inclusive) to `closesAt` (exclusive), by the server clock. */
export function dayState(day: Pick<ForumDayRow, 'opensAt' | 'closesAt' | 'cancelledAt'>, now: Date): ForumDayState {
  if (day.cancelledAt) return 'cancelled'
  if (now < day.opensAt) return 'upcoming'
  if (now < day.closesAt) return 'open'
  return 'closed'
}

export const windowOf = (day: Pick<ForumDayRow, 'opensAt' | 'closesAt'>) => ({
  opensAt: day.opensAt.toISOString(),
  closesAt: day.closesAt.toISOString(),
  opensAtLocal: toRomeLocal(day.opensAt),
  closesAtLocal: toRomeLocal(day.closesAt),
})

/** An instant with an offset, or a Europe/Rome wall-clock time; 422 for one skipped by DST. */
export function parseInstant(value: string, field: string): Date {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value)
  const instant = hasOffset ? new Date(value) : fromRomeLocal(value)
  if (!instant || Number.isNaN(instant.getTime())) {
    throw new DomainError('NONEXISTENT_LOCAL_TIME', 422, `${field}: ${value} does not exist in Europe/Rome (skipped by the change to summer time)`, { field })
  }
  return instant
}

export function checkWindow(opensAt: Date, closesAt: Date, answerDeadline: Date): void {
  if (!(opensAt < closesAt)) throw new DomainError('INVALID_WINDOW', 422, 'The forum day must open before it closes', { field: 'closesAt' })
  if (answerDeadline < closesAt) {
    throw new DomainError('INVALID_WINDOW', 422, 'The answer deadline cannot come before the closing', { field: 'answerDeadline' })
  }
}

export function checkThemes(edition: EditionRow, themes: string[]): void {
  const known = new Set(edition.themes.map((t) => t.code))
  const unknown = themes.filter((t) => !known.has(t))
  if (unknown.length > 0) {
    throw new DomainError('UNKNOWN_THEME', 422, `Not themes of ${edition.name}: ${unknown.join(', ')}`, { unknown, themes: [...known] })
  }
}

/** Theme codes of an edition are unique. */
export function checkUniqueThemes(themes: Array<{ code: string }>): Set<string> {
  const codes = new Set(themes.map((t) => t.code))
  if (codes.size !== themes.length) throw new DomainError('DUPLICATE_THEME', 422, 'Theme codes must be unique')
  return codes
}

/** Rehearsals are not announced to the public. */
export const dayAudience = (day: Pick<ForumDayRow, 'rehearsal'>): Audience[] => (day.rehearsal ? [{ kind: 'experts' }] : [{ kind: 'public' }])
