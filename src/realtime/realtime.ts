import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { DatabaseHandle } from '../db/connect.js'
import type { Database } from '../db/database.js'
import { onEventsCommitted } from '../events/event-log.js'
import type { ChannelChecks } from './access.js'
import type { EventBus } from './event-bus.js'
import { createEventReader } from './event-reader.js'
import { createHub } from './hub.js'
import { inProcessBus } from './in-process-bus.js'
import { CLOSE } from './messages.js'
import { postgresListenBus } from './postgres-listen-bus.js'
import { realtimeRepository } from './repository.js'

export interface RealtimeOptions {
  db: Kysely<Database>
  database: DatabaseHandle
  /** The server's URL when on PostgreSQL: the bus listens on its own connection. */
  databaseUrl?: string
  checks: ChannelChecks
  liveSessions: (sessionIds: string[]) => Promise<Set<string>>
  log: FastifyBaseLogger
  heartbeatMs: number
  maxBufferedBytes: number
  pollMs: number
}

/** The EventBus adapter for this database: LISTEN/NOTIFY on a server, in-process on PGlite. */
function selectBus(database: DatabaseHandle, url: string | undefined, log: FastifyBaseLogger): EventBus {
  if (database.pglite) return inProcessBus(database.pglite)
  if (!url) throw new Error('a server database needs its URL for LISTEN')
  return postgresListenBus(url, log)
}

/** The realtime module: event log reader, wake-up bus and WebSocket hub, started together. */
export async function createRealtime(options: RealtimeOptions) {
  const repo = realtimeRepository(options.db)
  let started: (() => void) | undefined
  const ready = new Promise<void>((resolve) => (started = resolve))
  const hub = createHub({
    repo,
    checks: options.checks,
    liveSessions: options.liveSessions,
    log: options.log,
    heartbeatMs: options.heartbeatMs,
    maxBufferedBytes: options.maxBufferedBytes,
    ready,
  })
  const reader = createEventReader({
    repo,
    deliver: hub.dispatch,
    onStart: (cursor) => {
      hub.startAt(cursor)
      started?.()
    },
    log: options.log,
    pollMs: options.pollMs,
  })
  const bus = selectBus(options.database, options.databaseUrl, options.log)
  await bus.start(() => reader.wake())
  // This instance's own commits wake its reader directly and are announced to the others.
  const unsubscribe = onEventsCommitted(options.db, () => {
    reader.wake()
    bus.announce()
  })
  hub.startHeartbeat()

  return {
    hub,
    reader,
    /** Delivers every event committed so far to the connected sockets (tests, benchmarks). */
    catchUp: () => reader.catchUp(),
    /** Deletes events older than `before`; clients resuming from before that are told to resync. */
    prune: (before: Date) => repo.prune(before),
    /** Shutdown: clients are told to reconnect elsewhere, then reading stops. */
    async stop() {
      hub.closeAll(CLOSE.goingAway, 'server shutting down')
      unsubscribe()
      await bus.stop()
      await reader.stop()
    },
  }
}

export type Realtime = Awaited<ReturnType<typeof createRealtime>>
