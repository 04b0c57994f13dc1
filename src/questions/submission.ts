import { createHash, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Actor, UserActor } from '../accounts/actor.js'
import type { Database } from '../db/database.js'
import { isDatabaseUnavailable } from '../db/unavailable.js'
import { batched } from '../shared/batched.js'
import { batchSubmissionContext, insertSubmissions, type BatchRequest } from './submission-batch.js'
import type { SubmissionContext } from './statements.js'
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

const DAY_ID = z.uuid()

interface Submission {
  user: UserActor & { organizationId: string }
  key: string
  fingerprint: string
  now: Date
  forumDayId: string
  input: { title: string; body: string; theme: string }
  /** Its organization's eligibility was just decided for it: if still missing, it runs alone. */
  decided?: boolean
}

type OpenDay = NonNullable<SubmissionContext['day']>

const requestOf = (s: Submission): BatchRequest => ({
  userId: s.user.userId,
  key: s.key,
  fingerprint: s.fingerprint,
  now: s.now,
  forumDayId: s.forumDayId,
  organizationId: s.user.organizationId,
})

/** The day a submission goes to, when it is open at `now` (by the server clock). */
function openDay(context: SubmissionContext, now: Date): OpenDay {
  const day = context.day
  if (!day) throw notFound('Forum day', 'FORUM_DAY_NOT_FOUND')
  const state = dayState(day, now)
  if (state === 'open') return day
  const code = state === 'upcoming' ? 'FORUM_DAY_NOT_OPEN' : state === 'closed' ? 'FORUM_DAY_CLOSED' : 'FORUM_DAY_CANCELLED'
  const detail =
    state === 'upcoming'
      ? `The forum day opens at ${windowOf(day).opensAtLocal}`
      : state === 'closed'
        ? `The forum day closed at ${windowOf(day).closesAtLocal}`
        : 'The forum day was cancelled'
  throw new DomainError(code, 409, detail, { state, window: windowOf(day), now: now.toISOString() })
}

/** The organization's stored eligibility for the day's edition, unless the edition's registry date changed since. */
const storedDecision = (context: SubmissionContext, day: OpenDay) => (context.decision?.registryDate === day.editionRegistryDate ? context.decision : undefined)

/** Refuses an ineligible organization, then a theme the day does not cover. */
function assertAdmitted(day: OpenDay, decision: { eligible: boolean; reason: string; detail: string; registryDate: string }, theme: string): void {
  if (!decision.eligible) {
    throw new DomainError(decision.reason, 403, `Not eligible for ${day.editionName}: ${decision.detail}`, {
      reason: decision.reason,
      editionId: day.editionId,
      registryDate: decision.registryDate,
    })
  }
  if (!day.themes.includes(theme)) {
    throw new DomainError('UNKNOWN_THEME', 422, `Theme "${theme}" is not in scope for this forum day`, { themes: day.themes })
  }
}

const overCap = (cap: number | null, open: number) =>
  new DomainError('OPEN_QUESTIONS_LIMIT', 409, `Your organization already has ${open} open questions on this forum day (limit ${cap})`, { limit: cap, open })

