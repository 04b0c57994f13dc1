import { z } from 'zod'
import { MESSAGE_KINDS, QUESTION_STATES } from './tables.js'
import { USER_ACTION_NAMES } from './lifecycle.js'

export const QuestionState = z.enum(QUESTION_STATES)

export const NewQuestion = z.object({
  title: z.string().trim().min(5).max(200),
  body: z.string().trim().min(10).max(10_000).describe('Plain text or Markdown'),
  theme: z.string().trim().min(2).max(60).describe("Code of one of the forum day's themes"),
})

export const QuestionEdit = NewQuestion.partial().refine((p) => Object.keys(p).length > 0, 'nothing to change')

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .describe('Required. A unique key per submission (IETF draft: retries with the same key and body replay the first response)'),
})

const Person = z.object({ id: z.uuid().nullable(), name: z.string() })

export const ClaimDto = z.object({
  expert: Person,
  claimedAt: z.iso.datetime(),
  leaseExpiresAt: z.iso.datetime().nullable().describe('Null while a clarification is awaited: the question stays with the expert who asked, with no lease running'),
})

export const QuestionDto = z
  .object({
    id: z.uuid(),
    forumDayId: z.uuid(),
    organizationId: z.uuid(),
    asker: Person,
    title: z.string(),
    body: z.string(),
    theme: z.string(),
    state: QuestionState,
    submittedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    claim: ClaimDto.nullable(),
    answer: z
      .object({
        markdown: z.string().describe('As written'),
        html: z.string().describe('Rendered safely: no script, no raw HTML'),
        answeredBy: Person,
        answeredAt: z.iso.datetime(),
        late: z.boolean().describe("Answered after the forum day's answer deadline"),
      })
      .nullable(),
    duplicateOfFaq: z.string().nullable().describe('Id or slug of the published FAQ that already answers it'),
    rejectionReason: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Question' })
export type QuestionDto = z.infer<typeof QuestionDto>

export const MessageDto = z.object({
  id: z.uuid(),
  kind: z.enum(MESSAGE_KINDS),
  author: Person.extend({ role: z.string() }),
  markdown: z.string(),
  html: z.string(),
  createdAt: z.iso.datetime(),
})

export const TransitionDto = z.object({
  action: z.string(),
  from: QuestionState.nullable(),
  to: QuestionState,
  actorId: z.uuid().nullable(),
  actorRole: z.string().nullable(),
  note: z.string().nullable(),
  at: z.iso.datetime(),
})

export const Activity = z
  .object({
    holder: Person.nullable().describe('The expert holding the claim'),
    drafting: z.array(Person.extend({ at: z.iso.datetime() })).describe('Experts who saved an answer draft recently: a hint, never a lock'),
  })
  .describe('Who is working on it (experts and moderators only)')

export const Actions = z
  .array(z.enum(USER_ACTION_NAMES))
  .describe('What the caller may do with the question now, from the lifecycle table (README "Question lifecycle"); the pages show exactly these buttons')

export const QuestionDetailDto = QuestionDto.extend({
  messages: z.array(MessageDto),
  transitions: z.array(TransitionDto),
  activity: Activity.nullable(),
  actions: Actions,
}).meta({ id: 'QuestionDetail' })
export type QuestionDetailDto = z.infer<typeof QuestionDetailDto>

export const QueueItemDto = QuestionDto.extend({
  forumDayTitle: z.string(),
  waitingSeconds: z.number().int().describe('Since submission'),
  answerDeadline: z.iso.datetime(),
  overdue: z.boolean(),
  activity: Activity,
  actions: Actions,
}).meta({ id: 'QueueItem' })
export type QueueItemDto = z.infer<typeof QueueItemDto>

export const DeskItemDto = QueueItemDto.extend({
  returned: z.boolean().describe('The comune replied to the clarification and the expert has not taken it up yet: it goes on top'),
}).meta({ id: 'DeskItem' })
export type DeskItemDto = z.infer<typeof DeskItemDto>

export const QueueQuery = z.object({
  forumDayId: z.uuid().optional(),
  theme: z.string().optional(),
  includeClaimed: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Also list claimed questions, with their holder'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export const ClaimNextBody = z
  .object({ forumDayId: z.uuid().optional(), theme: z.string().optional() })
  // Fastify validates a missing body as null.
  .nullish()
  .describe('Optional: no body (or {}) takes the oldest waiting question of any day and theme')

/** Region names as the ISTAT registry writes them ("Valle d'Aosta/Vallée d'Aoste", "Friuli-Venezia Giulia"). */
const RegionName = z
  .string()
  .trim()
  .min(2)
  .max(60)
  .regex(/^[\p{L}][\p{L}\p{M} '’/.-]*$/u, 'a region name')

export const QuestionListQuery = z.object({
  forumDayId: z.uuid().optional(),
  theme: z.string().max(60).optional(),
  state: QuestionState.optional(),
  organizationId: z.uuid().optional().describe('The asking organization (moderators only)'),
  region: RegionName.optional().describe("The asking organization's region; an Unione's is its member comuni's (moderators only)"),
  expertId: z.uuid().optional().describe('The expert holding the claim now, or who answered (moderators only)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0).describe('Matches to skip: a page is `limit` matches, newest first'),
})

export const SimilarBody = z.object({
  text: z.string().trim().min(5).max(10_000).describe('The draft: title and body'),
  limit: z.number().int().min(1).max(20).default(5),
})
export const SimilarResult = z.object({
  faqs: z.array(z.object({ slug: z.string(), title: z.string(), snippet: z.string() })).describe('Published FAQs (from the knowledge base, when available)'),
  questions: z.array(
    z.object({ id: z.uuid(), title: z.string(), state: QuestionState, forumDayId: z.uuid(), theme: z.string(), submittedAt: z.iso.datetime(), score: z.number() }),
  ),
})

export const MessageBody = z.object({ message: z.string().trim().min(2).max(10_000) })
export const AnswerBody = z.object({ markdown: z.string().trim().min(2).max(50_000).describe('Markdown, stored as written') })
export const DraftBody = z.object({ markdown: z.string().max(50_000) })
export const DraftDto = z.object({ questionId: z.uuid(), markdown: z.string(), version: z.number().int(), updatedAt: z.iso.datetime() })
export const PreviewBody = z.object({ markdown: z.string().max(50_000) })
export const PreviewDto = z.object({
  html: z.string().describe('Rendered by the same safe renderer as published answers and FAQs'),
  legalReferences: z
    .array(z.object({ text: z.string().describe('As written'), label: z.string(), url: z.string().nullable().describe('The act in force on Normattiva (or EUR-Lex), when known') }))
    .describe('Legal references recognised in the text, as the knowledge base recognises them when publishing'),
})
export const DuplicateBody = z.object({
  faq: z.string().trim().min(1).max(200).describe('Id or slug of the published FAQ'),
  note: z.string().trim().max(2000).optional(),
})
export const RejectBody = z.object({ reason: z.string().trim().min(5).max(2000).describe('Shown to the asker') })
export const ReassignBody = z.object({ expertId: z.uuid() })

export const DayParams = z.object({ id: z.uuid() })
export const SweepResult = z.object({ expired: z.number().int() })
