import { z } from 'zod'

const OrgKind = z.enum(['comune', 'unione'])

export const EditionTheme = z.object({
  code: z.string().trim().regex(/^[a-z0-9-]{2,60}$/, 'lowercase letters, digits and dashes').describe('Stable theme code, e.g. "servizi-demografici"'),
  label: z.string().trim().min(3).max(200),
})

export const EligibilityRule = z
  .object({
    kinds: z.array(OrgKind).min(1).default(['comune', 'unione']),
    populationMin: z.number().int().min(0).nullable().optional(),
    populationMax: z.number().int().min(0).nullable().optional(),
    populationAppliesTo: z.array(OrgKind).default(['comune']).describe('Kinds the population range applies to'),
    regions: z.array(z.string().trim().min(2).max(60)).nullable().optional().describe('Regions covered; absent means all'),
    enrollment: z
      .enum(['not_needed', 'admits', 'required'])
      .default('not_needed')
      .describe('not_needed: the rule decides; admits: enrolled organizations are eligible anyway; required: only enrolled ones that pass the rule'),
  })
  .refine((r) => r.populationMin == null || r.populationMax == null || r.populationMin <= r.populationMax, {
    message: 'populationMin must not exceed populationMax',
    path: ['populationMin'],
  })
  .meta({ id: 'EligibilityRule' })

const day = z.iso.date().describe('YYYY-MM-DD')

export const NewEdition = z.object({
  programme: z.string().trim().min(3).max(200).describe('e.g. "Piano di Azione Piccoli Comuni"'),
  name: z.string().trim().min(3).max(200).describe('e.g. "Piano di Azione Piccoli Comuni 2015"'),
  themes: z.array(EditionTheme).min(1).max(30),
  eligibility: EligibilityRule,
  registryDate: day.describe('Date of the population registry the edition judges by'),
})

export const EditionPatch = NewEdition.partial().refine((p) => Object.keys(p).length > 0, 'nothing to change')

export const EditionDto = z
  .object({
    id: z.uuid(),
    programme: z.string(),
    name: z.string(),
    themes: z.array(EditionTheme),
    eligibility: EligibilityRule,
    registryDate: z.string(),
    enrolledOrganizationIds: z.array(z.uuid()),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ProgrammeEdition' })
export type EditionDto = z.infer<typeof EditionDto>

export const EligibilityDto = z
  .object({
    editionId: z.uuid(),
    organizationId: z.uuid(),
    eligible: z.boolean(),
    reason: z.string().describe('ELIGIBLE_BY_RULE, ELIGIBLE_ENROLLED, NOT_ENROLLED, NOT_ELIGIBLE_KIND, NOT_ELIGIBLE_REGION, NOT_ELIGIBLE_POPULATION, POPULATION_UNKNOWN'),
    detail: z.string(),
    registryDate: z.string(),
    decidedAt: z.iso.datetime(),
  })
  .meta({ id: 'EligibilityDecision' })

/** An instant with an explicit offset, or a Europe/Rome wall-clock time without one. */
const Instant = z
  .string()
  .refine((v) => z.iso.datetime({ offset: true }).safeParse(v).success || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v), {
    message: 'expected an ISO 8601 date-time, with an offset or as Europe/Rome local time',
  })
  .describe('ISO 8601 with offset (2026-03-02T09:00:00Z), or Italian local time without one (2026-03-02T10:00)')

export const NewForumDay = z.object({
  editionId: z.uuid(),
  title: z.string().trim().min(3).max(200),
  themes: z.array(z.string()).min(1).max(30).describe('Codes of edition themes in scope'),
  opensAt: Instant,
  closesAt: Instant,
  answerDeadline: Instant.describe('When every question should be answered; defaults to the closing instant').optional(),
  maxOpenQuestionsPerOrganization: z.number().int().min(1).max(1000).nullable().optional(),
  rehearsal: z.boolean().default(false).describe('A dry run whose questions can be wiped afterwards'),
})

export const ForumDayPatch = z
  .object({
    title: z.string().trim().min(3).max(200),
    themes: z.array(z.string()).min(1).max(30),
    opensAt: Instant,
    closesAt: Instant,
    answerDeadline: Instant,
    maxOpenQuestionsPerOrganization: z.number().int().min(1).max(1000).nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change')

export const CancelForumDay = z.object({ reason: z.string().trim().min(3).max(2000) })

export const FORUM_DAY_STATES = ['upcoming', 'open', 'closed', 'cancelled'] as const

const LocalInstant = z.object({ utc: z.iso.datetime(), rome: z.string().describe('Europe/Rome wall time with its offset') })

export const ForumDayDto = z
  .object({
    id: z.uuid(),
    editionId: z.uuid(),
    editionName: z.string(),
    title: z.string(),
    themes: z.array(EditionTheme),
    opensAt: z.iso.datetime(),
    closesAt: z.iso.datetime(),
    answerDeadline: z.iso.datetime(),
    local: z.object({ opensAt: LocalInstant.shape.rome, closesAt: LocalInstant.shape.rome, answerDeadline: LocalInstant.shape.rome, timeZone: z.literal('Europe/Rome') }),
    state: z.enum(FORUM_DAY_STATES),
    rehearsal: z.boolean(),
    maxOpenQuestionsPerOrganization: z.number().int().nullable(),
    cancelledAt: z.iso.datetime().nullable(),
    cancelReason: z.string().nullable(),
    counts: z.object({ questions: z.number().int(), answered: z.number().int(), open: z.number().int() }),
    version: z.number().int(),
  })
  .meta({ id: 'ForumDay' })
export type ForumDayDto = z.infer<typeof ForumDayDto>

export const ForumDayList = z.array(ForumDayDto)

export const ForumDayQuery = z.object({
  state: z.enum(FORUM_DAY_STATES).optional(),
  editionId: z.uuid().optional(),
})

export const EnrollmentParams = z.object({ id: z.uuid(), organizationId: z.uuid() })

export const WipeResult = z.object({ forumDayId: z.uuid(), questionsDeleted: z.number().int(), eventsDeleted: z.number().int() })
