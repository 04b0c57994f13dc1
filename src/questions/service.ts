import { createHash, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Actor, UserActor } from '../accounts/actor.js'
import { isExpertOrModerator, isModerator, requireExpert, requireModerator, requireStaff, requireUser } from '../accounts/policy.js'
import type { Database } from '../db/database.js'
import { appendEvent, channel, type Audience } from '../events/event-log.js'
import { dayState, windowOf, type ForumDaysService } from '../forum-days/service.js'
import type { Clock } from '../shared/clock.js'
import { DomainError, forbidden, notFound } from '../shared/errors.js'
import { requireVersion, staleVersion } from '../shared/versions.js'
import { queueMail } from '../mail/outbox.js'
import { mailTemplates, type MailMessage } from '../mail/templates.js'
import type { OrganizationProfile } from '../forum-days/eligibility.js'
import * as repo from './repository.js'
import * as statements from './statements.js'
import type { QuestionChanges, QuestionRow, Visibility } from './repository.js'
import type { QuestionDetailDto, QuestionDto } from './schemas.js'
import type { MessageKind, QuestionState } from './tables.js'

// ---- what this module needs from others (wired in app.ts) ----

/** People by id (the accounts service fits): to check a reassignment target. */
export interface PeopleDirectory {
  getUserSummary(id: string): Promise<{ id: string; displayName: string; role: string; active: boolean }>
  /** The active staff of an organization, who hear by e-mail about its questions (read in `trx`). */
  organizationContacts(organizationId: string, options: { trx: Kysely<Database> }): Promise<Array<{ id: string; email: string }>>
}

/** Published FAQs (the knowledge base service fits). Optional until the knowledge base is wired. */
export interface FaqLookup {
  similarFaqs(actor: Actor, draft: string, limit?: number): Promise<Array<{ slug: string; title: string; snippet: string }>>
  /** The published FAQ with this id or slug that the actor may see; throws 404 FAQ_NOT_FOUND. */
  findPublishedForDuplicate(actor: Actor, idOrSlug: string): Promise<{ id: string; slug: string }>
  countDuplicate(trx: Kysely<Database>, faqId: string): Promise<void>
}

export interface QuestionsDeps {
  db: Kysely<Database>
  clock: Clock
  forumDays: ForumDaysService
  people: PeopleDirectory
  renderMarkdown: (markdown: string) => string
  faqs?: FaqLookup
  /** How long a claim lasts without renewal. */
  leaseMinutes: number
  /** How recent a colleague's draft must be to show as "working on it". */
  activityMinutes?: number
  /** Where the staff's pages are, for the links in e-mails. */
  publicOrigin: string
}

/** The result of a submission, replayed as it was for a retry with the same Idempotency-Key. */
export interface SubmitResult {
  status: number
  body: QuestionDto
  replayed: boolean
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** Thrown inside a submission that needs the organization's profile to decide eligibility: retried with it. */
class NeedsOrganizationProfile extends Error {}

/** What a new question holds besides its content. */
const NEW_QUESTION = {
  state: 'submitted',
  claimedBy: null,
  claimedByName: null,
  claimedAt: null,
  leaseExpiresAt: null,
  answer: null,
  answeredBy: null,
  answeredByName: null,
  answeredAt: null,
  answeredLate: null,
  duplicateOfFaq: null,
  rejectionReason: null,
  version: 1,
} as const satisfies Partial<QuestionRow>


function visibilityOf(actor: UserActor): Visibility {
  if (isModerator(actor)) return { kind: 'all' }
  if (actor.role === 'staff') return { kind: 'organization', organizationId: actor.organizationId ?? '00000000-0000-0000-0000-000000000000' }
  return { kind: 'expert', userId: actor.userId }
}

const invalidTransition = (q: Pick<QuestionRow, 'state'>, action: string) =>
  new DomainError('INVALID_TRANSITION', 409, `Cannot ${action.replaceAll('_', ' ')} a question that is ${q.state.replaceAll('_', ' ')}`, {
    state: q.state,
    action,
  })

const holderOf = (q: QuestionRow) => ({ id: q.claimedBy, name: q.claimedByName ?? '' })

/** Words of a draft usable in a tsquery: letters and digits only, so user text cannot inject operators. */
function queryWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []
  return [...new Set(words)].slice(0, 40)
}

