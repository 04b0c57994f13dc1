import type { Generated, JSONColumnType } from 'kysely'
import type { AnswerMap, QuestionnaireContent, SizeClass } from './schemas.js'

export const QUESTIONNAIRE_STATES = ['draft', 'published', 'superseded'] as const
export type QuestionnaireState = (typeof QUESTIONNAIRE_STATES)[number]
export const ASSESSMENT_STATES = ['in_progress', 'submitted'] as const
export type AssessmentState = (typeof ASSESSMENT_STATES)[number]

/** One version of a questionnaire; the versions of one questionnaire share `lineageId`. */
export interface SelfAssessmentQuestionnairesTable {
  id: Generated<string>
  lineageId: string
  editionId: string
  number: number
  title: string
  content: JSONColumnType<QuestionnaireContent>
  state: QuestionnaireState
  version: Generated<number>
  createdBy: string | null
  createdAt: Date
  updatedAt: Date
  publishedAt: Date | null
}

export interface SelfAssessmentsTable {
  id: Generated<string>
  questionnaireId: string
  lineageId: string
  editionId: string
  organizationId: string
  organizationName: string
  sizeClass: SizeClass
  region: string | null
  population: number | null
  state: AssessmentState
  answers: JSONColumnType<AnswerMap>
  version: Generated<number>
  startedBy: string | null
  startedAt: Date
  updatedBy: string | null
  updatedByName: string | null
  updatedAt: Date
  submittedBy: string | null
  submittedAt: Date | null
}
