import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import type { Clock } from '../shared/clock.js'
import type { MailMessage } from './templates.js'

/** One message to one person, named by the change it reports (see the migration). */
export interface QueuedMail {
  /** The change and the recipient, e.g. `invitation:<id>`: queuing it again changes nothing. */
  dedupeKey: string
  to: string
  message: MailMessage
}

export interface DueMail {
  id: number
  recipient: string
  subject: string
  textBody: string | null
  htmlBody: string | null
  attempts: number
}

/**
 * Queues messages in the caller's transaction: they are sent if, and only if, the change commits.
 * Other modules call this; only the mail module reads the table.
 */
export async function queueMail(trx: Kysely<Database>, clock: Clock, mails: QueuedMail[]): Promise<void> {
  if (mails.length === 0) return
  const now = clock.now()
  await trx
    .insertInto('mailOutbox')
    .values(
      mails.map((m) => ({
        dedupeKey: m.dedupeKey,
        recipient: m.to,
        subject: m.message.subject,
        textBody: m.message.text,
        htmlBody: m.message.html,
        createdAt: now,
        nextAttemptAt: now,
      })),
    )
    .onConflict((oc) => oc.column('dedupeKey').doNothing())
    .execute()
}

export const mailOutboxRepository = (db: Kysely<Database>) => ({
  async due(now: Date, limit: number): Promise<DueMail[]> {
    return db
      .selectFrom('mailOutbox')
      .select(['id', 'recipient', 'subject', 'textBody', 'htmlBody', 'attempts'])
      .where('sentAt', 'is', null)
      .where('nextAttemptAt', '<=', now)
      .orderBy('nextAttemptAt')
      .orderBy('id')
      .limit(limit)
      .execute()
  },

  /** Sent: the bodies go, as they may hold one-time links; the row stays as the record. */
  async markSent(id: number, now: Date): Promise<void> {
    await db.updateTable('mailOutbox').set({ sentAt: now, textBody: null, htmlBody: null, lastError: null }).where('id', '=', id).execute()
  },

  async markFailed(id: number, error: string, nextAttemptAt: Date): Promise<void> {
    await db
      .updateTable('mailOutbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), lastError: error.slice(0, 500), nextAttemptAt }))
      .where('id', '=', id)
      .execute()
  },

  async pendingCount(): Promise<number> {
    const row = await db.selectFrom('mailOutbox').select((eb) => eb.fn.countAll<number>().as('n')).where('sentAt', 'is', null).executeTakeFirstOrThrow()
    return Number(row.n)
  },
})
