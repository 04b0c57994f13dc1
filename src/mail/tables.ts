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
