import t from 'tap'
import { byPlace, dayFigures, percentile } from '../../src/reports/day-figures.js'
import type { DayQuestionRow } from '../../src/reports/repository.js'
import { hoursBetween, romeHourKey } from '../../src/reports/rome-hours.js'
import { shareOf, suppress } from '../../src/reports/suppression.js'

const at = (iso: string) => new Date(iso)
const row = (overrides: Partial<DayQuestionRow>): DayQuestionRow => ({
  organizationId: 'a',
  theme: 'anagrafe',
  state: 'submitted',
  submittedAt: at('2026-03-02T09:10:00Z'),
  answeredAt: null,
  answeredByName: null,
  claimedAt: null,
  clarificationRequests: 0,
  replies: 0,
  ...overrides,
})

t.test('median and 90th percentile interpolate between ranks, as PostgreSQL percentile_cont', async (t) => {
  t.equal(percentile([], 0.5), null)
  t.equal(percentile([10], 0.9), 10)
  t.equal(percentile([10, 20, 30, 40], 0.5), 25)
  t.equal(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9), 91)
})

t.test('a day’s figures: answers within the deadline, waiting questions, time to claim and to answer, per expert', async (t) => {
  const deadline = at('2026-03-03T17:00:00Z')
  const f = dayFigures(
    [
      row({ organizationId: 'a', state: 'answered', claimedAt: at('2026-03-02T09:20:00Z'), answeredAt: at('2026-03-02T09:40:00Z'), answeredByName: 'Rossi' }),
      row({ organizationId: 'b', state: 'closed', claimedAt: at('2026-03-02T09:30:00Z'), answeredAt: at('2026-03-04T09:10:00Z'), answeredByName: 'Bianchi', clarificationRequests: 1, replies: 1 }),
      row({ organizationId: 'b', state: 'awaiting_clarification', clarificationRequests: 2, replies: 1 }),
      row({ organizationId: 'c', state: 'duplicate', theme: 'accoglienza' }),
      row({ organizationId: 'c', state: 'withdrawn', submittedAt: at('2026-03-02T10:05:00Z') }),
    ],
    deadline,
  )
  t.match(f.totals, { questions: 5, organizations: 3, answered: 2, answeredWithinDeadline: 1, answeredLate: 1, waiting: 1, duplicates: 1, withdrawn: 1, clarificationRequests: 3, clarificationReplies: 2, questionsWithClarification: 2 })
  t.same(f.timings, { claimMedian: 15, claimP90: 19, answerMedian: 1455, answerP90: 2595 })
  t.same(f.experts, [{ expert: 'Bianchi', answers: 1 }, { expert: 'Rossi', answers: 1 }])
  t.same([...f.perHour.entries()], [['2026-03-02T10', 4], ['2026-03-02T11', 1]], 'hours in Rome (UTC+1 in March)')
  t.same(byPlace([row({ organizationId: 'a' }), row({ organizationId: 'a' }), row({ organizationId: 'b' })], () => 'Piemonte'), [{ key: 'Piemonte', questions: 3, organizations: 2 }])
})

t.test('Rome hours follow daylight saving time; a window is cut into its hours', async (t) => {
  t.equal(romeHourKey(at('2026-03-29T00:30:00Z')), '2026-03-29T01')
  t.equal(romeHourKey(at('2026-03-29T01:30:00Z')), '2026-03-29T03', 'the hour that does not exist in Rome is skipped')
  t.equal(hoursBetween(at('2026-03-02T08:30:00Z'), at('2026-03-02T11:00:00Z')).length, 3)
})

t.test('counts under 5 are shown as "< 5", and a share of a suppressed count is not given', async (t) => {
  t.equal(suppress(0), '< 5')
  t.equal(suppress(4), '< 5')
  t.equal(suppress(5), 5)
  t.equal(suppress(12, 3), '< 5', 'twelve questions from three organizations')
  t.equal(shareOf(5, 10), 50)
  t.equal(shareOf('< 5', 10), null)
  t.equal(shareOf(5, 0), null)
})
