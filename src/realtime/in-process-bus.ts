import type { PGlite } from '@electric-sql/pglite'
import { EVENTS_NOTIFY_CHANNEL } from '../events/event-log.js'
import type { EventBus } from './event-bus.js'

/**
 * Embedded mode: one process owns the database, so the wake-up never leaves it. PGlite delivers
 * the same NOTIFY that appendEvent sends at commit to listeners in this process.
 */
export function inProcessBus(pglite: PGlite): EventBus {
  let unlisten: (() => Promise<void>) | undefined
  return {
    async start(onWake) {
      unlisten = await pglite.listen(EVENTS_NOTIFY_CHANNEL, () => onWake())
      onWake()
    },
    async stop() {
      await unlisten?.().catch(() => undefined)
      unlisten = undefined
    },
  }
}
