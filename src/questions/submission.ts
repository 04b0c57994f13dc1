import { createHash, randomUUID } from 'node:crypto'
import type { Actor } from '../accounts/actor.js'
import { isModerator, requireStaff, requireUser } from '../accounts/policy.js'
import { dayState, windowOf } from '../forum-days/service.js'
import { DomainError, forbidden, notFound } from '../shared/errors.js'
import { requireVersion, staleVersion } from '../shared/versions.js'
import type { OrganizationProfile } from '../forum-days/eligibility.js'
import * as repo from './repository.js'
import * as statements from './statements.js'
import type { QuestionRow } from './repository.js'
import type { QuestionDto } from './schemas.js'
import type { QuestionsContext } from './context.js'
import { questionEvent } from './question-events.js'
import type { SubmitResult } from './ports.js'
import { fromStates, partiesOf, permits } from './lifecycle.js'
import { IDEMPOTENCY_KEY, NeedsOrganizationProfile, NEW_QUESTION, visibilityOf, invalidTransition, queryWords } from './rules.js'

/** Staff ask: submit (idempotent), similar questions while typing, edit, withdraw. */
export function submissionUseCases(ctx: QuestionsContext) {
  const { db, clock, forumDays, faqs, toDto, transition, load } = ctx

  return {
    async submit(actor: Actor, forumDayId: string, input: { title: string; body: string; theme: string }, idempotencyKey: string | undefined): Promise<SubmitResult> {
      const user = requireStaff(actor)
      const organizationId = user.organizationId
      // The draft allows the key as a structured-field string ("abc") or bare.
      const key = idempotencyKey?.trim().replace(/^"(.*)"$/, '$1')
      if (!key) throw new DomainError('IDEMPOTENCY_KEY_MISSING', 400, 'Send an Idempotency-Key header so a retry cannot create the question twice')
      if (!IDEMPOTENCY_KEY.test(key)) throw new DomainError('IDEMPOTENCY_KEY_INVALID', 400, 'The Idempotency-Key must be 1-255 visible ASCII characters')
      const fingerprint = createHash('sha256').update(JSON.stringify(['POST', forumDayId, input.title, input.body, input.theme])).digest('hex')
      const now = clock.now()

      const attempt = (organization: OrganizationProfile | undefined) =>
        db.transaction().execute(async (trx): Promise<SubmitResult> => {
          // A concurrent request with the same key waits in this statement until the first one commits, then replays it.
          const context = await statements.submissionContext(trx, { userId: user.userId, key, fingerprint, now, forumDayId, organizationId })
          if (!context.fresh) {
            const slot = await statements.storedIdempotencyKey(trx, user.userId, key)
            if (slot.fingerprint !== fingerprint) {
              throw new DomainError('IDEMPOTENCY_KEY_REUSED', 422, 'This Idempotency-Key was used for a different request; use a new key for a new question')
            }
            return { status: slot.status ?? 201, body: slot.response as unknown as QuestionDto, replayed: true }
          }

          const day = context.day
          if (!day) throw notFound('Forum day', 'FORUM_DAY_NOT_FOUND')
          const state = dayState(day, now)
          if (state !== 'open') {
            const code = state === 'upcoming' ? 'FORUM_DAY_NOT_OPEN' : state === 'closed' ? 'FORUM_DAY_CLOSED' : 'FORUM_DAY_CANCELLED'
            const detail =
              state === 'upcoming'
                ? `The forum day opens at ${windowOf(day).opensAtLocal}`
                : state === 'closed'
                  ? `The forum day closed at ${windowOf(day).closesAtLocal}`
                  : 'The forum day was cancelled'
            throw new DomainError(code, 409, detail, { state, window: windowOf(day), now: now.toISOString() })
          }
          let decision = context.decision?.registryDate === day.editionRegistryDate ? context.decision : undefined
          if (!decision) {
            // First question of the organization in this edition (or a new registry date): decide and store.
            if (!organization) throw new NeedsOrganizationProfile()
            decision = await forumDays.decideEligibility(trx, (await forumDays.dayForQuestion(trx, actor, forumDayId)).edition, organization)
          }
          if (!decision.eligible) {
            throw new DomainError(decision.reason, 403, `Not eligible for ${day.editionName}: ${decision.detail}`, {
              reason: decision.reason,
              editionId: day.editionId,
              registryDate: decision.registryDate,
            })
          }
          if (!day.themes.includes(input.theme)) {
            throw new DomainError('UNKNOWN_THEME', 422, `Theme "${input.theme}" is not in scope for this forum day`, { themes: day.themes })
          }

          // The row and its response are known before the insert: nothing needs reading back.
          const q: QuestionRow = {
            ...NEW_QUESTION,
            id: randomUUID(),
            forumDayId: day.id,
            organizationId,
            askedBy: user.userId,
            askerName: user.displayName,
            title: input.title,
            body: input.body,
            theme: input.theme,
            submittedAt: now,
            updatedAt: now,
          }
          const body = toDto(q)
          const cap = day.maxOpenQuestionsPerOrganization
          const outcome = await statements.insertSubmission(trx, q, {
            cap,
            actorRole: user.role,
            key,
            response: body,
            // Both events go in the insert's statement: two round trips fewer at the peak.
            submitted: questionEvent('question.submitted', q, clock.now()),
            counters: (counts) => forumDays.countersEventInStatement(trx, day.id, day, counts),
          })
          if (!outcome.inserted) {
            throw new DomainError('OPEN_QUESTIONS_LIMIT', 409, `Your organization already has ${outcome.open} open questions on this forum day (limit ${cap})`, {
              limit: cap,
              open: outcome.open,
            })
          }
          return { status: 201, body, replayed: false }
        })

      try {
        return await attempt(undefined)
      } catch (err) {
        if (!(err instanceof NeedsOrganizationProfile)) throw err
        // Read without holding a transaction's connection: the directory uses a connection of its own.
        return attempt(await forumDays.organizationProfile(organizationId))
      }
    },
    /** Published FAQs and open questions (that the caller may see) resembling a draft. */
    async similar(actor: Actor, text: string, limit: number) {
      const user = requireUser(actor)
      const [faqHits, questions] = await Promise.all([
        faqs ? faqs.similarFaqs(actor, text, limit) : Promise.resolve([]),
        repo.similarOpenQuestions(db, visibilityOf(user), text, queryWords(text), limit),
      ])
      return {
        faqs: faqHits,
        questions: questions.map((q) => ({ ...q, submittedAt: q.submittedAt.toISOString(), score: Math.round(q.score * 1000) / 1000 })),
      }
    },
    /** The asker edits the question while it waits in the queue; moderators until it is answered. */
    async edit(actor: Actor, id: string, input: { title?: string; body?: string; theme?: string }, ifMatch: number | undefined): Promise<QuestionDto> {
      const user = requireUser(actor)
      const expected = requireVersion(ifMatch)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        if (!isModerator(user) && q.askedBy !== user.userId) throw forbidden('Only the person who asked can edit the question', 'NOT_YOUR_QUESTION')
        if (!permits('edited', q.state, partiesOf(user, q))) throw invalidTransition(q, 'edit')
        if (q.version !== expected) throw staleVersion(q.version)
        if (input.theme !== undefined) {
          const day = await forumDays.findDay(trx, q.forumDayId)
          if (!day?.themes.includes(input.theme)) throw new DomainError('UNKNOWN_THEME', 422, `Theme "${input.theme}" is not in scope for this forum day`, { themes: day?.themes ?? [] })
        }
        const updated = await transition(trx, q, 'edited', user, {
          ...(input.title !== undefined && { title: input.title }),
          ...(input.body !== undefined && { body: input.body }),
          ...(input.theme !== undefined && { theme: input.theme }),
        })
        if (input.body !== undefined) await repo.updateMessageBody(trx, q.id, 'question', input.body)
        return toDto(updated)
      })
    },
    /** The asker withdraws a question nobody has claimed yet. */
    async withdraw(actor: Actor, id: string): Promise<QuestionDto> {
      const user = requireUser(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        if (q.askedBy !== user.userId) throw forbidden('Only the person who asked can withdraw the question', 'NOT_YOUR_QUESTION')
        if (!fromStates('withdrawn').includes(q.state)) throw invalidTransition(q, 'withdraw')
        const updated = await transition(trx, q, 'withdrawn', user)
        await forumDays.publishCounters(trx, q.forumDayId)
        return toDto(updated)
      })
    },
  }
}
