import type { FastifyBaseLogger } from 'fastify'
import { sql } from 'kysely'
import type { DatabaseHandle } from './connect.js'
import { isDatabaseUnavailable } from './unavailable.js'

export class DatabaseWaitError extends Error {
  constructor(waitedMs: number, cause: unknown) {
    super(`the database did not become reachable within ${Math.round(waitedMs / 1000)} s (DATABASE_STARTUP_WAIT_SECONDS)`, { cause })
    this.name = 'DatabaseWaitError'
  }
}

const FIRST_DELAY_MS = 250
const MAX_DELAY_MS = 5_000

/**
 * At start the database server may still be booting (compose, a restarted host): try again with
 * growing delays, one log line per attempt, for up to `maxWaitMs`. A failure that is not about
 * reaching the server (wrong password, no such database) is thrown at once: waiting cannot fix it.
 */
export async function waitForDatabase(
  database: DatabaseHandle,
  { maxWaitMs, log, now = Date.now }: { maxWaitMs: number; log: FastifyBaseLogger; now?: () => number },
): Promise<void> {
  // 0: start at once, as before; requests answer 503 until the database is reachable.
  if (database.kind !== 'postgres' || maxWaitMs === 0) return
  const started = now()
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`select 1`.execute(database.db)
      if (attempt > 1) log.info({ attempts: attempt, waitedMs: now() - started }, 'database reachable; starting')
      return
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err
      const waited = now() - started
      if (waited >= maxWaitMs) throw new DatabaseWaitError(waited, err)
      const retryInMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (attempt - 1), maxWaitMs - waited)
      const { code, message } = err as { code?: string; message?: string }
      log.warn({ attempt, retryInMs, code, reason: message }, 'waiting for the database')
      await new Promise((resolve) => setTimeout(resolve, retryInMs))
    }
  }
}
