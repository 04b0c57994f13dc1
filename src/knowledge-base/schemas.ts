import { z } from 'zod'

const isoDate = z.iso.date().describe('A calendar date, YYYY-MM-DD')

export const Visibility = z.enum(['public', 'reserved']).describe('public: "area pubblica"; reserved: signed-in comune staff only ("area riservata")')

/** The moderator's confirmation of what patterns cannot catch. Every item must be true. */
export const PrivacyChecklist = z
  .object({
    thirdPartyNames: z.literal(true, { message: 'confirm that no third-party names remain' }),
    healthData: z.literal(true, { message: 'confirm that no health data remains' }),
    judicialData: z.literal(true, { message: 'confirm that no judicial data remains' }),
    otherIdentifyingDetails: z.literal(true, { message: 'confirm that no other identifying details remain' }),
  })
  .describe('All four confirmations are required to publish')

export const PrivacyOverride = z.object({
  reason: z.string().trim().min(10, 'explain in at least 10 characters why the findings may be published'),
})

const tags = z.array(z.string().trim().min(1).max(60)).max(20).default([])

export const FaqContent = z.object({
  title: z.string().trim().min(10).max(300),
  question: z.string().trim().min(10).max(20_000).describe('Markdown, made general and anonymous'),
  answer: z.string().trim().min(10).max(50_000).describe('Markdown'),
  theme: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{2,60}$/, 'a theme code (lowercase letters, digits and dashes)')
    .describe('Code of a programme edition theme: the same vocabulary as questions (GET /faq-themes)'),
  tags,
  scopeRegion: z.string().trim().min(2).max(60).nullable().default(null).describe('null: national; otherwise the only region it is valid for'),
  visibility: Visibility.default('public'),
  reviewBy: isoDate.nullable().default(null),
})

export const PublishFaqBody = FaqContent.extend({
  questionId: z.uuid().describe('The answered question this FAQ comes from'),
  checklist: PrivacyChecklist,
  privacyOverride: PrivacyOverride.optional().describe('Required when the privacy check has findings; recorded in the audit log'),
})

export const UpdateFaqBody = FaqContent.partial().extend({
  checklist: PrivacyChecklist,
  privacyOverride: PrivacyOverride.optional(),
  note: z.string().trim().max(500).optional().describe('What changed, kept in the revision history'),
  reviewed: z.boolean().default(false).describe('true clears the review flag: the answer was checked against the law in force'),
})

export const PrivacyCheckBody = z.object({
  questionId: z.uuid().optional().describe('Also look for the asking comune and person of this question'),
  title: z.string().max(300).default(''),
  question: z.string().max(20_000).default(''),
  answer: z.string().max(50_000).default(''),
})

export const PrivacyFinding = z.object({
  field: z.enum(['title', 'question', 'answer']),
  kind: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  message: z.string(),
})

export const PrivacyCheckResult = z.object({
  findings: z.array(PrivacyFinding),
  checklist: z.array(z.object({ id: z.string(), label: z.string() })),
})

export const LegalReferenceDto = z.object({
  key: z.string().describe('Normalised citation, e.g. "D.Lgs. 142/2015"'),
  label: z.string(),
  article: z.string().optional(),
  text: z.string().describe('As written in the answer'),
  links: z.object({
    inForce: z.url().optional().describe('Normattiva: the text in force today'),
    atAnswerDate: z.url().optional().describe('Normattiva: the text in force on the date of the answer'),
    eurLex: z.url().optional(),
  }),
})

export const FaqSummary = z.object({
  slug: z.string(),
  title: z.string(),
  snippet: z.string().describe('Start of the answer, or the matching passage with <mark>highlights</mark>'),
  theme: z.string().describe('Theme code'),
  themeLabel: z.string().describe('The theme in words'),
  tags: z.array(z.string()),
  publishedAt: z.string(),
  visibility: Visibility,
})

