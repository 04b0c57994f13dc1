import { readdir } from 'node:fs/promises'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import { mailboxTransport, smtpTransport, type MailTransport } from './transport.js'

/**
 * SMTP when configured; otherwise the local mailbox folder, announced at start with what it
 * already holds, and each new message logged with its file, so the demo shows its mail.
 */
export async function mailTransport(config: Config['mail'], log: FastifyBaseLogger): Promise<MailTransport> {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl)
  const existing = await readdir(config.mailboxDir).catch(() => [] as string[])
  const messages = existing.filter((name) => name.endsWith('.eml')).sort()
  log.info({ mailbox: config.mailboxDir, messages: messages.length, latest: messages.slice(-5) }, 'no SMTP_URL: e-mail is written to the mailbox folder')
  return mailboxTransport(config.mailboxDir, (file, mail) => log.info({ file, to: mail.to, subject: mail.subject }, 'e-mail written to the mailbox folder'))
}