/** Staff ask: submit (idempotent), similar questions while typing, edit, withdraw. */
export function submissionUseCases(ctx: QuestionsContext) {
  const { db, clock, forumDays, faqs, toDto, transition, load } = ctx

  /** Submits alone, in a transaction of its own: a request that a batch could not settle. */
  async function submitAlone(s: Submission): Promise<SubmitResult> {
    const { user, key, fingerprint, now, forumDayId, input } = s
    const attempt = (organization: OrganizationProfile | undefined) =>
      db.transaction().execute(async (trx): Promise<SubmitResult> => {
        // A concurrent request with the same key waits in this statement until the first one commits, then replays it.
        const context = await statements.submissionContext(trx, { userId: user.userId, key, fingerprint, now, forumDayId, organizationId: user.organizationId })
        if (!context.fresh) return replay(trx, s)
        const day = openDay(context, now)
        let decision = storedDecision(context, day)
        if (!decision) {
          // First question of the organization in this edition (or a new registry date): decide and store.
          if (!organization) throw new NeedsOrganizationProfile()
          decision = await forumDays.decideEligibility(trx, (await forumDays.dayForQuestion(trx, user, forumDayId)).edition, organization)
        }
        assertAdmitted(day, decision, input.theme)
        const question = newQuestion(s, day)
        const outcome = await statements.insertSubmission(trx, question.q, {
          ...question,
          // Both events go in the insert's statement: two round trips fewer at the peak.
          counters: (counts) => forumDays.countersEventInStatement(trx, day.id, day, counts),
        })
        if (!outcome.inserted) throw overCap(question.cap, outcome.open)
        return { status: 201, body: question.response, replayed: false }
      })
    try {
      return await attempt(undefined)
    } catch (err) {
      if (!(err instanceof NeedsOrganizationProfile)) throw err
      // Read without holding a transaction's connection: the directory uses a connection of its own.
      return attempt(await forumDays.organizationProfile(user.organizationId))
    }
  }

  /** What an earlier request stored under the Idempotency-Key, if it was this same request. */
  async function replay(trx: Kysely<Database>, s: Submission): Promise<SubmitResult> {
    const slot = await statements.storedIdempotencyKey(trx, s.user.userId, s.key)
    if (slot.fingerprint !== s.fingerprint) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 422, 'This Idempotency-Key was used for a different request; use a new key for a new question')
    }
    return { status: slot.status ?? 201, body: slot.response as unknown as QuestionDto, replayed: true }
  }

  /** The question, its response and its event: known before the insert, so nothing needs reading back. */
  function newQuestion(s: Submission, day: OpenDay) {
    // The defaults last: on Node 20 every property written after a spread costs about a
    // microsecond (V8 leaves the copy's fast path), and this runs for every submission.
    const q: QuestionRow = {
      id: randomUUID(),
      forumDayId: day.id,
      organizationId: s.user.organizationId,
      askedBy: s.user.userId,
      askerName: s.user.displayName,
      title: s.input.title,
      body: s.input.body,
      theme: s.input.theme,
      submittedAt: s.now,
      updatedAt: s.now,
      ...NEW_QUESTION,
    }
    return {
      q,
      cap: day.maxOpenQuestionsPerOrganization,
      actorRole: s.user.role,
      key: s.key,
      response: toDto(q),
      submitted: questionEvent('question.submitted', q, clock.now()),
    }
  }

  /**
   * What one transaction settles of a batch of submissions (each Idempotency-Key once): their
   * results, those that must run alone (a replayed key; a first question whose eligibility is
   * still undecided after being decided), and first questions of an edition whose organization's
   * eligibility must be decided first.
   */
  async function settleTogether(trx: Kysely<Database>, batch: readonly Submission[]) {
    const settled = new Map<Submission, SubmitResult | Error>()
    const alone: Submission[] = []
    const undecided: Array<{ s: Submission; editionId: string }> = []
    const questions: Array<{ s: Submission; question: ReturnType<typeof newQuestion> }> = []
    const released: Array<{ userId: string; key: string }> = []
    const days = new Map<string, OpenDay>()
    const contexts = await batchSubmissionContext(trx, batch.map(requestOf))
    contexts.forEach((context, j) => {
      const s = batch[j]!
      if (!context.fresh) return void alone.push(s)
      // A request the batch does not insert gives its key back, as a rolled-back transaction
      // would: a retry, or its later run alone, is judged afresh.
      const release = () => released.push({ userId: s.user.userId, key: s.key })
      try {
        const day = openDay(context, s.now)
        const decision = storedDecision(context, day)
        if (!decision) {
          release()
          return void (s.decided ? alone.push(s) : undecided.push({ s, editionId: day.editionId }))
        }
        assertAdmitted(day, decision, s.input.theme)
        days.set(day.id, day)
        questions.push({ s, question: newQuestion(s, day) })
      } catch (err) {
        release()
        settled.set(s, err as Error)
      }
    })
    if (questions.length || released.length) {
      const outcomes = await insertSubmissions(trx, questions.map((x) => x.question), released, (dayId, counts) =>
        forumDays.countersEventInStatement(trx, dayId, days.get(dayId)!, counts),
      )
      outcomes.forEach((outcome, j) => {
        const { s, question } = questions[j]!
        settled.set(s, outcome.inserted ? { status: 201, body: question.response, replayed: false } : overCap(question.cap, outcome.open))
      })
    }
    return { settled, alone, undecided }
  }

  /**
   * Decides and stores the eligibility of the organizations whose first question of an edition
   * arrived in a batch (outside any transaction: the directory read uses a connection of its own),
   * then sends those questions to a later batch. Returns those to run alone if deciding failed.
   */
  async function decideThenResubmit(undecided: Array<{ s: Submission; editionId: string }>, results: Map<Submission, SubmitResult | Error>) {
    const byEdition = new Map<string, Set<string>>()
    for (const { s, editionId } of undecided) byEdition.set(editionId, (byEdition.get(editionId) ?? new Set()).add(s.user.organizationId))
    try {
      for (const [editionId, organizationIds] of byEdition) await forumDays.eligibleAmong(editionId, [...organizationIds])
    } catch {
      return undecided.map(({ s }) => s)
    }
    await Promise.all(undecided.map(async ({ s }) => results.set(s, await submitInBatch({ ...s, decided: true }).catch((err: Error) => err))))
    return []
  }

  /**
   * The submissions of one turn of the event loop, in one transaction (submission-batch.ts).
   * An organization's first question of an edition waits for its eligibility to be decided and
   * stored, then joins a later batch. What the batch cannot settle runs alone afterwards, with the
   * same rules: a replayed Idempotency-Key, a key sent twice in the batch, and every request of a
   * batch that failed as a whole while the database was reachable.
   */
  const submitInBatch = batched(async (batch: readonly Submission[]): Promise<Array<SubmitResult | Error>> => {
    const results = new Map<Submission, SubmitResult | Error>()
    const keys = new Set<string>()
    const together: Submission[] = []
    const alone: Submission[] = []
    for (const s of batch) {
      const key = JSON.stringify([s.user.userId, s.key])
      if (keys.has(key)) {
        alone.push(s)
        continue
      }
      keys.add(key)
      together.push(s)
    }
    let undecided: Array<{ s: Submission; editionId: string }> = []
    try {
      const outcome = await db.transaction().execute((trx) => settleTogether(trx, together))
      for (const [s, result] of outcome.settled) results.set(s, result)
      alone.push(...outcome.alone)
      undecided = outcome.undecided
    } catch (err) {
      // The database is unreachable: every request of the batch gets the outage (503), and none
      // knocks again on its own while it is down.
      if (isDatabaseUnavailable(err)) for (const s of together) results.set(s, err as Error)
      // Otherwise (a deadlock with another instance, a row the database refuses) each request
      // runs alone, so that any failure is its own.
      else alone.push(...together)
    }
    alone.push(...(await decideThenResubmit(undecided, results)))
    await Promise.all(alone.map(async (s) => results.set(s, await submitAlone(s).catch((err: Error) => err))))
    return batch.map((s) => results.get(s)!)
  })

  return {
    async submit(actor: Actor, forumDayId: string, input: { title: string; body: string; theme: string }, idempotencyKey: string | undefined): Promise<SubmitResult> {
      const user = requireStaff(actor)
      // The draft allows the key as a structured-field string ("abc") or bare.
      const key = idempotencyKey?.trim().replace(/^"(.*)"$/, '$1')
      if (!key) throw new DomainError('IDEMPOTENCY_KEY_MISSING', 400, 'Send an Idempotency-Key header so a retry cannot create the question twice')
      if (!IDEMPOTENCY_KEY.test(key)) throw new DomainError('IDEMPOTENCY_KEY_INVALID', 400, 'The Idempotency-Key must be 1-255 visible ASCII characters')
      const fingerprint = createHash('sha256').update(JSON.stringify(['POST', forumDayId, input.title, input.body, input.theme])).digest('hex')
      // No day has such an id, and the batch's statements take UUIDs: one bad id must not fail its batch.
      if (!DAY_ID.safeParse(forumDayId).success) throw notFound('Forum day', 'FORUM_DAY_NOT_FOUND')
      return submitInBatch({ user, key, fingerprint, now: clock.now(), forumDayId, input })
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
