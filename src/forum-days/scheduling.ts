import type { Kysely } from 'kysely'
import type { z } from 'zod'
import type { Actor } from '../accounts/actor.js'
import type { Database } from '../db/database.js'
import { DomainError } from '../shared/errors.js'
import { checkVersion } from '../shared/versions.js'
import type { ForumDaysContext } from './context.js'
import * as repo from './repository.js'
import type { ForumDayRow } from './repository.js'
import { checkThemes, checkWindow, dayState, parseInstant, windowOf } from './rules.js'
import type { ForumDayDto, ForumDayPatch, NewForumDay } from './schemas.js'

/** The secretariat schedules forum days, moves their window while the clock allows, and cancels them. */
/**
 * Applies `changes` to a day its caller loaded FOR UPDATE in this transaction. The row is locked,
 * so its version cannot have moved: if it did, that is a bug, and the transaction fails (500)
 * rather than announce a change that was not made.
 */
async function updateLockedDay(trx: Kysely<Database>, day: ForumDayRow, changes: Parameters<typeof repo.updateForumDay>[3], now: Date): Promise<ForumDayRow> {
  const updated = await repo.updateForumDay(trx, day.id, day.version, changes, now)
  if (!updated) throw new Error(`forum day ${day.id} changed from version ${day.version} while its row was locked`)
  return updated
}

export function schedulingUseCases(ctx: ForumDaysContext) {
  const { db, clock, requireModerator, dayDto, loadEdition, loadDay, toDayDto, announceChange } = ctx

  return {
    async create(actor: Actor, input: z.infer<typeof NewForumDay>): Promise<ForumDayDto> {
      const moderator = requireModerator(actor)
      const opensAt = parseInstant(input.opensAt, 'opensAt')
      const closesAt = parseInstant(input.closesAt, 'closesAt')
      const answerDeadline = input.answerDeadline ? parseInstant(input.answerDeadline, 'answerDeadline') : closesAt
      checkWindow(opensAt, closesAt, answerDeadline)
      return db.transaction().execute(async (trx) => {
        const edition = await loadEdition(trx, input.editionId)
        checkThemes(edition, input.themes)
        const day = await repo.insertForumDay(trx, {
          editionId: edition.id,
          title: input.title,
          themes: [...new Set(input.themes)],
          opensAt,
          closesAt,
          answerDeadline,
          maxOpenQuestionsPerOrganization: input.maxOpenQuestionsPerOrganization ?? null,
          rehearsal: input.rehearsal,
          createdBy: moderator.userId,
          createdAt: clock.now(),
        })
        await announceChange(trx, day, 'created')
        return dayDto(day, edition, undefined, clock.now())
      })
    },

    async update(actor: Actor, id: string, input: z.infer<typeof ForumDayPatch>, expectedVersion?: number): Promise<ForumDayDto> {
      requireModerator(actor)
      return db.transaction().execute(async (trx) => {
        const day = await loadDay(trx, id, actor, true)
        checkVersion(day.version, expectedVersion)
        const now = clock.now()
        const state = dayState(day, now)
        if (state === 'cancelled') throw new DomainError('FORUM_DAY_CANCELLED', 409, 'A cancelled forum day cannot be edited', { state })
        const opensAt = input.opensAt !== undefined ? parseInstant(input.opensAt, 'opensAt') : day.opensAt
        const closesAt = input.closesAt !== undefined ? parseInstant(input.closesAt, 'closesAt') : day.closesAt
        // Extending the day without naming a deadline pushes the deadline along with the closing.
        const answerDeadline =
          input.answerDeadline !== undefined
            ? parseInstant(input.answerDeadline, 'answerDeadline')
            : new Date(Math.max(day.answerDeadline.getTime(), closesAt.getTime()))
        if (state !== 'upcoming' && opensAt.getTime() !== day.opensAt.getTime()) {
          throw new DomainError('FORUM_DAY_ALREADY_OPENED', 409, 'The forum day has already opened: its opening cannot move', { state, ...windowOf(day) })
        }
        if (state === 'closed' && closesAt.getTime() !== day.closesAt.getTime()) {
          throw new DomainError('FORUM_DAY_CLOSED', 409, 'The forum day has closed: its closing cannot move', { state, ...windowOf(day) })
        }
        checkWindow(opensAt, closesAt, answerDeadline)
        if (input.themes) checkThemes(await loadEdition(trx, day.editionId), input.themes)
        const updated = await updateLockedDay(
          trx,
          day,
          {
            ...(input.title !== undefined && { title: input.title }),
            ...(input.themes !== undefined && { themes: [...new Set(input.themes)] }),
            ...(input.maxOpenQuestionsPerOrganization !== undefined && { maxOpenQuestionsPerOrganization: input.maxOpenQuestionsPerOrganization }),
            opensAt,
            closesAt,
            answerDeadline,
          },
          now,
        )
        await announceChange(trx, updated, 'edited')
        return toDayDto(trx, updated)
      })
    },

    async cancel(actor: Actor, id: string, reason: string, expectedVersion?: number): Promise<ForumDayDto> {
      requireModerator(actor)
      return db.transaction().execute(async (trx) => {
        const day = await loadDay(trx, id, actor, true)
        checkVersion(day.version, expectedVersion)
        const now = clock.now()
        const state = dayState(day, now)
        if (state === 'cancelled') throw new DomainError('FORUM_DAY_CANCELLED', 409, 'The forum day is already cancelled', { state })
        if (state === 'closed') throw new DomainError('FORUM_DAY_CLOSED', 409, 'A forum day that has closed cannot be cancelled', { state, ...windowOf(day) })
        const updated = await updateLockedDay(trx, day, { cancelledAt: now, cancelReason: reason }, now)
        await announceChange(trx, updated, 'cancelled')
        return toDayDto(trx, updated)
      })
    },
  }
}
