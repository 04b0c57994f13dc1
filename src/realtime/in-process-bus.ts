import type { PGlite } from '@electric-sql/pglite'
import { EVENTS_NOTIFY_CHANNEL } from '../events/event-log.js'
import type { EventBus } from './event-bus.js'

/**
 * Embedded mode: one process owns the database, so there is nobody to announce commits to (the
 * writer wakes its reader directly). PGlite delivers the fallback NOTIFY that appendEvent sends
 * from a transaction without after-commit hooks to listeners in this process.
 */
export function inProcessBus(pglite: PGlite): EventBus {
  let unlisten: (() => Promise<void>) | undefined
  return {
    async start(onWake) {
      unlisten = await pglite.listen(EVENTS_NOTIFY_CHANNEL, () => onWake())
      onWake()
    },
    announce() {},
    async stop() {
      await unlisten?.().catch(() => undefined)
      unlisten = undefined
    },
  }
}
