import type { FastifyBaseLogger } from 'fastify'
import pg from 'pg'
import { EVENTS_NOTIFY_CHANNEL } from '../events/event-log.js'
import type { EventBus } from './event-bus.js'

/** How the bus's connection shows in pg_stat_activity. */
export const EVENT_BUS_APPLICATION_NAME = 'forum-telematico event bus'

/**
 * LISTEN/NOTIFY on a server database: a commit on any instance wakes every instance. One
 * dedicated connection (outside the pool, which would hand it to queries); when it drops, it is
 * reopened with backoff and the reader is woken to catch up on whatever it missed meanwhile.
 *
 * The same connection announces this instance's commits: one NOTIFY per burst of commits, sent
 * after them from outside any writing transaction (see appendEvent), so writers never queue on
 * PostgreSQL's notification lock. Its own notifications come back to it and are ignored.
 */
export function postgresListenBus(connectionString: string, log: FastifyBaseLogger): EventBus {
  let client: pg.Client | undefined
  let stopped = false
  let retryTimer: NodeJS.Timeout | undefined
  let failures = 0
  let announcing = false
  let announceAgain = false

  async function connect(onWake: () => void): Promise<void> {
    const next = new pg.Client({ connectionString, application_name: EVENT_BUS_APPLICATION_NAME })
    next.on('error', (err) => {
      log.warn({ err }, 'event bus connection lost; reconnecting')
      void next.end().catch(() => undefined)
      if (client === next) client = undefined
      schedule(onWake)
    })
    await next.connect()
    const ownPid = (await next.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid
    next.on('notification', (message) => {
      if (message.processId !== ownPid) onWake()
    })
    await next.query(`listen ${EVENTS_NOTIFY_CHANNEL}`)
    if (stopped) {
      await next.end()
      return
    }
    client = next
    failures = 0
    // Anything committed while we were not listening.
    onWake()
  }

  function schedule(onWake: () => void): void {
    if (stopped || retryTimer) return
    const delay = Math.min(30_000, 250 * 2 ** failures++)
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      connect(onWake).catch((err: unknown) => {
        log.warn({ err }, 'event bus could not reconnect')
        schedule(onWake)
      })
    }, delay)
    retryTimer.unref()
  }

  /** Sends one NOTIFY; commits meanwhile get one more after it (the first may reach a reader too early). */
  async function sendAnnouncements(): Promise<void> {
    do {
      announceAgain = false
      // Without a connection the others find the events at their next poll.
      await client?.query(`notify ${EVENTS_NOTIFY_CHANNEL}`).catch((err: unknown) => log.debug({ err }, 'commit announcement failed'))
    } while (announceAgain && !stopped)
    announcing = false
  }

  return {
    announce() {
      if (stopped) return
      if (announcing) {
        announceAgain = true
        return
      }
      announcing = true
      // Commits finishing in the same turn of the event loop share one NOTIFY.
      setImmediate(() => void sendAnnouncements())
    },
    async start(onWake) {
      try {
        await connect(onWake)
      } catch (err) {
        // The reader still polls; keep trying to listen in the background.
        log.warn({ err }, 'event bus could not listen; polling until it can')
        schedule(onWake)
      }
    },
    async stop() {
      stopped = true
      clearTimeout(retryTimer)
      const current = client
      client = undefined
      await current?.end().catch(() => undefined)
    },
  }
}
