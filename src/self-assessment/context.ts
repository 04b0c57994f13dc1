import type { Kysely } from 'kysely'
import type { Actor, UserActor } from '../accounts/actor.js'
import { isModerator, requireUser } from '../accounts/policy.js'
import type { Database } from '../db/database.js'
import type { OrganizationProfile } from '../forum-days/eligibility.js'
import type { EditionDto, ForumDayDto } from '../forum-days/schemas.js'
import type { FaqSearchQuery, FaqSearchResult } from '../knowledge-base/schemas.js'
import type { Clock } from '../shared/clock.js'
import { DomainError, forbidden, notFound } from '../shared/errors.js'
import * as repo from './repository.js'
import type { AssessmentRow, QuestionnaireRow } from './repository.js'
import type { AssessmentDto, QuestionnaireDto } from './schemas.js'
import { questionsOf } from './validation.js'

/** What the self-assessment needs from the other modules, through their services. */
export interface SelfAssessmentDeps {
  db: Kysely<Database>
  clock: Clock
  organizations: {
    getOrganization(id: string): Promise<OrganizationProfile>
    allProfiles(): Promise<OrganizationProfile[]>
  }
  forumDays: {
    getEdition(actor: Actor, id: string): Promise<EditionDto>
    eligibility(actor: Actor, editionId: string, organizationId: string): Promise<{ eligible: boolean; reason: string; detail: string }>
    list(actor: Actor, filter: { editionId?: string }): Promise<ForumDayDto[]>
  }
  faqs: { search(actor: Actor, query: FaqSearchQuery): Promise<FaqSearchResult> }
}

/** What the use cases share: the ports, the DTO mappers, and who may see an assessment. */
export function createSelfAssessmentContext(deps: SelfAssessmentDeps) {
  const { db } = deps

  function questionnaireDto(row: QuestionnaireRow, assessments: number): QuestionnaireDto {
    return {
      id: row.id,
      lineageId: row.lineageId,
      editionId: row.editionId,
      number: row.number,
      state: row.state,
      title: row.title,
      content: row.content,
      assessments,
      version: row.version,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      publishedAt: row.publishedAt?.toISOString() ?? null,
    }
  }

  async function questionnaireDtos(trx: Kysely<Database>, rows: QuestionnaireRow[]): Promise<QuestionnaireDto[]> {
    const counts = await repo.countAssessments(trx, rows.map((r) => r.id))
    return rows.map((r) => questionnaireDto(r, counts.get(r.id) ?? 0))
  }

  function assessmentDto(row: AssessmentRow, questionnaire: QuestionnaireRow): AssessmentDto {
    const codes = new Set(questionsOf(questionnaire.content).map((q) => q.code))
    return {
      id: row.id,
      questionnaireId: row.questionnaireId,
      questionnaireNumber: questionnaire.number,
      questionnaireTitle: questionnaire.title,
      lineageId: row.lineageId,
      editionId: row.editionId,
      organization: { id: row.organizationId, name: row.organizationName },
      sizeClass: row.sizeClass,
      state: row.state,
      answers: row.answers,
      progress: { answered: Object.keys(row.answers).filter((c) => codes.has(c)).length, total: codes.size },
      version: row.version,
      startedAt: row.startedAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      updatedBy: row.updatedByName,
      submittedAt: row.submittedAt?.toISOString() ?? null,
    }
  }

  /** Drafts are the secretariat's; published and superseded versions any signed-in person may read. */
  async function loadQuestionnaire(trx: Kysely<Database>, actor: UserActor, id: string, forUpdate = false): Promise<QuestionnaireRow> {
    const row = await repo.findQuestionnaire(trx, id, { forUpdate })
    if (!row || (row.state === 'draft' && !isModerator(actor))) throw notFound('Questionnaire', 'QUESTIONNAIRE_NOT_FOUND')
    return row
  }

  /** Individual results are the organization's own and the secretariat's: nobody else's, experts included. */
  function canSee(actor: UserActor, row: Pick<AssessmentRow, 'organizationId'>): boolean {
    return isModerator(actor) || (actor.role === 'staff' && actor.organizationId === row.organizationId)
  }

  async function loadAssessment(trx: Kysely<Database>, actor: Actor, id: string, forUpdate = false): Promise<{ user: UserActor; row: AssessmentRow; questionnaire: QuestionnaireRow }> {
    const user = requireUser(actor)
    const row = await repo.findAssessment(trx, id, { forUpdate })
    if (!row) throw notFound('Assessment', 'ASSESSMENT_NOT_FOUND')
    if (!canSee(user, row)) throw forbidden("Only the organization's own staff and the secretariat see its self-assessment", 'NOT_YOUR_ORGANIZATION')
    const questionnaire = await repo.findQuestionnaire(trx, row.questionnaireId)
    if (!questionnaire) throw notFound('Questionnaire', 'QUESTIONNAIRE_NOT_FOUND')
    return { user, row, questionnaire }
  }

  /** Only the organization's staff fill it in; the secretariat reads. */
  function requireOwnStaff(user: UserActor, row: AssessmentRow): void {
    if (user.role !== 'staff' || user.organizationId !== row.organizationId) {
      throw forbidden("Only the organization's own staff fill in its self-assessment", 'NOT_YOUR_ORGANIZATION')
    }
  }

  function requireInProgress(row: AssessmentRow): void {
    if (row.state !== 'in_progress') throw new DomainError('ASSESSMENT_SUBMITTED', 409, 'This self-assessment was submitted and can no longer change; start a new one', { state: row.state })
  }

  return { ...deps, db, questionnaireDto, questionnaireDtos, assessmentDto, loadQuestionnaire, canSee, loadAssessment, requireOwnStaff, requireInProgress }
}

export type SelfAssessmentContext = ReturnType<typeof createSelfAssessmentContext>
