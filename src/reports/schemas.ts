import { z } from 'zod'
import { SUPPRESSED } from './suppression.js'

/** A count of organizations (or of what they did), "< 5" when fewer than 5 organizations are behind it. */
export const ShownCount = z.union([z.number().int(), z.literal(SUPPRESSED)]).meta({ id: 'ReportCount', description: 'A count, or "< 5" when it would single out fewer than 5 organizations' })
const Minutes = z.number().nullable().describe('Minutes (one decimal); null when nothing to measure')
const Percent = z.number().nullable().describe('Percent (one decimal); null when suppressed or nothing to divide by')
const Instant = z.iso.datetime()

const PlaceRow = z.object({ key: z.string(), label: z.string(), questions: ShownCount, organizations: ShownCount })

export const ForumDayReport = z
  .object({
    generatedAt: Instant,
    forumDay: z.object({
      id: z.uuid(),
      title: z.string(),
      editionId: z.uuid(),
      editionName: z.string(),
      opensAt: Instant,
      closesAt: Instant,
      answerDeadline: Instant,
      state: z.enum(['upcoming', 'open', 'closed', 'cancelled']),
      rehearsal: z.boolean(),
    }),
    totals: z.object({
      questions: z.number().int(),
      organizations: ShownCount.describe('Organizations that asked on the day'),
      answered: z.number().int(),
      answeredWithinDeadline: z.number().int(),
      answeredLate: z.number().int(),
      waiting: z.number().int().describe('Submitted, claimed or awaiting a clarification'),
      withdrawn: z.number().int(),
      rejected: z.number().int(),
      duplicates: z.number().int().describe('Closed against a published FAQ'),
      savedExpertHours: z.number().int().describe('One expert hour per duplicate closed against an FAQ'),
      clarificationRequests: z.number().int(),
      clarificationReplies: z.number().int(),
      questionsWithClarification: z.number().int(),
      faqsPublished: z.number().int(),
    }),
    timings: z.object({ claimMedian: Minutes, claimP90: Minutes, answerMedian: Minutes, answerP90: Minutes }),
    perHour: z.array(z.object({ hour: z.string().describe('Rome local hour, YYYY-MM-DDTHH'), questions: z.number().int() })),
    backlog: z.array(
      z.object({ at: Instant, label: z.string(), received: z.number().int(), claimed: z.number().int(), answered: z.number().int() }).describe('Cumulative counts at the end of each hour'),
    ),
    byTheme: z.array(z.object({ theme: z.string(), label: z.string(), questions: z.number().int() })),
    byRegion: z.array(PlaceRow),
    byPopulationBand: z.array(PlaceRow),
    answersPerExpert: z.array(z.object({ expert: z.string(), answers: z.number().int() })),
    faqs: z.array(z.object({ slug: z.string(), title: z.string(), publishedAt: Instant })),
  })
  .meta({ id: 'ForumDayReport' })
export type ForumDayReport = z.infer<typeof ForumDayReport>

const ReachRow = z.object({ key: z.string(), label: z.string(), eligible: ShownCount, reached: ShownCount, share: Percent })

export const EditionReport = z
  .object({
    generatedAt: Instant,
    edition: z.object({ id: z.uuid(), programme: z.string(), name: z.string(), registryDate: z.string() }),
    reach: z.object({
      eligible: ShownCount,
      reached: ShownCount.describe('Organizations that asked at least once on a forum day of the edition (rehearsals excluded)'),
      share: Percent,
      definition: z.string(),
    }),
    byRegion: z.array(ReachRow),
    byProvince: z.array(ReachRow.extend({ region: z.string() })),
    byPopulationBand: z.array(ReachRow),
    forumDays: z.array(
      z.object({
        id: z.uuid(),
        title: z.string(),
        opensAt: Instant,
        state: z.enum(['upcoming', 'open', 'closed', 'cancelled']),
        rehearsal: z.boolean(),
        questions: z.number().int(),
        organizations: ShownCount,
      }),
    ),
    themes: z.array(z.object({ theme: z.string(), label: z.string(), questions: z.number().int() })),
    knowledgeBase: z.array(z.object({ month: z.string().describe('YYYY-MM'), published: z.number().int(), total: z.number().int(), fromEdition: z.number().int() })),
  })
  .meta({ id: 'EditionReport' })
export type EditionReport = z.infer<typeof EditionReport>

const QueryRow = z.object({ query: z.string(), searches: ShownCount })

export const KnowledgeBaseReport = z
  .object({
    generatedAt: Instant,
    period: z.object({ weeks: z.number().int(), fromWeek: z.string(), fromDay: z.string() }),
    publishedFaqs: z.number().int(),
    searches: ShownCount,
    zeroResultSearches: ShownCount,
    topSearches: z.array(QueryRow),
    zeroResults: z.array(QueryRow.describe('Searches that found nothing: the content gaps')),
    mostRead: z.array(z.object({ slug: z.string(), title: z.string(), views: ShownCount })),
    flaggedForReview: z.array(z.object({ slug: z.string(), title: z.string(), flaggedAt: Instant, reason: z.string() })),
  })
  .meta({ id: 'KnowledgeBaseReport' })
export type KnowledgeBaseReport = z.infer<typeof KnowledgeBaseReport>

export const KnowledgeBaseReportQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(104).default(12).describe('Weeks of searches and readings to count (default 12)'),
})