export function createQuestionsService(deps: QuestionsDeps) {
  const { db, clock, forumDays, people, renderMarkdown, faqs } = deps
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
        q.state === 'claimed' && q.claimedAt && q.leaseExpiresAt
          ? { expert: holderOf(q), claimedAt: q.claimedAt.toISOString(), leaseExpiresAt: q.leaseExpiresAt.toISOString() }
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

  /** Who hears about a question: the experts' queue, the asking organization, the question's followers. */
  function questionAudience(q: QuestionRow): Audience[] {
    return [{ kind: 'experts' }, { kind: 'organization', organizationId: q.organizationId }, { kind: 'question', questionId: q.id, organizationId: q.organizationId }]
  }

  async function emit(trx: Kysely<Database>, type: string, q: QuestionRow, extra: Record<string, unknown> = {}): Promise<void> {
    await appendEvent(trx, {
      type,
      // Ids, state and title only: the body and messages are fetched by those allowed to read them.
      payload: {
        questionId: q.id,
        forumDayId: q.forumDayId,
        organizationId: q.organizationId,
        state: q.state,
        title: q.title,
        theme: q.theme,
        version: q.version,
        claimedBy: q.state === 'claimed' ? holderOf(q) : null,
        leaseExpiresAt: q.state === 'claimed' ? (q.leaseExpiresAt?.toISOString() ?? null) : null,
        at: clock.now().toISOString(),
        ...extra,
      },
      channels: [channel.queue, channel.organization(q.organizationId), channel.question(q.id)],
      audience: questionAudience(q),
    })
  }

  /**
   * Moves a question from the state it was read in (row locked by the caller) to `to`, records the
   * transition with actor and time, and writes the event: all in the caller's transaction.
   */
  async function transition(
    trx: Kysely<Database>,
    q: QuestionRow,
    action: string,
    to: QuestionState,
    actor: UserActor | null,
    changes: QuestionChanges = {},
    options: { note?: string; event?: string; eventExtra?: Record<string, unknown> } = {},
  ): Promise<QuestionRow> {
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
    return transition(trx, q, 'lease_expired', 'submitted', null, releaseChanges, {
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
        return transition(trx, q, 'renewed', 'claimed', actor, { leaseExpiresAt: new Date(now.getTime() + leaseMs) }, { event: 'question.claimed' })
      }
      throw new DomainError('QUESTION_ALREADY_CLAIMED', 409, `${q.claimedByName ?? 'Another expert'} is already working on this question`, {
        state: q.state,
        holder: holderOf(q),
        leaseExpiresAt: q.leaseExpiresAt?.toISOString(),
      })
    }
    const allowed: QuestionState[] = action === 'reassigned' ? ['submitted', 'claimed'] : ['submitted']
    if (!allowed.includes(q.state)) throw invalidTransition(q, action === 'claimed' ? 'claim' : 'reassign')
    return transition(
      trx,
      q,
      action,
      'claimed',
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
          const outcome = await statements.insertSubmission(trx, q, { cap, actorRole: user.role, key, response: body })
          if (!outcome.inserted) {
            throw new DomainError('OPEN_QUESTIONS_LIMIT', 409, `Your organization already has ${outcome.open} open questions on this forum day (limit ${cap})`, {
              limit: cap,
              open: outcome.open,
            })
          }
          await emit(trx, 'question.submitted', q)
          await forumDays.publishCounters(trx, day.id, { day, counts: outcome.dayCounts })
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

    async list(actor: Actor, filter: repo.QuestionFilter): Promise<QuestionDto[]> {
      const user = requireUser(actor)
      return (await repo.listQuestions(db, visibilityOf(user), filter)).map(toDto)
    },

    /** For the realtime module: throws unless the actor may follow this question (401/403/404). */
    async assertVisible(actor: Actor, id: string): Promise<void> {
      const user = requireUser(actor)
      await ensureVisible(db, user, await repo.findQuestion(db, id))
    },

    async get(actor: Actor, id: string): Promise<QuestionDetailDto> {
      const user = requireUser(actor)
      await sweep()
      const q = await repo.findQuestion(db, id)
      await ensureVisible(db, user, q)
      if (!q) throw notFound('Question', 'QUESTION_NOT_FOUND')
      const [messages, transitions] = await Promise.all([repo.listMessages(db, id), repo.listTransitions(db, id)])
      const experts = isExpertOrModerator(user)
      return {
        ...toDto(q),
        messages: messages.map((m) => ({
          id: m.id,
          kind: m.kind,
          author: { id: m.authorId, name: m.authorName, role: m.authorRole },
          markdown: m.body,
          html: renderMarkdown(m.body),
          createdAt: m.createdAt.toISOString(),
        })),
        transitions: transitions.map((t) => ({
          action: t.action,
          from: t.fromState,
          to: t.toState,
          // Staff see what happened and when; which expert did it is for the experts.
          actorId: experts || t.actorRole === 'staff' ? t.actorId : null,
          actorRole: t.actorRole,
          note: t.note,
          at: t.at.toISOString(),
        })),
        activity: experts ? ((await activity(db, [q], user)).get(q.id) ?? null) : null,
      }
    },

    /** The asker edits the question while it waits in the queue; moderators until it is answered. */
    async edit(actor: Actor, id: string, input: { title?: string; body?: string; theme?: string }, ifMatch: number | undefined): Promise<QuestionDto> {
      const user = requireUser(actor)
      const expected = requireVersion(ifMatch)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        if (isModerator(user)) {
          if (!['submitted', 'claimed', 'awaiting_clarification'].includes(q.state)) throw invalidTransition(q, 'edit')
        } else if (q.askedBy !== user.userId) {
          throw forbidden('Only the person who asked can edit the question', 'NOT_YOUR_QUESTION')
        } else if (q.state !== 'submitted' && q.state !== 'awaiting_clarification') {
          throw invalidTransition(q, 'edit')
        }
        if (q.version !== expected) throw staleVersion(q.version)
        if (input.theme !== undefined) {
          const day = await forumDays.findDay(trx, q.forumDayId)
          if (!day?.themes.includes(input.theme)) throw new DomainError('UNKNOWN_THEME', 422, `Theme "${input.theme}" is not in scope for this forum day`, { themes: day?.themes ?? [] })
        }
        const updated = await transition(trx, q, 'edited', q.state, user, {
          ...(input.title !== undefined && { title: input.title }),
          ...(input.body !== undefined && { body: input.body }),
          ...(input.theme !== undefined && { theme: input.theme }),
        })
        if (input.body !== undefined) await repo.updateMessageBody(trx, q.id, 'question', input.body)
        return toDto(updated)
      })
    },

    async queue(actor: Actor, filter: { forumDayId?: string; theme?: string; includeClaimed: boolean; limit: number }) {
      const user = requireExpert(actor)
      await sweep()
      const now = clock.now()
      const rows = await repo.queue(db, filter)
      const act = await activity(db, rows, user)
      return rows.map((q) => ({
        ...toDto(q),
        forumDayTitle: q.forumDayTitle,
        waitingSeconds: Math.max(0, Math.floor((now.getTime() - q.submittedAt.getTime()) / 1000)),
        answerDeadline: q.answerDeadline.toISOString(),
        overdue: now > q.answerDeadline,
        activity: act.get(q.id) ?? { holder: null, drafting: [] },
      }))
    },

    async claim(actor: Actor, id: string): Promise<QuestionDto> {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        return toDto(await claimLocked(trx, user, q, 'claimed', { id: user.userId, name: user.displayName }))
      })
    },

    /** Claims the oldest unclaimed question matching the filter; 404 QUEUE_EMPTY when there is none. */
    async claimNext(actor: Actor, filter: { forumDayId?: string; theme?: string }): Promise<QuestionDto> {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const now = clock.now()
        const claim = { expertId: user.userId, expertName: user.displayName, actorRole: user.role, now, leaseExpiresAt: new Date(now.getTime() + leaseMs) }
        const claimed = await statements.claimNextWaiting(trx, filter, claim)
        if (claimed) {
          await emit(trx, 'question.claimed', claimed)
          return toDto(claimed)
        }
        // No waiting question is free: an expired claim may be (the scheduler's sweep also returns those to the queue).
        const q = await repo.lockNextClaimable(trx, filter, now)
        if (!q) throw new DomainError('QUEUE_EMPTY', 404, 'No question is waiting in the queue for this filter')
        return toDto(await claimLocked(trx, user, q, 'claimed', { id: user.userId, name: user.displayName }))
      })
    },

    async renew(actor: Actor, id: string): Promise<QuestionDto> {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        requireHolder(q, user, 'renew')
        const leaseExpiresAt = new Date(clock.now().getTime() + leaseMs)
        const updated = await repo.updateQuestion(trx, q.id, q, { leaseExpiresAt, updatedAt: clock.now() })
        if (!updated) throw invalidTransition(q, 'renew')
        return toDto(updated)
      })
    },

    async release(actor: Actor, id: string): Promise<QuestionDto> {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        if (!isModerator(user)) requireHolder(q, user, 'release')
        else if (q.state !== 'claimed') throw invalidTransition(q, 'release')
        const updated = await transition(trx, q, 'released', 'submitted', user, releaseChanges, { eventExtra: { previousHolder: holderOf(q) } })
        return toDto(updated)
      })
    },

    async reassign(actor: Actor, id: string, expertId: string): Promise<QuestionDto> {
      const moderator = requireModerator(actor)
      const target = await people.getUserSummary(expertId).catch(() => undefined)
      if (!target || !target.active || !['expert', 'moderator', 'admin'].includes(target.role)) {
        throw new DomainError('NOT_AN_EXPERT', 422, 'Questions can only be assigned to an active expert or moderator', { expertId })
      }
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, moderator, id)
        return toDto(await claimLocked(trx, moderator, q, 'reassigned', { id: target.id, name: target.displayName }))
      })
    },

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

    /** Closes a question as answered by a published FAQ; the asker sees the FAQ. */
    async markDuplicate(actor: Actor, id: string, input: { faq: string; note?: string }): Promise<QuestionDto> {
      const user = requireExpert(actor)
      const faq = faqs ? await faqs.findPublishedForDuplicate(actor, input.faq) : undefined
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        const allowed: QuestionState[] = isModerator(user) ? ['submitted', 'claimed', 'awaiting_clarification'] : ['submitted', 'claimed']
        if (!allowed.includes(q.state)) throw invalidTransition(q, 'mark_duplicate')
        if (q.state === 'claimed' && !isModerator(user)) requireHolder(q, user, 'mark_duplicate')
        const reference = faq?.slug ?? input.faq
        const updated = await transition(trx, q, 'duplicate', 'duplicate', user, { ...releaseChanges, duplicateOfFaq: reference }, {
          note: input.note,
          eventExtra: { duplicateOfFaq: reference },
        })
        if (faq && faqs) await faqs.countDuplicate(trx, faq.id)
        await forumDays.publishCounters(trx, q.forumDayId)
        return toDto(updated)
      })
    },

    async reject(actor: Actor, id: string, reason: string): Promise<QuestionDto> {
      const moderator = requireModerator(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, moderator, id)
        if (!['submitted', 'claimed', 'awaiting_clarification'].includes(q.state)) throw invalidTransition(q, 'reject')
        const updated = await transition(trx, q, 'rejected', 'rejected', moderator, { ...releaseChanges, rejectionReason: reason }, {
          note: reason,
          eventExtra: { reason },
        })
        await forumDays.publishCounters(trx, q.forumDayId)
        return toDto(updated)
      })
    },

    /** The asker withdraws a question nobody has claimed yet. */
    async withdraw(actor: Actor, id: string): Promise<QuestionDto> {
      const user = requireUser(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        if (q.askedBy !== user.userId) throw forbidden('Only the person who asked can withdraw the question', 'NOT_YOUR_QUESTION')
        if (q.state !== 'submitted') throw invalidTransition(q, 'withdraw')
        const updated = await transition(trx, q, 'withdrawn', 'withdrawn', user)
        await forumDays.publishCounters(trx, q.forumDayId)
        return toDto(updated)
      })
    },

    /** Returns every expired claim to the queue, with a question.lease_expired event each. For a scheduler. */
    sweepExpiredLeases: sweep,

    async sweepAsModerator(actor: Actor): Promise<{ expired: number }> {
      requireModerator(actor)
      return { expired: await sweep() }
    },

    /**
     * Forgets Idempotency-Key records older than `hours` (default 24): after that a retry with an
     * old key counts as a new request, as the IETF draft allows. For a scheduler.
     */
    async purgeIdempotencyKeys(hours = 24): Promise<number> {
      return repo.purgeIdempotencyKeys(db, new Date(clock.now().getTime() - hours * 3_600_000))
    },

    /** For the knowledge base: the question an FAQ is made from. */
    async sourceQuestion(id: string) {
      const q = await repo.findQuestion(db, id)
      if (!q) return undefined
      return {
        id: q.id,
        state: q.state,
        forumDayId: q.forumDayId,
        answeredAt: q.answeredAt ?? q.updatedAt,
        organizationId: q.organizationId,
        askerName: q.askerName,
        title: q.title,
        body: q.body,
        answer: q.answer,
        theme: q.theme,
      }
    },
  }
}

export type QuestionsService = ReturnType<typeof createQuestionsService>
