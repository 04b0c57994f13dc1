import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import type { Clock } from '../shared/clock.js'
import { queueMail } from './outbox.js'
import { mailTemplates } from './templates.js'

const DAY_MS = 24 * 3_600_000

export interface ReminderDeps {
  db: Kysely<Database>
  clock: Clock
  publicOrigin: string
  /** The forum-days module: real days opening in a window, and who may ask on them. */
  days: {
    daysOpeningBetween(from: Date, to: Date): Promise<Array<{ id: string; editionId: string; title: string; opensAt: Date; closesAt: Date }>>
    eligibleAmong(editionId: string, organizationIds: string[]): Promise<string[]>
  }
  /** The accounts module: who keeps the optional reminders. */
  people: {
    organizationsWithReminderContacts(): Promise<string[]>
    organizationContacts(organizationId: string, options: { remindersOnly: true }): Promise<Array<{ id: string; email: string }>>
  }
}

/**
 * The reminder the day before a forum day opens, to the staff of the organizations that may ask
 * on it (eligible by the edition's rule, enrolled where the rule asks for it). Run by every instance's scheduler: a day is claimed in `forum_day_reminders` in the same
 * transaction that queues its messages, so its reminders are queued once, all or none.
 */
export function createForumDayReminders(deps: ReminderDeps) {
  const { db, clock } = deps
  const origin = new URL(deps.publicOrigin).origin
  return {
    async queueDue(): Promise<Array<{ forumDayId: string; recipients: number }>> {
      const now = clock.now()
      const queued = []
      for (const day of await deps.days.daysOpeningBetween(now, new Date(now.getTime() + DAY_MS))) {
        const done = await db.selectFrom('forumDayReminders').select('forumDayId').where('forumDayId', '=', day.id).executeTakeFirst()
        if (done) continue
        // Only organizations with someone to tell are judged (by the edition's rule, enrollment included).
        const organizationIds = await deps.days.eligibleAmong(day.editionId, await deps.people.organizationsWithReminderContacts())
        const contacts = (await Promise.all(organizationIds.map((id) => deps.people.organizationContacts(id, { remindersOnly: true })))).flat()
        const message = mailTemplates.forumDayReminder({ title: day.title, opensAt: day.opensAt, closesAt: day.closesAt, url: `${origin}/il-mio-forum` })
        const claimed = await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('forumDayReminders')
            .values({ forumDayId: day.id, queuedAt: now, recipients: contacts.length })
            .onConflict((oc) => oc.column('forumDayId').doNothing())
            .returning('forumDayId')
            .executeTakeFirst()
          if (!row) return false
          await queueMail(trx, clock, contacts.map((c) => ({ dedupeKey: `forum-day-reminder:${day.id}:${c.id}`, to: c.email, message })))
          return true
        })
        if (claimed) queued.push({ forumDayId: day.id, recipients: contacts.length })
      }
      return queued
    },
  }
}
