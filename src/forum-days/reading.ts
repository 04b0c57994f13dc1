import type { Kysely } from 'kysely'
import { isUser, type Actor } from '../accounts/actor.js'
import type { Database } from '../db/database.js'
import type { ForumDaysContext } from './context.js'
import * as repo from './repository.js'
import type { EditionRow, ForumDayRow } from './repository.js'
import { dayState, type ForumDayState } from './rules.js'
import type { ForumDayDto } from './schemas.js'

/** Forum days as everyone reads them (rehearsals for signed-in people only), and as other modules look them up. */
export function readingUseCases(ctx: ForumDaysContext) {
  const { db, clock, questions, dayDto, loadEdition, loadDay, toDayDto, listCache } = ctx

  return {
    async list(actor: Actor, filter: { state?: ForumDayState; editionId?: string }): Promise<ForumDayDto[]> {
      const includeRehearsals = isUser(actor)
      const { days, counts } = await listCache.get(`${includeRehearsals}:${filter.editionId ?? ''}`, async () => {
        const days = await repo.listForumDaysWithEditions(db, { editionId: filter.editionId, includeRehearsals })
        return { days, counts: await questions.countsByDay(db, days.map((d) => d.id)) }
      })
      const now = clock.now()
      return days
        .filter((d) => !filter.state || dayState(d, now) === filter.state)
        .map((d) => dayDto(d, { name: d.editionName, themes: d.editionThemes }, counts.get(d.id), now))
    },

    /** For the realtime module: one lookup, throws 404 unless the actor may see the day. */
    async assertVisible(actor: Actor, id: string): Promise<void> {
      await loadDay(db, id, actor)
    },

    async get(actor: Actor, id: string): Promise<ForumDayDto> {
      return toDayDto(db, await loadDay(db, id, actor))
    },

    /** Real (not rehearsal), not cancelled days opening after `from` and no later than `to`. */
    async daysOpeningBetween(from: Date, to: Date): Promise<Array<{ id: string; editionId: string; title: string; opensAt: Date; closesAt: Date }>> {
      return (await repo.daysOpeningBetween(db, from, to)).map((d) => ({ id: d.id, editionId: d.editionId, title: d.title, opensAt: d.opensAt, closesAt: d.closesAt }))
    },

    // ---- for the questions module (inside its transaction) ----
    /**
     * The day and its edition, read in the caller's transaction; 404 if absent or hidden. No row
     * lock: every submission of a day reads it, and a lock would queue them all behind each other
     * (the cap check has its own per-organization lock, statements.ts).
     */
    async dayForQuestion(trx: Kysely<Database>, actor: Actor, id: string): Promise<ForumDayRow & { edition: EditionRow }> {
      const day = await loadDay(trx, id, actor)
      return { ...day, edition: await loadEdition(trx, day.editionId) }
    },

    async findDay(trx: Kysely<Database>, id: string): Promise<ForumDayRow | undefined> {
      return repo.findForumDay(trx, id)
    },
  }
}
