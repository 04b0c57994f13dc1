import type { Kysely } from 'kysely'
import { requireModerator } from '../accounts/policy.js'
import type { Actor } from '../accounts/actor.js'
import type { Database } from '../db/database.js'
import { judgeEligibility } from '../forum-days/eligibility.js'
import { dayState } from '../forum-days/service.js'
import { romeDate } from '../i18n/format.js'
import { weekStart } from '../knowledge-base/rules.js'
import type { Clock } from '../shared/clock.js'
import { notFound } from '../shared/errors.js'
import { byPlace, dayFigures } from './day-figures.js'
import { bandLabel, POPULATION_BANDS } from './population-bands.js'
import { organizationsReached, REACH_DEFINITION, type SelfAssessmentReach } from './reach.js'
import { REGIONS } from './regions.js'
import * as repo from './repository.js'
import { hoursBetween, romeHourKey } from './rome-hours.js'
import type { EditionReport, ForumDayReport, KnowledgeBaseReport } from './schemas.js'
import { shareOf, suppress, type ShownCount } from './suppression.js'

export interface ReportsDeps {
  db: Kysely<Database>
  clock: Clock
  /** Who filled in an edition's self-assessment (counted as reached). */
  selfAssessment: SelfAssessmentReach
  /** Writes this instance's in-memory counters (searches, FAQ readings) before the knowledge base report reads them. */
  flushCounters?: () => Promise<unknown>
}

const DAY_MS = 86_400_000
const TOP = 20

const sortedBy = <T>(rows: T[], key: (row: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b), 'it'))

/**
 * The secretariat's reports: moderators (and admins) only. Each returns the figures with every
 * small count already suppressed ("< 5"), so the pages, the JSON and the CSV cannot differ on it.
 */
