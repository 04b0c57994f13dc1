import type { Kysely } from 'kysely'
import { isUser, type Actor } from '../accounts/actor.js'
import type { Database } from '../db/database.js'
import type { ForumDaysContext, ListAnswer } from './context.js'
import * as repo from './repository.js'
import type { EditionRow, ForumDayRow } from './repository.js'
import { dayState, type ForumDayState } from './rules.js'
import { ForumDayList, type ForumDayDto } from './schemas.js'

type ListFilter = { state?: ForumDayState; editionId?: string }

/** Forum days as everyone reads them (rehearsals for signed-in people only), and as other modules look them up. */
export function readingUseCases(ctx: ForumDaysContext) {
  const { db, clock, questions, dayDto, loadEdition, loadDay, toDayDto, listCache } = ctx

  /**
   * The list's answer, kept with the cached rows for as long as they and every listed day's state
   * stay the same: at a peak most reads then cost a state check per day.
   */
  async function answer(actor: Actor, filter: ListFilter): Promise<ListAnswer> {
    const includeRehearsals = isUser(actor)
    const entry = await listCache.get(`${includeRehearsals}:${filter.editionId ?? ''}`, async () => {
      const days = await repo.listForumDaysWithEditions(db, { editionId: filter.editionId, includeRehearsals })
      return { days, counts: await questions.countsByDay(db, days.map((d) => d.id)), answers: new Map<string, ListAnswer>() }
    })
    const now = clock.now()
    const states = entry.days.map((d) => dayState(d, now))
    const key = `${filter.state ?? ''}:${states.join()}`
    let cached = entry.answers.get(key)
    if (!cached) {
      const days = entry.days
        .filter((_, i) => !filter.state || states[i] === filter.state)
        .map((d) => dayDto(d, { name: d.editionName, themes: d.editionThemes }, entry.counts.get(d.id), now))
      entry.answers.set(key, (cached = { days }))
    }
    return cached
  }

  return {
    /** Forum days in opening order, each with its state by the server clock and its counts. */
    async list(actor: Actor, filter: ListFilter): Promise<ForumDayDto[]> {
      return [...(await answer(actor, filter)).days]
    },

    /**
     * The same list as JSON, for the API at a peak: made and checked against the response schema
     * once per cached answer, not once per request (the schema check and the serialization were
     * most of the list's CPU time).
     */
    async listJson(actor: Actor, filter: ListFilter): Promise<string> {
      const cached = await answer(actor, filter)
      return (cached.json ??= JSON.stringify(ForumDayList.encode([...cached.days])))
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
