import type { Actor } from '../accounts/actor.js'
import { DomainError } from '../shared/errors.js'
import type { ForumDaysContext } from './context.js'

/** A rehearsal day is a dry run: what it produced can be wiped and the day used again. */
export function rehearsalUseCases(ctx: ForumDaysContext) {
  const { db, questions, requireModerator, loadDay, announceChange } = ctx

  return {
    /** Deletes every question (with messages, transitions, drafts, idempotency records and events) of a rehearsal day. */
    async wipeRehearsal(actor: Actor, id: string) {
      requireModerator(actor)
      return db.transaction().execute(async (trx) => {
        const day = await loadDay(trx, id, actor, true)
        if (!day.rehearsal) throw new DomainError('NOT_A_REHEARSAL', 409, 'Only a rehearsal forum day can be wiped')
        const result = await questions.wipeDay(trx, id)
        await announceChange(trx, day, 'rehearsal_wiped')
        return { forumDayId: id, ...result }
      })
    },
  }
}
