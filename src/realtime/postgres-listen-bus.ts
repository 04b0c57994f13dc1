import type { FastifyBaseLogger } from 'fastify'
import pg from 'pg'
import { EVENTS_NOTIFY_CHANNEL } from '../events/event-log.js'
import type { EventBus } from './event-bus.js'

/**
 * LISTEN/NOTIFY on a server database: a commit on any instance wakes every instance. One
 * dedicated connection (outside the pool, which would hand it to queries); when it drops, it is
 * reopened with backoff and the reader is woken to catch up on whatever it missed meanwhile.
 */
export function postgresListenBus(connectionString: string, log: FastifyBaseLogger): EventBus {
  let client: pg.Client | undefined
  let stopped = false
  let retryTimer: NodeJS.Timeout | undefined
  let failures = 0

  async function connect(onWake: () => void): Promise<void> {
    const next = new pg.Client({ connectionString })
    next.on('notification', () => onWake())
    next.on('error', (err) => {
      log.warn({ err }, 'event bus connection lost; reconnecting')
      void next.end().catch(() => undefined)
      if (client === next) client = undefined
      schedule(onWake)
    })
    await next.connect()
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

  return {
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
