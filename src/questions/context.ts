import type { Kysely } from 'kysely'
import type { UserActor } from '../accounts/actor.js'
import type { Database } from '../db/database.js'
import { appendEvent } from '../events/event-log.js'
import { DomainError, forbidden, notFound } from '../shared/errors.js'
import { queueMail } from '../mail/outbox.js'
import type { MailMessage } from '../mail/templates.js'
import * as repo from './repository.js'
import type { QuestionChanges, QuestionRow } from './repository.js'
import type { QuestionDto } from './schemas.js'
import type { MessageKind } from './tables.js'
import type { QuestionsDeps } from './ports.js'
import { visibilityOf, invalidTransition, holderOf } from './rules.js'
import { actionsFor, targetOf, type LifecycleAction } from './lifecycle.js'
import { questionEvent } from './question-events.js'

/** What the use cases share: the ports, settings in the units they are used in, and the steps several take. */
export function createQuestionsContext(deps: QuestionsDeps) {
  const { db, clock, forumDays, people, renderMarkdown } = deps
  const leaseMs = deps.leaseMinutes * 60_000
  const activityMs = (deps.activityMinutes ?? 10) * 60_000

  function toDto(q: QuestionRow): QuestionDto {
    return {
      id: q.id,
      forumDayId: q.forumDayId,
      organizationId: q.organizationId,
      asker: { id: q.askedBy, name: q.askerName },
      title: q.title,
      body: q.body,
      theme: q.theme,
      state: q.state,
      submittedAt: q.submittedAt.toISOString(),
      updatedAt: q.updatedAt.toISOString(),
      claim:
        (q.state === 'claimed' || q.state === 'awaiting_clarification') && q.claimedBy && q.claimedAt
          ? { expert: holderOf(q), claimedAt: q.claimedAt.toISOString(), leaseExpiresAt: q.state === 'claimed' ? (q.leaseExpiresAt?.toISOString() ?? null) : null }
          : null,
      answer:
        q.answer !== null && q.answeredAt
          ? {
              markdown: q.answer,
              html: renderMarkdown(q.answer),
              answeredBy: { id: q.answeredBy, name: q.answeredByName ?? '' },
              answeredAt: q.answeredAt.toISOString(),
              late: q.answeredLate ?? false,
            }
          : null,
      duplicateOfFaq: q.duplicateOfFaq,
      rejectionReason: q.rejectionReason,
      version: q.version,
    }
  }

  async function emit(trx: Kysely<Database>, type: string, q: QuestionRow, extra: Record<string, unknown> = {}): Promise<void> {
    await appendEvent(trx, questionEvent(type, q, clock.now(), extra))
  }

  /**
   * Takes a lifecycle action (lifecycle.ts) on a question read in its current state (row locked by
   * the caller): moves it to the state the table says, records the transition with actor and time,
   * and writes the event, all in the caller's transaction. An action the table does not allow from
   * that state is refused here, whatever the caller checked before.
   */
  async function transition(
    trx: Kysely<Database>,
    q: QuestionRow,
    action: LifecycleAction,
    actor: UserActor | null,
    changes: QuestionChanges = {},
    options: { note?: string; event?: string; eventExtra?: Record<string, unknown> } = {},
  ): Promise<QuestionRow> {
    const to = targetOf(action, q.state)
    if (!to) throw invalidTransition(q, action)
    const now = clock.now()
    const updated = await repo.updateQuestion(trx, q.id, q, { ...changes, state: to, updatedAt: now })
    if (!updated) {
      const current = await repo.findQuestion(trx, q.id)
      throw invalidTransition(current ?? q, action)
    }
    await repo.insertTransition(trx, {
      questionId: q.id,
      action,
      fromState: q.state,
      toState: to,
      actorId: actor?.userId ?? null,
      actorRole: actor?.role ?? null,
      note: options.note ?? null,
      at: now,
    })
    await emit(trx, options.event ?? `question.${action}`, updated, options.eventExtra)
    return updated
  }

  const releaseChanges: QuestionChanges = { claimedBy: null, claimedByName: null, claimedAt: null, leaseExpiresAt: null }

  /** Returns an expired claim to the queue (the expert's draft stays). */
  async function expire(trx: Kysely<Database>, q: QuestionRow): Promise<QuestionRow> {
    return transition(trx, q, 'lease_expired', null, releaseChanges, {
      note: `lease of ${q.claimedByName ?? 'unknown'} expired at ${q.leaseExpiresAt?.toISOString()}`,
      eventExtra: { previousHolder: holderOf(q) },
    })
  }

  async function sweep(): Promise<number> {
    const now = clock.now()
    return db.transaction().execute(async (trx) => {
      const expired = await repo.lockExpiredLeases(trx, now)
      for (const q of expired) await expire(trx, q)
      if (expired.length > 0) for (const dayId of new Set(expired.map((q) => q.forumDayId))) await forumDays.publishCounters(trx, dayId)
      return expired.length
    })
  }

  /** Locks the question for the caller's transaction; 404 when it does not exist or is not visible. */
  async function load(trx: Kysely<Database>, actor: UserActor, id: string): Promise<QuestionRow> {
    const q = await repo.findQuestion(trx, id, { forUpdate: true })
    await ensureVisible(trx, actor, q)
    return q as QuestionRow
  }

  /** 404 for no such question; 403 for one the caller may not see (ids are random, so this leaks nothing useful). */
  async function ensureVisible(trx: Kysely<Database>, actor: UserActor, q: QuestionRow | undefined): Promise<void> {
    if (!q) throw notFound('Question', 'QUESTION_NOT_FOUND')
    if (!(await repo.isVisible(trx, q.id, visibilityOf(actor)))) {
      throw forbidden('This question belongs to another organization, or to work you do not handle', 'QUESTION_NOT_VISIBLE')
    }
  }

  /**
   * Tells the asking organization's staff by e-mail, in the transaction of the change: what needs
   * them (a clarification) and what they waited for (the answer). One message per change and person.
   */
  async function tellOrganization(trx: Kysely<Database>, q: QuestionRow, change: string, compose: (url: string) => MailMessage): Promise<void> {
    const url = `${new URL(deps.publicOrigin).origin}/le-mie-domande/${q.id}`
    const contacts = await people.organizationContacts(q.organizationId, { trx })
    await queueMail(trx, clock, contacts.map((c) => ({ dedupeKey: `${change}:${c.id}`, to: c.email, message: compose(url) })))
  }

  async function message(trx: Kysely<Database>, q: QuestionRow, actor: UserActor, kind: MessageKind, body: string): Promise<string> {
    return repo.insertMessage(trx, { questionId: q.id, kind, authorId: actor.userId, authorName: actor.displayName, authorRole: actor.role, body, createdAt: clock.now() })
  }

  async function claimLocked(trx: Kysely<Database>, actor: UserActor, found: QuestionRow, action: 'claimed' | 'reassigned', holder: { id: string; name: string }) {
    const now = clock.now()
    let q = found
    if (q.state === 'claimed' && q.leaseExpiresAt && q.leaseExpiresAt <= now) q = await expire(trx, q)
    if (q.state === 'claimed' && action === 'claimed') {
      if (q.claimedBy === holder.id) {
        // Claiming what you already hold renews it.
        return transition(trx, q, 'renewed', actor, { leaseExpiresAt: new Date(now.getTime() + leaseMs) }, { event: 'question.claimed' })
      }
      throw new DomainError('QUESTION_ALREADY_CLAIMED', 409, `${q.claimedByName ?? 'Another expert'} is already working on this question`, {
        state: q.state,
        holder: holderOf(q),
        leaseExpiresAt: q.leaseExpiresAt?.toISOString(),
      })
    }
    if (!targetOf(action, q.state)) throw invalidTransition(q, action === 'claimed' ? 'claim' : 'reassign')
    return transition(
      trx,
      q,
      action,
      actor,
      { claimedBy: holder.id, claimedByName: holder.name, claimedAt: now, leaseExpiresAt: new Date(now.getTime() + leaseMs) },
      { event: 'question.claimed', eventExtra: action === 'reassigned' ? { reassignedBy: actor.userId, previousHolder: q.claimedBy ? holderOf(q) : null } : {} },
    )
  }

  function requireHolder(q: QuestionRow, actor: UserActor, action: string): void {
    if (q.state !== 'claimed') throw invalidTransition(q, action)
    if (q.claimedBy !== actor.userId) {
      throw new DomainError('NOT_CLAIM_HOLDER', 403, `Only ${q.claimedByName ?? 'the expert holding the claim'} can do this now`, {
        state: q.state,
        holder: holderOf(q),
      })
    }
  }

  async function activity(trx: Kysely<Database>, questions: QuestionRow[], viewer: UserActor) {
    const since = new Date(clock.now().getTime() - activityMs)
    const drafts = await repo.recentDrafters(trx, questions.map((q) => q.id), since)
    return new Map(
      questions.map((q) => [
        q.id,
        {
          holder: q.state === 'claimed' ? holderOf(q) : null,
          drafting: drafts
            .filter((d) => d.questionId === q.id && d.expertId !== viewer.userId)
            .map((d) => ({ id: d.expertId, name: d.expertName, at: d.updatedAt.toISOString() })),
        },
      ]),
    )
  }

  /** The actions the actor may take on the question now (lifecycle.ts), sent with it. */
  const actionsOf = (actor: UserActor, q: QuestionRow) => actionsFor(actor, q)

  return { ...deps, deps, leaseMs, activityMs, toDto, actionsOf, emit, transition, releaseChanges, expire, sweep, load, ensureVisible, tellOrganization, message, claimLocked, requireHolder, activity }
}

export type QuestionsContext = ReturnType<typeof createQuestionsContext>
