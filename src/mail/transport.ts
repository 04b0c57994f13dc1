import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'

/** A message as the worker hands it to the transport. */
export interface OutgoingMail {
  /** Stable per outbox row: a receiving server can recognise a message sent again after a crash. */
  messageId: string
  from: string
  to: string
  subject: string
  text: string
  html: string
}

/** The mail port: SMTP in production, a local mailbox folder when no SMTP server is configured. */
export interface MailTransport {
  readonly kind: 'smtp' | 'mailbox'
  /** Resolves once the message is accepted; rejects when it was not. */
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

const toNodemailer = (mail: OutgoingMail) => ({ ...mail, messageId: mail.messageId, headers: { 'Auto-Submitted': 'auto-generated' } })

export function smtpTransport(url: string): MailTransport {
  // Connections are opened per message and time out quickly: a dead relay delays mail, it does
  // not hang the worker.
  const options = new URL(url)
  for (const [key, value] of Object.entries({ connectionTimeout: '10000', greetingTimeout: '10000', socketTimeout: '20000' })) {
    if (!options.searchParams.has(key)) options.searchParams.set(key, value)
  }
  const transporter = nodemailer.createTransport(options.toString())
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail(toNodemailer(mail))
    },
    close: () => transporter.close(),
  }
}

/**
 * Embedded mode has no mail server: each message is written as an .eml file (the same MIME
 * message SMTP would carry, built by nodemailer) that any mail client opens.
 */
export function mailboxTransport(folder: string, onWritten?: (file: string, mail: OutgoingMail) => void): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  return {
    kind: 'mailbox',
    async send(mail) {
      const info = await transporter.sendMail(toNodemailer(mail))
      await mkdir(folder, { recursive: true })
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^\w.-]/g, '')}.eml`
      const file = join(folder, name)
      await writeFile(file, info.message as Buffer)
      onWritten?.(file, mail)
    },
    close: () => undefined,
  }
}
