import type { Generated, GeneratedAlways, JSONColumnType } from 'kysely'

export const QUESTION_STATES = [
  'submitted',
  'claimed',
  'awaiting_clarification',
  'answered',
  'closed',
  'duplicate',
  'rejected',
  'withdrawn',
] as const
export type QuestionState = (typeof QUESTION_STATES)[number]

export interface QuestionsTable {
  id: Generated<string>
  forumDayId: string
  organizationId: string
  askedBy: string
  askerName: string
  title: string
  body: string
  theme: string
  state: QuestionState
  claimedBy: string | null
  claimedByName: string | null
  claimedAt: Date | null
  leaseExpiresAt: Date | null
  answer: string | null
  answeredBy: string | null
  answeredByName: string | null
  answeredAt: Date | null
  answeredLate: boolean | null
  duplicateOfFaq: string | null
  rejectionReason: string | null
  submittedAt: Date
  updatedAt: Date
  version: Generated<number>
}

export interface QuestionTransitionsTable {
  id: GeneratedAlways<number>
  questionId: string
  action: string
  fromState: QuestionState | null
  toState: QuestionState
  actorId: string | null
  actorRole: string | null
  note: string | null
  at: Date
}

export const MESSAGE_KINDS = ['question', 'clarification_request', 'reply', 'answer'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

export interface QuestionMessagesTable {
  id: Generated<string>
  seq: GeneratedAlways<number>
  questionId: string
  kind: MessageKind
  authorId: string | null
  authorName: string
  authorRole: string
  body: string
  createdAt: Date
}

export interface AnswerDraftsTable {
  questionId: string
  expertId: string
  expertName: string
  body: string
  version: Generated<number>
  updatedAt: Date
}

export interface IdempotencyKeysTable {
  userId: string
  key: string
  fingerprint: string
  status: number | null
  response: JSONColumnType<Record<string, unknown>> | null
  resourceId: string | null
  createdAt: Date
}
