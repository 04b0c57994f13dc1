import type { Generated } from 'kysely'

export interface MailOutboxTable {
  id: Generated<number>
  dedupeKey: string
  recipient: string
  subject: string
  textBody: string | null
  htmlBody: string | null
  createdAt: Date
  nextAttemptAt: Date
  attempts: Generated<number>
  lastError: string | null
  sentAt: Date | null
}

/** Days whose reminders were queued (see reminders.ts). */
export interface ForumDayRemindersTable {
  forumDayId: string
  queuedAt: Date
  recipients: number
}
