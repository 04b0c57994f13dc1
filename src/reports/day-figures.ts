import type { DayQuestionRow } from './repository.js'
import { romeHourKey } from './rome-hours.js'

/**
 * A forum day's figures counted from its questions (pure: the repository reads, this counts).
 * Kept apart so each figure's definition is in one place and can be read, and tested, alone.
 */

const WAITING = new Set(['submitted', 'claimed', 'awaiting_clarification'])
const MINUTE = 60_000

/** Linear interpolation between the closest ranks, as PostgreSQL's percentile_cont. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null
  const position = p * (sorted.length - 1)
  const lower = Math.floor(position)
  const upper = Math.ceil(position)
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower)
}

const minutes = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10)

function durations(rows: DayQuestionRow[], end: (row: DayQuestionRow) => Date | null) {
  const values = rows.flatMap((r) => {
    const at = end(r)
    return at ? [(at.getTime() - r.submittedAt.getTime()) / MINUTE] : []
  })
  values.sort((a, b) => a - b)
  return { median: minutes(percentile(values, 0.5)), p90: minutes(percentile(values, 0.9)) }
}

const countBy = <K>(items: K[]) => {
  const counts = new Map<K, number>()
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1)
  return counts
}

export function dayFigures(rows: DayQuestionRow[], answerDeadline: Date) {
  const answered = rows.filter((r) => r.answeredAt !== null)
  const claim = durations(rows, (r) => r.claimedAt)
  const answer = durations(rows, (r) => r.answeredAt)
  const experts = [...countBy(answered.map((r) => r.answeredByName ?? '')).entries()]
    .map(([expert, answers]) => ({ expert, answers }))
    .sort((a, b) => b.answers - a.answers || a.expert.localeCompare(b.expert, 'it'))
  const themes = [...countBy(rows.map((r) => r.theme)).entries()].map(([theme, questions]) => ({ theme, questions })).sort((a, b) => b.questions - a.questions || a.theme.localeCompare(b.theme))
  return {
    totals: {
      questions: rows.length,
      organizations: new Set(rows.map((r) => r.organizationId)).size,
      answered: answered.length,
      answeredWithinDeadline: answered.filter((r) => r.answeredAt! <= answerDeadline).length,
      answeredLate: answered.filter((r) => r.answeredAt! > answerDeadline).length,
      waiting: rows.filter((r) => WAITING.has(r.state)).length,
      withdrawn: rows.filter((r) => r.state === 'withdrawn').length,
      rejected: rows.filter((r) => r.state === 'rejected').length,
      duplicates: rows.filter((r) => r.state === 'duplicate').length,
      clarificationRequests: rows.reduce((n, r) => n + r.clarificationRequests, 0),
      clarificationReplies: rows.reduce((n, r) => n + r.replies, 0),
      questionsWithClarification: rows.filter((r) => r.clarificationRequests > 0).length,
    },
    timings: { claimMedian: claim.median, claimP90: claim.p90, answerMedian: answer.median, answerP90: answer.p90 },
    /** Questions per Rome hour of submission. */
    perHour: countBy(rows.map((r) => romeHourKey(r.submittedAt))),
    /** Per Rome hour: received, first claimed, answered (for the backlog). */
    flow: {
      received: countBy(rows.map((r) => romeHourKey(r.submittedAt))),
      claimed: countBy(rows.flatMap((r) => (r.claimedAt ? [romeHourKey(r.claimedAt)] : []))),
      answered: countBy(answered.map((r) => romeHourKey(r.answeredAt!))),
    },
    themes,
    experts,
  }
}

/** Questions and distinct organizations per place (region, band...) of the asking organization. */
export function byPlace(rows: DayQuestionRow[], placeOf: (organizationId: string) => string) {
  const tally = new Map<string, { questions: number; organizations: Set<string> }>()
  for (const r of rows) {
    const key = placeOf(r.organizationId)
    const t = tally.get(key) ?? { questions: 0, organizations: new Set<string>() }
    t.questions += 1
    t.organizations.add(r.organizationId)
    tally.set(key, t)
  }
  return [...tally.entries()].map(([key, t]) => ({ key, questions: t.questions, organizations: t.organizations.size }))
}
