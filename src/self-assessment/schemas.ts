import { z } from 'zod'

/**
 * The self-assessment's documents. A questionnaire version's `content` is one JSON document (what
 * moderators import and export); structure is checked here, the rules between its parts (levels,
 * scores in the scale, targets) in `validation.ts`, so a refusal can list every problem at once.
 */

/** Organization sizes the proposed models differ by (seed 002: comuni up to 5,000, Unioni; CO-AliZIONE: larger comuni). */
export const SIZE_CLASSES = ['comune_piccolo', 'unione', 'comune'] as const
export const SizeClass = z.enum(SIZE_CLASSES)
export type SizeClass = z.infer<typeof SizeClass>

const Code = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, up to 40')
const Text = (max: number) => z.string().trim().min(1).max(max)
const Labels = z.array(z.string().trim().min(1).max(80)).max(10).default([])

export const Level = z.object({
  score: z.number().int().min(-100).max(100),
  label: Text(300),
})

export const QuestionDef = z.object({
  code: Code,
  text: Text(500),
  help: z.string().trim().max(1000).optional(),
  levels: z.array(Level).max(10),
  /** Whether "non applicabile" may be chosen (e.g. a question on the SAI project of a comune without one). */
  notApplicable: z.boolean().default(false),
  /** Knowledge-base tags and themes whose FAQs address a gap on this question. */
  faqTags: Labels,
  faqThemes: Labels,
  /** Codes of the edition's forum-day themes that address it. */
  forumThemes: Labels,
})

export const Targets = z.object({ comune_piccolo: z.number(), unione: z.number(), comune: z.number() })

export const AreaDef = z.object({
  code: Code,
  title: Text(200),
  description: z.string().trim().max(2000).optional(),
  /** The level the proposed organizational model expects, by organization size. */
  targets: Targets,
  questions: z.array(QuestionDef).max(50),
})

export const QuestionnaireContent = z.object({
  title: Text(200),
  description: z.string().trim().max(4000).default(''),
  scale: z.object({ min: z.number().int().min(-100).max(100), max: z.number().int().min(-100).max(100) }),
  areas: z.array(AreaDef).max(20),
})
export type QuestionnaireContent = z.infer<typeof QuestionnaireContent>
export type AreaDef = z.infer<typeof AreaDef>
export type QuestionDef = z.infer<typeof QuestionDef>

/** The import/export format: the content and the edition it belongs to. */
export const QuestionnaireImport = QuestionnaireContent.extend({
  editionId: z.uuid(),
})

export const QuestionnaireDto = z.object({
  id: z.uuid(),
  lineageId: z.uuid().describe('Shared by every version of the same questionnaire'),
  editionId: z.uuid(),
  number: z.number().int().describe('Version number, from 1'),
  state: z.enum(['draft', 'published', 'superseded']),
  title: z.string(),
  content: QuestionnaireContent,
  assessments: z.number().int().describe('Assessments that answer this version (an edit then makes a new version)'),
  version: z.number().int().describe('ETag of this row, for If-Match'),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
})
export type QuestionnaireDto = z.infer<typeof QuestionnaireDto>

export const QuestionnaireListQuery = z.object({
  editionId: z.uuid().optional(),
  state: z.enum(['draft', 'published', 'superseded']).optional(),
})

/** A level's score, or "non applicabile". */
export const Answer = z.union([z.object({ score: z.number().int() }).strict(), z.object({ notApplicable: z.literal(true) }).strict()])
export type Answer = z.infer<typeof Answer>
export const AnswerMap = z.record(z.string(), Answer)
export type AnswerMap = z.infer<typeof AnswerMap>

export const StartBody = z.object({ questionnaireId: z.uuid() })
export const AnswersBody = z.object({
  answers: z.record(z.string().max(40), Answer.nullable()).describe('By question code: a level score, {"notApplicable": true}, or null to clear'),
})

export const AssessmentDto = z.object({
  id: z.uuid(),
  questionnaireId: z.uuid(),
  questionnaireNumber: z.number().int(),
  questionnaireTitle: z.string(),
  lineageId: z.uuid(),
  editionId: z.uuid(),
  organization: z.object({ id: z.uuid(), name: z.string() }),
  sizeClass: SizeClass,
  state: z.enum(['in_progress', 'submitted']),
  answers: AnswerMap,
  progress: z.object({ answered: z.number().int(), total: z.number().int() }),
  version: z.number().int(),
  startedAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable().describe('Who saved last'),
  submittedAt: z.string().nullable(),
})
export type AssessmentDto = z.infer<typeof AssessmentDto>

export const AssessmentListQuery = z.object({ organizationId: z.uuid().optional(), editionId: z.uuid().optional() })

export const POSITIONS = ['in_linea', 'da_rafforzare', 'da_costruire', 'non_valutabile'] as const
export const Position = z.enum(POSITIONS)
export type Position = z.infer<typeof Position>

export const AreaResultDto = z.object({
  code: z.string(),
  title: z.string(),
  score: z.number().nullable().describe('Mean score of the applicable answers; null when none applies'),
  target: z.number(),
  gap: z.number().nullable().describe('target - score when below the target, else 0'),
  position: Position,
  answered: z.number().int(),
  notApplicable: z.number().int(),
  gaps: z.array(z.object({ code: z.string(), text: z.string(), score: z.number(), label: z.string() })).describe('Questions answered below the target'),
  faqs: z.array(z.object({ slug: z.string(), title: z.string(), url: z.string() })),
  forumThemes: z.array(z.object({ code: z.string(), label: z.string() })),
})
export type AreaResultDto = z.infer<typeof AreaResultDto>

export const ResultDto = z.object({
  assessmentId: z.uuid(),
  questionnaire: z.object({ id: z.uuid(), number: z.number().int(), title: z.string(), state: z.string() }),
  organization: z.object({ id: z.uuid(), name: z.string() }),
  sizeClass: SizeClass,
  scale: z.object({ min: z.number(), max: z.number() }),
  submittedAt: z.string(),
  areas: z.array(AreaResultDto),
  previous: z
    .object({
      assessmentId: z.uuid(),
      submittedAt: z.string(),
      questionnaireNumber: z.number().int(),
      areas: z.array(z.object({ code: z.string(), score: z.number().nullable() })),
    })
    .nullable()
    .describe("The organization's earlier submitted assessment of the same questionnaire, to compare with"),
  forumDays: z.array(z.object({ id: z.uuid(), title: z.string(), opensAt: z.string(), state: z.string(), themes: z.array(z.string()) })),
})
export type ResultDto = z.infer<typeof ResultDto>

export const AggregatesQuery = z.object({ editionId: z.uuid() })
/** A count, or "< 5" when fewer than 5 organizations would be shown (so none can be singled out). */
const Suppressible = z.union([z.number().int(), z.literal('< 5')])
const Mean = z.number().nullable().describe('Null when suppressed (fewer than 5 organizations)')
export const AggregatesDto = z.object({
  editionId: z.uuid(),
  eligible: z.number().int(),
  started: Suppressible,
  submitted: Suppressible,
  areas: z.array(z.object({ code: z.string(), title: z.string() })),
  byRegion: z.array(z.object({ group: z.string(), organizations: Suppressible, means: z.record(z.string(), Mean) })),
  byPopulation: z.array(z.object({ group: z.string(), organizations: Suppressible, means: z.record(z.string(), Mean) })),
  gaps: z.array(z.object({ area: z.string(), question: z.string().nullable(), text: z.string(), organizations: Suppressible })),
})
export type AggregatesDto = z.infer<typeof AggregatesDto>
