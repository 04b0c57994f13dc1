import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { appendEvent, channel, type EventInStatement } from '../events/event-log.js'
import type { ForumDaysContext } from './context.js'
import * as repo from './repository.js'
import type { DayCounts, DayCountsInStatement } from './ports.js'
import type { ForumDayRow } from './repository.js'
import { dayAudience, windowOf } from './rules.js'

/** What the realtime subscribers hear of a day beyond its edits: openings, closings, counters. */
export function announcementUseCases(ctx: ForumDaysContext) {
  const { db, clock, questions, listChanged } = ctx

  return {
    /**
     * Announces, once, every opening and closing whose instant has passed (also those missed while
     * the app was down). Safe to call from several instances: each announcement is a conditional
     * update, so exactly one caller writes its event. Meant for the realtime module's scheduler.
     */
    async announceDueTransitions(): Promise<Array<{ forumDayId: string; kind: 'opened' | 'closed' }>> {
      const now = clock.now()
      const due = await repo.dueAnnouncements(db, now)
      const announced: Array<{ forumDayId: string; kind: 'opened' | 'closed' }> = []
      for (const day of due) {
        await db.transaction().execute(async (trx) => {
          for (const kind of ['opened', 'closed'] as const) {
            const instant = kind === 'opened' ? day.opensAt : day.closesAt
            if (instant > now || !(await repo.markAnnounced(trx, day.id, kind, now))) continue
            await appendEvent(trx, {
              type: `forum_day.${kind}`,
              payload: { forumDayId: day.id, title: day.title, ...windowOf(day), rehearsal: day.rehearsal, at: instant.toISOString() },
              channels: [channel.forumDay(day.id)],
              audience: dayAudience(day),
            })
            announced.push({ forumDayId: day.id, kind })
          }
        })
      }
      return announced
    },

    /** The next instant at which some forum day opens or closes (for the scheduler's timer). */
    async nextTransitionAfter(instant: Date): Promise<Date | undefined> {
      return repo.nextTransitionAfter(db, instant)
    },

    /** Public counters of a day, as an event every subscriber of the day's channel may receive. */
    async publishCounters(trx: Kysely<Database>, forumDayId: string): Promise<void> {
      listChanged(trx)
      const day = await repo.findForumDay(trx, forumDayId)
      if (!day) return
      const counts = (await questions.countsByDay(trx, [forumDayId])).get(forumDayId) ?? { questions: 0, answered: 0, open: 0 }
      await appendEvent(trx, countersEvent(forumDayId, day, counts, clock.now()))
    },

    /**
     * The counters event of publishCounters for a statement in `trx` that reads the counts itself
     * and appends the event in the same round trip (insertEvent): submission, at the peak. The
     * counters change, so the cached forum-day list goes as with publishCounters.
     */
    countersEventInStatement(trx: Kysely<Database>, forumDayId: string, day: Pick<ForumDayRow, 'rehearsal'>, counts: DayCountsInStatement): EventInStatement {
      listChanged(trx)
      return countersEvent(forumDayId, day, counts, clock.now())
    },
  }
}

/** A day's public counters as an event, the counts known or computed by the writing statement. */
function countersEvent(forumDayId: string, day: Pick<ForumDayRow, 'rehearsal'>, counts: DayCounts | DayCountsInStatement, at: Date) {
  return {
    type: 'forum_day.counters',
    payload: { forumDayId, ...counts, at: at.toISOString() },
    channels: [channel.forumDay(forumDayId)],
    audience: dayAudience(day),
  }
}