export function createReportsService({ db, clock, selfAssessment, flushCounters }: ReportsDeps) {
  /** Counts by place, with every region (or band) listed, suppressed by the organizations behind each cell. */
  const placeRows = (rows: Array<{ key: string; questions: number; organizations: number }>, keys: readonly string[], label: (key: string) => string) => {
    const byKey = new Map(rows.map((r) => [r.key, r]))
    const extra = rows.map((r) => r.key).filter((k) => !keys.includes(k))
    return [...keys, ...extra].map((key) => {
      const row = byKey.get(key)
      return { key, label: label(key), questions: suppress(row?.questions ?? 0, row?.organizations ?? 0), organizations: suppress(row?.organizations ?? 0) }
    })
  }

  return {
    /** Editions and their forum days, newest first: the reports' index. */
    async index(actor: Actor) {
      requireModerator(actor, 'Only the forum secretariat sees the reports')
      const { editions, days } = await repo.listEditionsAndDays(db)
      const now = clock.now()
      return editions.map((e) => ({
        id: e.id,
        name: e.name,
        programme: e.programme,
        days: days.filter((d) => d.editionId === e.id).map((d) => ({ id: d.id, title: d.title, opensAt: d.opensAt, rehearsal: d.rehearsal, state: dayState(d, now) })),
      }))
    },

    async forumDay(actor: Actor, id: string): Promise<ForumDayReport> {
      requireModerator(actor, 'Only the forum secretariat sees the reports')
      // One snapshot: every figure of the report comes from the same moment.
      return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
        const day = await repo.findDay(trx, id)
        if (!day) throw notFound('Forum day', 'FORUM_DAY_NOT_FOUND')
        const now = clock.now()
        const [rows, places, faqs] = await Promise.all([repo.dayQuestions(trx, id), repo.dayOrganizationPlaces(trx, id), repo.dayFaqs(trx, id)])
        const figures = dayFigures(rows, day.answerDeadline)
        const totals = figures.totals
        const placeOf = new Map(places.map((p) => [p.id, p]))
        const themeLabel = (code: string) => day.themes.find((t) => t.code === code)?.label ?? code
        const hours = hoursBetween(day.opensAt, day.closesAt)
        // Questions reach the day only inside its window; any outside it (a clock fix) join the nearest hour.
        const windowKeys = hours.map(romeHourKey)
        const perHourRows = windowKeys.map((hour) => ({ hour, questions: figures.perHour.get(hour) ?? 0 }))
        for (const [hour, questions] of figures.perHour) {
          if (windowKeys.includes(hour) || perHourRows.length === 0) continue
          const target = hour < windowKeys[0]! ? perHourRows[0]! : perHourRows.at(-1)!
          target.questions += questions
        }

        // Backlog: cumulative at the end of each hour of the window, then where things stand now (or at the answer deadline).
        const backlog: ForumDayReport['backlog'] = []
        const upTo = (counts: Map<string, number>, key: string | undefined) => {
          let n = 0
          for (const [hour, c] of counts) if (key === undefined || hour <= key) n += c
          return n
        }
        const at = (key: string | undefined) => ({ received: upTo(figures.flow.received, key), claimed: upTo(figures.flow.claimed, key), answered: upTo(figures.flow.answered, key) })
        for (const [i, h] of hours.entries()) {
          const end = new Date(Math.min(h.getTime() + 3_600_000, day.closesAt.getTime()))
          if (end > now) break
          backlog.push({ at: end.toISOString(), label: 'hour', ...at(windowKeys[i]) })
        }
        if (now > day.opensAt) {
          const last = now < day.answerDeadline ? now : day.answerDeadline
          backlog.push({ at: last.toISOString(), label: now < day.answerDeadline ? 'now' : 'deadline', ...at(undefined) })
        }
        const regions = byPlace(rows, (org) => placeOf.get(org)?.region ?? '')
        const bands = byPlace(rows, (org) => placeOf.get(org)?.band ?? 'non-nota')

        return {
          generatedAt: now.toISOString(),
          forumDay: {
            id: day.id,
            title: day.title,
            editionId: day.editionId,
            editionName: day.editionName,
            opensAt: day.opensAt.toISOString(),
            closesAt: day.closesAt.toISOString(),
            answerDeadline: day.answerDeadline.toISOString(),
            state: dayState(day, now),
            rehearsal: day.rehearsal,
          },
          totals: {
            ...totals,
            organizations: suppress(totals.organizations),
            savedExpertHours: totals.duplicates,
            faqsPublished: faqs.length,
          },
          timings: figures.timings,
          perHour: perHourRows,
          backlog,
          byTheme: figures.themes.map((t) => ({ theme: t.theme, label: themeLabel(t.theme), questions: t.questions })),
          byRegion: placeRows(regions, REGIONS, (k) => k || 'Regione non nota'),
          byPopulationBand: placeRows(bands, POPULATION_BANDS.map((b) => b.code), bandLabel),
          answersPerExpert: figures.experts,
          faqs: faqs.map((f) => ({ slug: f.slug, title: f.title, publishedAt: f.publishedAt.toISOString() })),
        }
      })
    },

    async edition(actor: Actor, id: string): Promise<EditionReport> {
      requireModerator(actor, 'Only the forum secretariat sees the reports')
      return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
        const edition = await repo.findEdition(trx, id)
        if (!edition) throw notFound('Edition', 'EDITION_NOT_FOUND')
        const now = clock.now()
        const days = await repo.editionDays(trx, id)
        const counted = days.filter((d) => !d.rehearsal && !d.cancelledAt).map((d) => d.id)
        const [organizations, enrolled, reached, participation, themes, months] = await Promise.all([
          repo.organizationPlaces(trx),
          repo.enrolledOrganizations(trx, id),
          organizationsReached(trx, selfAssessment, { id, countedDayIds: counted }),
          repo.participationPerDay(trx, days.map((d) => d.id)),
          repo.themesAsked(trx, counted),
          repo.faqsPerMonth(trx, counted),
        ])

        // Eligibility by the edition's own rule (the same pure function the forum days module decides with).
        type Tally = { eligible: number; reached: number; region: string }
        const tallies = { region: new Map<string, Tally>(), province: new Map<string, Tally>(), band: new Map<string, Tally>() }
        const total = { eligible: 0, reached: 0 }
        for (const org of organizations) {
          const eligible = judgeEligibility(edition.eligibility, org, enrolled.has(org.id)).eligible
          const wasReached = reached.has(org.id)
          if (!eligible && !wasReached) continue
          total.eligible += eligible ? 1 : 0
          total.reached += wasReached ? 1 : 0
          const keys = { region: org.region ?? '', province: org.province ?? '', band: org.band }
          for (const by of ['region', 'province', 'band'] as const) {
            const tally = tallies[by].get(keys[by]) ?? { eligible: 0, reached: 0, region: org.region ?? '' }
            tally.eligible += eligible ? 1 : 0
            tally.reached += wasReached ? 1 : 0
            tallies[by].set(keys[by], tally)
          }
        }
        const reachRow = (key: string, label: string, tally: Tally | undefined) => {
          const eligible: ShownCount = suppress(tally?.eligible ?? 0)
          const reachedCount: ShownCount = suppress(tally?.reached ?? 0)
          return { key, label, eligible, reached: reachedCount, share: shareOf(reachedCount, eligible) }
        }
        const regionKeys = [...REGIONS, ...[...tallies.region.keys()].filter((k) => !REGIONS.includes(k))]
        const themeLabel = (code: string) => edition.themes.find((t) => t.code === code)?.label ?? code
        const perDay = new Map(participation.map((p) => [p.forumDayId, p]))
        let cumulative = 0
        const eligibleTotal = suppress(total.eligible)
        const reachedTotal = suppress(total.reached)

        return {
          generatedAt: now.toISOString(),
          edition: { id: edition.id, programme: edition.programme, name: edition.name, registryDate: edition.registryDate },
          reach: { eligible: eligibleTotal, reached: reachedTotal, share: shareOf(reachedTotal, eligibleTotal), definition: REACH_DEFINITION },
          byRegion: regionKeys.map((k) => reachRow(k, k || 'Regione non nota', tallies.region.get(k))),
          byProvince: sortedBy([...tallies.province.entries()], ([k]) => k).map(([k, tally]) => ({ ...reachRow(k, k || 'Provincia non nota', tally), region: tally.region })),
          byPopulationBand: POPULATION_BANDS.map((b) => reachRow(b.code, b.label, tallies.band.get(b.code))),
          forumDays: days.map((d) => ({
            id: d.id,
            title: d.title,
            opensAt: d.opensAt.toISOString(),
            state: dayState(d, now),
            rehearsal: d.rehearsal,
            questions: perDay.get(d.id)?.questions ?? 0,
            organizations: suppress(perDay.get(d.id)?.organizations ?? 0),
          })),
          themes: themes.map((t) => ({ theme: t.theme, label: themeLabel(t.theme), questions: t.questions })),
          knowledgeBase: months.map((m) => {
            cumulative += m.published
            return { month: m.month, published: m.published, total: cumulative, fromEdition: m.fromDays }
          }),
        }
      })
    },

    async knowledgeBase(actor: Actor, weeks: number): Promise<KnowledgeBaseReport> {
      requireModerator(actor, 'Only the forum secretariat sees the reports')
      const now = clock.now()
      const fromWeek = weekStart(new Date(now.getTime() - (weeks - 1) * 7 * DAY_MS))
      const fromDay = romeDate(new Date(now.getTime() - weeks * 7 * DAY_MS))
      // Counts still in memory elsewhere are at most one flush interval old; ours are written now.
      await flushCounters?.().catch(() => undefined)
      return db.transaction().execute(async (trx) => {
        const [top, zero, totals, read, flagged, published] = await Promise.all([
          repo.topQueries(trx, fromWeek, 'searches', TOP),
          repo.topQueries(trx, fromWeek, 'zero_result_searches', TOP),
          repo.searchTotals(trx, fromWeek),
          repo.mostReadFaqs(trx, fromDay, TOP),
          repo.flaggedFaqs(trx),
          repo.publishedFaqCount(trx),
        ])
        const queries = (rows: Array<{ query: string; searches: number }>) => rows.map((r) => ({ query: r.query, searches: suppress(r.searches) }))
        return {
          generatedAt: now.toISOString(),
          period: { weeks, fromWeek, fromDay },
          publishedFaqs: published,
          searches: suppress(totals.searches),
          zeroResultSearches: suppress(totals.zeroResultSearches),
          topSearches: queries(top),
          zeroResults: queries(zero),
          mostRead: read.map((r) => ({ slug: r.slug, title: r.title, views: suppress(r.views) })),
          flaggedForReview: flagged.map((f) => ({ slug: f.slug, title: f.title, flaggedAt: (f.reviewFlaggedAt as Date).toISOString(), reason: f.reviewReason ?? '' })),
        }
      })
    },
  }
}

export type ReportsService = ReturnType<typeof createReportsService>
