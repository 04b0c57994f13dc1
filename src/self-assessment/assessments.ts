import type { Actor } from '../accounts/actor.js'
import { isModerator, requireStaff, requireUser } from '../accounts/policy.js'
import { DomainError, forbidden } from '../shared/errors.js'
import { requireVersion, staleVersion } from '../shared/versions.js'
import type { SelfAssessmentContext } from './context.js'
import * as repo from './repository.js'
import type { AnswerMap, AssessmentDto } from './schemas.js'
import { sizeClassOf } from './scoring.js'
import { answerProblems, unanswered } from './validation.js'

/**
 * The organization fills in: start (one assessment in progress per organization and
 * questionnaire, shared by its colleagues), save answers as it goes, submit. Every save names the
 * version it was made on: a save made on a version a colleague has since changed is refused with
 * 412, never merged over theirs.
 */
export function assessmentUseCases(ctx: SelfAssessmentContext) {
  const { db, clock, organizations, forumDays, assessmentDto, loadAssessment, requireOwnStaff, requireInProgress } = ctx

  return {
    /** Starts on the questionnaire's published version; 409 ASSESSMENT_IN_PROGRESS names the one already open. */
    async startAssessment(actor: Actor, questionnaireId: string): Promise<AssessmentDto> {
      const user = requireStaff(actor, 'Only the staff of a comune or Unione fill in a self-assessment')
      const questionnaire = await ctx.loadQuestionnaire(db, user, questionnaireId)
      if (questionnaire.state !== 'published') {
        throw new DomainError('QUESTIONNAIRE_NOT_PUBLISHED', 409, 'Only the published version of a questionnaire can be started', { state: questionnaire.state })
      }
      // Read before the transaction: these services use their own connections.
      const decision = await forumDays.eligibility(user, questionnaire.editionId, user.organizationId)
      if (!decision.eligible) throw forbidden(decision.detail, decision.reason)
      const org = await organizations.getOrganization(user.organizationId)
      return db.transaction().execute(async (trx) => {
        const row = await repo.insertAssessment(trx, {
          questionnaireId: questionnaire.id,
          lineageId: questionnaire.lineageId,
          editionId: questionnaire.editionId,
          organizationId: org.id,
          organizationName: org.name,
          sizeClass: sizeClassOf(org),
          region: org.region,
          population: org.population,
          startedBy: user.userId,
          startedByName: user.displayName,
          now: clock.now(),
        })
        if (!row) {
          const open = await repo.findInProgress(trx, org.id, questionnaire.lineageId)
          throw new DomainError('ASSESSMENT_IN_PROGRESS', 409, 'Your organization already has a self-assessment of this questionnaire in progress; continue that one', {
            assessmentId: open?.id,
          })
        }
        return assessmentDto(row, questionnaire)
      })
    },

    /** Staff see their organization's assessments; the secretariat any organization's. */
    async listAssessments(actor: Actor, filter: { organizationId?: string; editionId?: string }): Promise<AssessmentDto[]> {
      const user = requireUser(actor)
      let organizationId = filter.organizationId
      if (!isModerator(user)) {
        if (user.role !== 'staff' || !user.organizationId) throw forbidden("Only an organization's own staff and the secretariat see self-assessments", 'NOT_YOUR_ORGANIZATION')
        if (organizationId && organizationId !== user.organizationId) throw forbidden("Only the organization's own staff see its self-assessments", 'NOT_YOUR_ORGANIZATION')
        organizationId = user.organizationId
      }
      const rows = await repo.listAssessments(db, { organizationId, editionId: filter.editionId })
      const questionnaires = new Map<string, repo.QuestionnaireRow>()
      for (const id of new Set(rows.map((r) => r.questionnaireId))) {
        const q = await repo.findQuestionnaire(db, id)
        if (q) questionnaires.set(id, q)
      }
      return rows.flatMap((r) => {
        const q = questionnaires.get(r.questionnaireId)
        return q ? [assessmentDto(r, q)] : []
      })
    },

    async getAssessment(actor: Actor, id: string): Promise<AssessmentDto> {
      const { row, questionnaire } = await loadAssessment(db, actor, id)
      return assessmentDto(row, questionnaire)
    },

    /** Merges answers (null clears one) into the assessment, on the version named by If-Match. */
    async saveAnswers(actor: Actor, id: string, answers: Record<string, AnswerMap[string] | null>, expectedVersion: number | undefined): Promise<AssessmentDto> {
      return db.transaction().execute(async (trx) => {
        const { user, row, questionnaire } = await loadAssessment(trx, actor, id, true)
        requireOwnStaff(user, row)
        requireInProgress(row)
        const expected = requireVersion(expectedVersion, row.version)
        if (row.version !== expected) throw staleVersion(row.version)
        const problems = answerProblems(questionnaire.content, answers)
        if (problems.length > 0) throw new DomainError('ANSWER_INVALID', 422, problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems })
        const merged: AnswerMap = { ...row.answers }
        for (const [code, answer] of Object.entries(answers)) {
          if (answer === null) delete merged[code]
          else merged[code] = answer
        }
        const updated = await repo.updateAssessment(trx, id, expected, { answers: merged, updatedBy: user.userId, updatedByName: user.displayName, now: clock.now() })
        if (!updated) throw staleVersion(row.version + 1)
        return assessmentDto(updated, questionnaire)
      })
    },

    /** Every question answered (or "non applicabile"): the assessment becomes read-only and has a result. */
    async submitAssessment(actor: Actor, id: string, expectedVersion: number | undefined): Promise<AssessmentDto> {
      return db.transaction().execute(async (trx) => {
        const { user, row, questionnaire } = await loadAssessment(trx, actor, id, true)
        requireOwnStaff(user, row)
        requireInProgress(row)
        const expected = requireVersion(expectedVersion, row.version)
        if (row.version !== expected) throw staleVersion(row.version)
        const missing = unanswered(questionnaire.content, row.answers)
        if (missing.length > 0) {
          throw new DomainError('ASSESSMENT_INCOMPLETE', 422, `${missing.length} question(s) still without an answer: ${missing.join(', ')}`, { missing })
        }
        const updated = await repo.updateAssessment(trx, id, expected, { state: 'submitted', updatedBy: user.userId, updatedByName: user.displayName, now: clock.now() })
        if (!updated) throw staleVersion(row.version + 1)
        return assessmentDto(updated, questionnaire)
      })
    },
  }
}
