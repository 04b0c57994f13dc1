import type { Actor, UserActor } from '../accounts/actor.js'
import { isModerator, requireExpert, requireModerator } from '../accounts/policy.js'
import { DomainError } from '../shared/errors.js'
import * as repo from './repository.js'
import * as statements from './statements.js'
import type { DeskItemDto, QuestionDto, QueueItemDto } from './schemas.js'
import type { QuestionsContext } from './context.js'
import type { QuestionRow } from './repository.js'
import { invalidTransition, holderOf } from './rules.js'
import { fromStates } from './lifecycle.js'
import { batched } from '../shared/batched.js'

type ClaimFilter = { forumDayId?: string; theme?: string }

/** The experts' queue: claims as leases, claim-next, renew, release, reassign, expiry, housekeeping. */
export function queueUseCases(ctx: QuestionsContext) {
  const { db, clock, people, leaseMs, toDto, actionsOf, transition, releaseChanges, sweep, load, claimLocked, requireHolder, activity } = ctx

  /** Queue and desk rows as the experts see them: waiting time, deadline, who works on it, what the viewer may do. */
  async function items(user: UserActor, rows: Array<QuestionRow & { answerDeadline: Date; forumDayTitle: string }>): Promise<QueueItemDto[]> {
    const now = clock.now()
    const act = await activity(db, rows, user)
    // Object.assign, not a spread followed by properties: on Node 20 each property written after
    // a spread costs about a microsecond, and a queue page holds dozens of rows.
    return rows.map((q) =>
      Object.assign(toDto(q), {
        forumDayTitle: q.forumDayTitle,
        waitingSeconds: Math.max(0, Math.floor((now.getTime() - q.submittedAt.getTime()) / 1000)),
        answerDeadline: q.answerDeadline.toISOString(),
        overdue: now > q.answerDeadline,
        activity: act.get(q.id) ?? { holder: null, drafting: [] },
        actions: actionsOf(user, q),
      }),
    )
  }

  /**
   * The claim-next requests of one turn of the event loop: one statement per filter gives each
   * expert the next waiting question (statements.ts). An expert it found none for gets undefined.
   */
  const claimWaiting = batched(async (claims: ReadonlyArray<{ filter: ClaimFilter; claim: statements.NextClaim }>) => {
    const groups = new Map<string, number[]>()
    claims.forEach(({ filter }, i) => {
      const key = JSON.stringify([filter.forumDayId ?? null, filter.theme ?? null])
      groups.set(key, [...(groups.get(key) ?? []), i])
    })
    const results: Array<QuestionRow | undefined | Error> = claims.map(() => undefined)
    await Promise.all(
      [...groups.values()].map(async (members) => {
        try {
          const rows = await statements.claimNextWaiting(db, claims[members[0]!]!.filter, members.map((i) => claims[i]!.claim))
          members.forEach((i, j) => (results[i] = rows[j]))
        } catch (err) {
          for (const i of members) results[i] = err as Error
        }
      }),
    )
    return results
  })

  return {
    async queue(actor: Actor, filter: { forumDayId?: string; theme?: string; includeClaimed: boolean; limit: number }): Promise<QueueItemDto[]> {
      const user = requireExpert(actor)
      await sweep()
      return items(user, await repo.queue(db, filter))
    },
    /**
     * The caller's desk: the questions with them. Those the comune has just replied to come first
     * (until the expert takes them up), then the rest oldest first.
     */
    async desk(actor: Actor): Promise<DeskItemDto[]> {
      const user = requireExpert(actor)
      await sweep()
      const rows = await repo.desk(db, user.userId)
      const returned = new Set(rows.filter((q) => q.state === 'claimed' && q.lastAction === 'replied').map((q) => q.id))
      const list = (await items(user, rows)).map((item) => ({ ...item, returned: returned.has(item.id) }))
      return list.sort((a, b) => Number(b.returned) - Number(a.returned))
    },
    async claim(actor: Actor, id: string): Promise<QuestionDto> {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        return toDto(await claimLocked(trx, user, q, 'claimed', { id: user.userId, name: user.displayName }))
      })
    },
    /** Claims the oldest unclaimed question matching the filter; 404 QUEUE_EMPTY when there is none. */
    async claimNext(actor: Actor, filter: ClaimFilter = {}): Promise<QuestionDto> {
      const user = requireExpert(actor)
      const now = clock.now()
      const claim = { expertId: user.userId, expertName: user.displayName, actorRole: user.role, now, leaseExpiresAt: new Date(now.getTime() + leaseMs) }
      // The peak's path: one statement claims a free waiting question with its transition and event.
      const claimed = await claimWaiting({ filter, claim })
      if (claimed) return toDto(claimed)
      // No waiting question is free: an expired claim may be (the scheduler's sweep also returns those to the queue).
      return db.transaction().execute(async (trx) => {
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
        // A renewal is a transition like any other: recorded, and announced to the colleagues' queues.
        return toDto(await transition(trx, q, 'renewed', user, { leaseExpiresAt: new Date(clock.now().getTime() + leaseMs) }))
      })
    },
    async release(actor: Actor, id: string): Promise<QuestionDto> {
      const user = requireExpert(actor)
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        if (!isModerator(user)) requireHolder(q, user, 'release')
        else if (!fromStates('released').includes(q.state)) throw invalidTransition(q, 'release')
        const updated = await transition(trx, q, 'released', user, releaseChanges, { eventExtra: { previousHolder: holderOf(q) } })
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
  }
}
