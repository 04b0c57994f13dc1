import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import type { Clock } from '../shared/clock.js'
import { holdLease } from '../shared/lease.js'
import { mailOutboxRepository } from './outbox.js'
import type { MailTransport } from './transport.js'

export interface MailWorkerOptions {
  db: Kysely<Database>
  clock: Clock
  transport: MailTransport
  from: string
  log: FastifyBaseLogger
  batchSize?: number
  leaseMs?: number
}

const LEASE_KEY = 'mail_outbox_sender'
const MAX_BACKOFF_MS = 60 * 60_000

/** 30 s, 1 min, 2 min... capped at an hour: an outage of any length delays mail and loses none. */
export const mailBackoffMs = (attempts: number) => Math.min(MAX_BACKOFF_MS, 15_000 * 2 ** Math.max(1, attempts))

/**
 * Sends the outbox. One sender at a time across instances (a lease renewed per message, so a
 * slow relay never lets a second instance send the same row); no transaction is held while the
 * SMTP server works. A message is marked sent only once the server accepted it.
 */
export function createMailWorker(options: MailWorkerOptions) {
  const { db, clock, transport, log } = options
  const batchSize = options.batchSize ?? 50
  const leaseMs = options.leaseMs ?? 60_000
  const holder = randomUUID()
  const repo = mailOutboxRepository(db)
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined
  let failing = false

  async function sendDue(): Promise<{ sent: number; failed: number }> {
    const result = { sent: 0, failed: 0 }
    for (const mail of await repo.due(clock.now(), batchSize)) {
      if (!(await holdLease(db, clock, LEASE_KEY, holder, leaseMs))) break
      try {
        await transport.send({
          messageId: `<outbox-${mail.id}@forum-telematico>`,
          from: options.from,
          to: mail.recipient,
          subject: mail.subject,
          text: mail.textBody ?? '',
          html: mail.htmlBody ?? '',
        })
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        await repo.markFailed(mail.id, message, new Date(clock.now().getTime() + mailBackoffMs(mail.attempts + 1)))
        // One line when sending starts failing, not one per message.
        if (!failing) log.warn({ err: message, transport: transport.kind }, 'mail could not be sent; queued messages will be retried')
        failing = true
        result.failed++
        // The relay is likely down for the others too: wait for the next round.
        break
      }
      await repo.markSent(mail.id, clock.now())
      if (failing) log.info({ transport: transport.kind }, 'mail is being sent again')
      failing = false
      result.sent++
    }
    return result
  }

  /** Sends what is due; concurrent calls are serialised. */
  function drain(): Promise<{ sent: number; failed: number }> {
    const previous = running
    const current = (async () => {
      await previous?.catch(() => undefined)
      if (!(await holdLease(db, clock, LEASE_KEY, holder, leaseMs))) return { sent: 0, failed: 0 }
      return sendDue()
    })()
    running = current
    return current
  }

  return {
    drain,
    start(intervalMs: number) {
      const tick = () => {
        drain()
          .catch((err: unknown) => log.warn({ err }, 'mail outbox round failed'))
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs).unref()
          })
      }
      timer = setTimeout(tick, 0).unref()
    },
    async stop() {
      const t = timer
      timer = undefined
      if (t) clearTimeout(t)
      await running?.catch(() => undefined)
      transport.close()
    },
  }
}

export type MailWorker = ReturnType<typeof createMailWorker>