export const FaqDto = z.object({
  id: z.uuid(),
  slug: z.string(),
  url: z.string().describe('Stable public path of the FAQ page'),
  title: z.string(),
  question: z.string(),
  questionHtml: z.string(),
  answer: z.string(),
  answerHtml: z.string(),
  theme: z.string().describe('Theme code'),
  themeLabel: z.string().describe('The theme in words'),
  tags: z.array(z.string()),
  legalReferences: z.array(LegalReferenceDto),
  scope: z.string().describe('"nazionale" or the region it is valid for'),
  scopeRegion: z.string().nullable(),
  visibility: Visibility,
  origin: z.string().nullable().describe('Where the question came from, in terms that cannot identify the comune'),
  forumDayId: z.uuid().nullable(),
  state: z.enum(['published', 'unpublished']),
  publishedAt: z.string(),
  updatedAt: z.string(),
  answeredOn: isoDate.describe('The answer rests on the law in force on this date'),
  review: z.object({
    flagged: z.boolean(),
    reason: z.string().nullable(),
    reviewBy: isoDate.nullable(),
    lawAsOf: isoDate,
  }),
  questionsAnswered: z.number().int().describe('How many forum questions this FAQ answered (the original and its duplicates)'),
  version: z.number().int(),
  related: z.array(z.object({ slug: z.string(), title: z.string() })),
})

export const ThemeDto = z.object({ code: z.string(), label: z.string() })

export const FaqSearchQuery = z.object({
  q: z.string().trim().max(200).optional(),
  theme: z.string().max(200).optional().describe('Theme code'),
  tag: z.string().max(60).optional(),
  law: z.string().max(60).optional().describe('Normalised citation, e.g. "D.Lgs. 142/2015"'),
  year: z.coerce.number().int().min(1990).max(2100).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(10),
  suggest: z.literal('1').optional().describe('1: search-as-you-type (a prefix being typed); not counted in the search analytics'),
})

export const FaqSearchResult = z.object({
  hits: z.array(FaqSummary),
  total: z.number().int(),
  totalIsExact: z.boolean().describe('false when more FAQs matched than the engine counted: `total` is then a lower bound'),
  didYouMean: z.string().optional().describe('The query respelled where the engine corrected a misspelled word'),
  page: z.number().int(),
  pageSize: z.number().int(),
  themeLabels: z.record(z.string(), z.string()).describe('Every theme code in the vocabulary, with its label (the theme facet counts by code)'),
  facets: z.object({
    theme: z.record(z.string(), z.number()),
    tags: z.record(z.string(), z.number()),
    laws: z.record(z.string(), z.number()),
    year: z.record(z.string(), z.number()),
  }),
})

export const AmendmentBody = z.object({
  law: z.string().trim().min(3).max(60).describe('The act, as cited (e.g. "D.Lgs. 142/2015" or "decreto legislativo 18 agosto 2015, n. 142")'),
  amendedOn: isoDate,
  note: z.string().trim().min(3).max(1000),
})

export const AmendmentResult = z.object({
  id: z.uuid(),
  law: z.string(),
  flaggedFaqs: z.array(z.object({ slug: z.string(), title: z.string() })),
})

export const RevisionDto = z.object({
  version: z.number().int(),
  editedBy: z.uuid(),
  editedAt: z.string(),
  note: z.string().nullable(),
  snapshot: z.record(z.string(), z.unknown()),
})

export const SearchAnalytics = z.object({
  weeks: z.array(
    z.object({
      weekStart: isoDate,
      frequent: z.array(z.object({ query: z.string(), searches: z.number().int(), zeroResultSearches: z.number().int() })),
      zeroResults: z.array(z.object({ query: z.string(), searches: z.number().int(), zeroResultSearches: z.number().int() })),
    }),
  ),
})

export type FaqContent = z.infer<typeof FaqContent>
export type PublishFaqBody = z.infer<typeof PublishFaqBody>
export type UpdateFaqBody = z.infer<typeof UpdateFaqBody>
export type FaqDto = z.infer<typeof FaqDto>
export type FaqSearchQuery = z.infer<typeof FaqSearchQuery>
export type FaqSearchResult = z.infer<typeof FaqSearchResult>
export type PrivacyFinding = z.infer<typeof PrivacyFinding>
