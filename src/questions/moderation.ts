import type { Actor } from '../accounts/actor.js'
import { isModerator, requireExpert, requireModerator } from '../accounts/policy.js'
import type { QuestionDto } from './schemas.js'
import type { QuestionsContext } from './context.js'
import { invalidTransition } from './rules.js'
import { fromStates, partiesOf, permits } from './lifecycle.js'

/** The secretariat moderates: a duplicate of a published FAQ, a rejection. */
export function moderationUseCases(ctx: QuestionsContext) {
  const { db, forumDays, faqs, toDto, transition, load, requireHolder, releaseChanges } = ctx

  return {
    /** Closes a question as answered by a published FAQ; the asker sees the FAQ. */
    async markDuplicate(actor: Actor, id: string, input: { faq: string; note?: string }): Promise<QuestionDto> {
      const user = requireExpert(actor)
      const faq = faqs ? await faqs.findPublishedForDuplicate(actor, input.faq) : undefined
      return db.transaction().execute(async (trx) => {
        const q = await load(trx, user, id)
        // Another expert's claim answers NOT_CLAIM_HOLDER; any other refusal is the state's.
        if (q.state === 'claimed' && !isModerator(user)) requireHolder(q, user, 'mark_duplicate')
        if (!permits('duplicate', q.state, partiesOf(user, q))) throw invalidTransition(q, 'mark_duplicate')
        const reference = faq?.slug ?? input.faq
        const updated = await transition(trx, q, 'duplicate', user, { ...releaseChanges, duplicateOfFaq: reference }, {
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
        if (!fromStates('rejected').includes(q.state)) throw invalidTransition(q, 'reject')
        const updated = await transition(trx, q, 'rejected', moderator, { ...releaseChanges, rejectionReason: reason }, {
          note: reason,
          eventExtra: { reason },
        })
        await forumDays.publishCounters(trx, q.forumDayId)
        return toDto(updated)
      })
    },
  }
}
