import type { Actor } from '../accounts/actor.js'
import { isModerator, requireExpert, requireStaff, requireUser } from '../accounts/policy.js'
import { forbidden, notFound } from '../shared/errors.js'
import { DomainError } from '../shared/errors.js'
import { requireVersion, staleVersion } from '../shared/versions.js'
import { queueMail } from '../mail/outbox.js'
import { mailTemplates } from '../mail/templates.js'
import * as repo from './repository.js'
import type { QuestionDto } from './schemas.js'
import type { QuestionsContext } from './context.js'
import { invalidTransition } from './rules.js'
import { OPEN_STATES, fromStates } from './lifecycle.js'

type Draft = { questionId: string; markdown: string; version: number; updatedAt: string }

/** 412 for a save from a stale tab, carrying the newer draft so the page can show it instead of overwriting it. */
const staleDraft = (draft: Draft) =>
  new DomainError('STALE_VERSION', 412, `Your draft was saved elsewhere since (now at version ${draft.version}); the newer text is in "draft"`, {
    currentVersion: draft.version,
    draft,
  })

/** Answering: drafts, clarification requests and replies, the answer and its corrections, closing. */
export function answeringUseCases(ctx: QuestionsContext) {
  const { db, clock, forumDays, people, leaseMs, toDto, transition, releaseChanges, load, ensureVisible, tellOrganization, message, requireHolder } = ctx
  const draftDto = (d: { questionId: string; body: string; version: number; updatedAt: Date }): Draft => ({
    questionId: d.questionId,
    markdown: d.body,
    version: d.version,
    updatedAt: d.updatedAt.toISOString(),
  })

  return {
    /**
     * An answer as it will read once published (the same safe renderer as the public site), with
     * the legal references recognised in it and a link to each act, to put in the answer.
     */
    preview(actor: Actor, markdown: string): { html: string; legalReferences: Array<{ text: string; label: string; url: string | null }> } {
      requireExpert(actor)
      const found = ctx.deps.legalReferences?.(markdown) ?? []
      const unique = [...new Map(found.map((r) => [r.text, r])).values()]
      return { html: ctx.renderMarkdown(markdown), legalReferences: unique }
    },
    async getDraft(actor: Actor, id: string) {
      const user = requireExpert(actor)
      const q = await repo.findQuestion(db, id)
      await ensureVisible(db, user, q)
      const draft = await repo.findDraft(db, id, user.userId)
      if (!draft) throw notFound('Answer draft', 'DRAFT_NOT_FOUND')
      return draftDto(draft)
    },
    /**
     * Saves the caller's own draft. Never blocked by someone else's claim. If-Match is required
     * (428 without): "0" creates the first draft, the draft's ETag replaces it; anything else (a
     * stale tab, or "0" when a draft exists) is 412 with the newer draft, which is never overwritten.
     */
    async saveDraft(actor: Actor, id: string, markdown: string, ifMatch: number | undefined): Promise<Draft> {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        if (!OPEN_STATES.includes(q.state)) throw invalidTransition(q, 'draft_answer')
        const expected = requireVersion(ifMatch)
        const now = clock.now()
        const saved = await repo.saveDraft(trx, { questionId: id, expertId: user.userId, expertName: user.displayName, body: markdown, now }, expected)
        if (!saved) {
          const newer = await repo.findDraft(trx, id, user.userId)
          if (newer) throw staleDraft(draftDto(newer))
          // The draft went (the question was answered and it was cleared): start again from "0".
          throw new DomainError('STALE_VERSION', 412, 'There is no saved draft any more; save with If-Match "0"', { currentVersion: 0, draft: null })
        }
        return { questionId: id, markdown, version: saved.version, updatedAt: saved.updatedAt.toISOString() }
      })
    },
    /** The holder asks the organization; the question stays with them (no lease runs while the comune writes). */
    async requestClarification(actor: Actor, id: string, text: string): Promise<QuestionDto> {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        requireHolder(q, user, 'request_clarification')
        const messageId = await message(trx, q, user, 'clarification_request', text)
        const updated = await transition(trx, q, 'clarification_requested', user, { leaseExpiresAt: null }, { eventExtra: { messageId } })
        await tellOrganization(trx, q, `clarification:${messageId}`, (url) => mailTemplates.clarificationRequested({ title: q.title, url, expertName: user.displayName }))
        return toDto(updated)
      })
    },
    /**
     * The asking organization answers a clarification request. The question returns to the expert
     * who asked, with a fresh lease, an e-mail and the `question.replied` event their desk listens
     * to; if they do not take it up before the lease runs out it expires to the shared queue.
     */
    async reply(actor: Actor, id: string, text: string): Promise<QuestionDto> {
      const user = requireUser(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        requireStaff(user, "Only the asking organization's staff reply to a clarification request")
        if (!fromStates('replied').includes(q.state)) throw invalidTransition(q, 'reply')
        // Questions put on hold before the holder was kept: the expert who asked is the request's author.
        const asker = q.claimedBy ? undefined : await repo.lastMessageAuthor(trx, q.id, 'clarification_request')
        const holder = { id: q.claimedBy ?? asker?.authorId ?? null, name: q.claimedByName ?? asker?.authorName ?? null }
        const messageId = await message(trx, q, user, 'reply', text)
        const now = clock.now()
        // No author either (cannot happen for a request made here): the lease ends now, so the sweep returns it to the queue.
        const changes = holder.id
          ? { claimedBy: holder.id, claimedByName: holder.name, claimedAt: now, leaseExpiresAt: new Date(now.getTime() + leaseMs) }
          : { ...releaseChanges, leaseExpiresAt: now }
        const updated = await transition(trx, q, 'replied', user, changes, { eventExtra: { messageId } })
        const contact = holder.id ? await people.userContact(holder.id, { trx }) : undefined
        if (contact) {
          const url = `${new URL(ctx.deps.publicOrigin).origin}/coda/domande/${q.id}`
          await queueMail(trx, clock, [
            { dedupeKey: `replied:${messageId}:${contact.id}`, to: contact.email, message: mailTemplates.clarificationReplied({ title: q.title, url, leaseExpiresAt: updated.leaseExpiresAt ?? now }) },
          ])
        }
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
        const updated = await transition(trx, q, 'answered', user, {
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
        if (!fromStates('answer_edited').includes(q.state)) throw invalidTransition(q, 'edit_answer')
        if (!isModerator(user) && q.answeredBy !== user.userId) {
          throw forbidden('Only the expert who answered, or a moderator, can edit the answer', 'NOT_THE_ANSWERER')
        }
        if (q.version !== expected) throw staleVersion(q.version)
        const updated = await transition(trx, q, 'answer_edited', user, { answer: markdown })
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
        if (!fromStates('closed').includes(q.state)) throw invalidTransition(q, 'close')
        return toDto(await transition(trx, q, 'closed', user))
      })
    },
  }
}
