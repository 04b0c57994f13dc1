import type { Actor } from '../accounts/actor.js'
import { isModerator, requireModerator, requireUser } from '../accounts/policy.js'
import { DomainError } from '../shared/errors.js'
import { checkVersion } from '../shared/versions.js'
import type { SelfAssessmentContext } from './context.js'
import * as repo from './repository.js'
import type { QuestionnaireContent, QuestionnaireDto } from './schemas.js'
import type { QuestionnaireState } from './tables.js'
import { assertValidQuestionnaire } from './validation.js'

const notLatest = (latest: { id: string; number: number }) =>
  new DomainError('QUESTIONNAIRE_NOT_LATEST', 409, `Version ${latest.number} is the latest of this questionnaire: edit or publish that one`, {
    latestId: latest.id,
    latestNumber: latest.number,
  })

/**
 * The secretariat builds questionnaires: create (or import), edit, publish, export. A version that
 * an organization has answered is frozen: editing it makes the next version, a draft, so the
 * answers already given keep pointing at the text they answered.
 */
export function questionnaireUseCases(ctx: SelfAssessmentContext) {
  const { db, clock, forumDays, questionnaireDtos, loadQuestionnaire } = ctx
  const one = async (trx: typeof db, row: repo.QuestionnaireRow) => (await questionnaireDtos(trx, [row]))[0] as QuestionnaireDto

  return {
    async listQuestionnaires(actor: Actor, filter: { editionId?: string; state?: QuestionnaireState }): Promise<QuestionnaireDto[]> {
      const user = requireUser(actor)
      const visible: QuestionnaireState[] = isModerator(user) ? ['draft', 'published', 'superseded'] : ['published', 'superseded']
      const states = filter.state ? visible.filter((s) => s === filter.state) : visible
      return questionnaireDtos(db, await repo.listQuestionnaires(db, { editionId: filter.editionId, states }))
    },

    async getQuestionnaire(actor: Actor, id: string): Promise<QuestionnaireDto> {
      return one(db, await loadQuestionnaire(db, requireUser(actor), id))
    },

    /** A new questionnaire (version 1, a draft) from the import format. */
    async createQuestionnaire(actor: Actor, input: QuestionnaireContent & { editionId: string }): Promise<QuestionnaireDto> {
      const moderator = requireModerator(actor, 'Only the secretariat builds self-assessment questionnaires')
      const { editionId, ...content } = input
      assertValidQuestionnaire(content)
      await forumDays.getEdition(moderator, editionId) // 404 EDITION_NOT_FOUND
      return db.transaction().execute(async (trx) => {
        const row = await repo.insertQuestionnaire(trx, { editionId, number: 1, content, createdBy: moderator.userId, now: clock.now() })
        return one(trx, row)
      })
    },

    /**
     * Replaces the content of the latest version. Unanswered, it changes in place (200); answered
     * by any organization, the change becomes the next version, a draft (`created: true`, 201).
     */
    async updateQuestionnaire(actor: Actor, id: string, content: QuestionnaireContent, expectedVersion: number | undefined): Promise<{ questionnaire: QuestionnaireDto; created: boolean }> {
      const moderator = requireModerator(actor, 'Only the secretariat edits self-assessment questionnaires')
      assertValidQuestionnaire(content)
      return db.transaction().execute(async (trx) => {
        const found = await loadQuestionnaire(trx, moderator, id)
        // Read again under the lock: the version checked is the one changed.
        const versions = await repo.lockLineage(trx, found.lineageId)
        const current = versions.find((v) => v.id === id) ?? found
        const latest = versions[0]
        checkVersion(current.version, expectedVersion)
        if (!latest || latest.id !== current.id) throw notLatest(latest ?? current)
        const answered = (await repo.countAssessments(trx, [current.id])).get(current.id) ?? 0
        const now = clock.now()
        if (answered === 0) return { questionnaire: await one(trx, await repo.updateQuestionnaireContent(trx, current.id, content, now)), created: false }
        const next = await repo.insertQuestionnaire(trx, {
          lineageId: current.lineageId,
          editionId: current.editionId,
          number: current.number + 1,
          content,
          createdBy: moderator.userId,
          now,
        })
        return { questionnaire: await one(trx, next), created: true }
      })
    },

    /** Makes the latest version the one organizations answer from now on; the previous published one is superseded. */
    async publishQuestionnaire(actor: Actor, id: string, expectedVersion: number | undefined): Promise<QuestionnaireDto> {
      const moderator = requireModerator(actor, 'Only the secretariat publishes self-assessment questionnaires')
      return db.transaction().execute(async (trx) => {
        const found = await loadQuestionnaire(trx, moderator, id)
        const versions = await repo.lockLineage(trx, found.lineageId)
        const current = versions.find((v) => v.id === id) ?? found
        checkVersion(current.version, expectedVersion)
        const latest = versions[0]
        if (!latest || latest.id !== current.id) throw notLatest(latest ?? current)
        if (current.state === 'published') return one(trx, current)
        const now = clock.now()
        for (const v of versions) if (v.state === 'published') await repo.setQuestionnaireState(trx, v.id, 'superseded', now)
        return one(trx, await repo.setQuestionnaireState(trx, current.id, 'published', now))
      })
    },

    /** The import format of one version: what `createQuestionnaire` takes back. */
    async exportQuestionnaire(actor: Actor, id: string): Promise<QuestionnaireContent & { editionId: string }> {
      const row = await loadQuestionnaire(db, requireUser(actor), id)
      return { editionId: row.editionId, ...row.content }
    },
  }
}
