import type { Actor } from '../accounts/actor.js'
import { isModerator, requireExpert, requireStaff, requireUser } from '../accounts/policy.js'
import { forbidden, notFound } from '../shared/errors.js'
import { requireVersion, staleVersion } from '../shared/versions.js'
import { mailTemplates } from '../mail/templates.js'
import * as repo from './repository.js'
import type { QuestionDto } from './schemas.js'
import type { QuestionsContext } from './context.js'
import { invalidTransition } from './rules.js'

/** Answering: drafts, clarification requests and replies, the answer and its corrections, closing. */
export function answeringUseCases(ctx: QuestionsContext) {
  const { db, clock, forumDays, toDto, transition, releaseChanges, load, ensureVisible, tellOrganization, message, requireHolder } = ctx

  return {
    async getDraft(actor: Actor, id: string) {
      const user = requireExpert(actor)
      const q = await repo.findQuestion(db, id)
      await ensureVisible(db, user, q)
      const draft = await repo.findDraft(db, id, user.userId)
      if (!draft) throw notFound('Answer draft', 'DRAFT_NOT_FOUND')
      return { questionId: id, markdown: draft.body, version: draft.version, updatedAt: draft.updatedAt.toISOString() }
    },
    /** Saves the caller's own draft. Never blocked by someone else's claim; If-Match guards against a stale tab. */
    async saveDraft(actor: Actor, id: string, markdown: string, ifMatch: number | undefined) {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        if (!['submitted', 'claimed', 'awaiting_clarification'].includes(q.state)) throw invalidTransition(q, 'draft_answer')
        const now = clock.now()
        const saved = await repo.upsertDraft(trx, { questionId: id, expertId: user.userId, expertName: user.displayName, body: markdown, now }, requireVersion(ifMatch))
        if (!saved) throw staleVersion((await repo.findDraft(trx, id, user.userId))?.version ?? 0)
        return { questionId: id, markdown, version: saved.version, updatedAt: saved.updatedAt.toISOString() }
      })
    },
    async requestClarification(actor: Actor, id: string, text: string): Promise<QuestionDto> {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        requireHolder(q, user, 'request_clarification')
        const messageId = await message(trx, q, user, 'clarification_request', text)
        const updated = await transition(trx, q, 'clarification_requested', 'awaiting_clarification', user, releaseChanges, { eventExtra: { messageId } })
        await tellOrganization(trx, q, `clarification:${messageId}`, (url) => mailTemplates.clarificationRequested({ title: q.title, url, expertName: user.displayName }))
        return toDto(updated)
      })
    },
    /** The asking organization answers a clarification request; the question goes back to the queue. */
    async reply(actor: Actor, id: string, text: string): Promise<QuestionDto> {
      const user = requireUser(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        requireStaff(user, "Only the asking organization's staff reply to a clarification request")
        if (q.state !== 'awaiting_clarification') throw invalidTransition(q, 'reply')
        const messageId = await message(trx, q, user, 'reply', text)
        const updated = await transition(trx, q, 'replied', 'submitted', user, {}, { eventExtra: { messageId } })
        return toDto(updated)
      })
    },
    /** Only the claim holder answers. Late answers (after the day's answer deadline) are accepted and marked. */
    async answer(actor: Actor, id: string, markdown: string): Promise<QuestionDto> {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        requireHolder(q, user, 'answer')
        const now = clock.now()
        const day = await forumDays.findDay(trx, q.forumDayId)
        await message(trx, q, user, 'answer', markdown)
        const updated = await transition(trx, q, 'answered', 'answered', user, {
          ...releaseChanges,
          answer: markdown,
          answeredBy: user.userId,
          answeredByName: user.displayName,
          answeredAt: now,
          answeredLate: day ? now > day.answerDeadline : false,
        })
        await tellOrganization(trx, q, `answer:${q.id}`, (url) => mailTemplates.answerGiven({ title: q.title, url }))
        await repo.deleteDraft(trx, q.id, user.userId)
        await forumDays.publishCounters(trx, q.forumDayId)
        return toDto(updated)
      })
    },
    /** The answerer or a moderator corrects an answer; If-Match with the question's ETag is required. */
    async editAnswer(actor: Actor, id: string, markdown: string, ifMatch: number | undefined): Promise<QuestionDto> {
      const user = requireExpert(actor)
      const expected = requireVersion(ifMatch)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        if (q.state !== 'answered' && q.state !== 'closed') throw invalidTransition(q, 'edit_answer')
        if (!isModerator(user) && q.answeredBy !== user.userId) {
          throw forbidden('Only the expert who answered, or a moderator, can edit the answer', 'NOT_THE_ANSWERER')
        }
        if (q.version !== expected) throw staleVersion(q.version)
        const updated = await transition(trx, q, 'answer_edited', q.state, user, { answer: markdown })
        await repo.updateMessageBody(trx, q.id, 'answer', markdown)
        return toDto(updated)
      })
    },
    /** The asking organization (or a moderator) closes an answered question. */
    async close(actor: Actor, id: string): Promise<QuestionDto> {
      const user = requireUser(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        if (user.role === 'expert') throw forbidden("Only the asking organization's staff or a moderator close a question", 'NOT_ALLOWED')
        if (q.state !== 'answered') throw invalidTransition(q, 'close')
        return toDto(await transition(trx, q, 'closed', 'closed', user))
      })
    },
  }
}
