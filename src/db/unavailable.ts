import type { FastifyBaseLogger } from 'fastify'

/** What a client is told to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5

/** Socket-level codes: the server is not there, or the connection to it died. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
/** PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (starting or stopping). */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03'])
/** node-postgres and pg-pool say these in words only. */
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed|database did not answer within/

/**
 * The one place that tells "the database is unreachable" (an outage: 503, retry later) from any
 * other failure (a bug: 500). Follows `cause` and AggregateError's `errors` (a refused connection
 * to `localhost` fails once per address family).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 5) return false
  const { code, message, cause, errors } = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown }
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true
  if (typeof message === 'string' && MESSAGES.test(message)) return true
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true
  return isDatabaseUnavailable(cause, depth + 1)
}

/** A short, stack-free description for the one log line an outage gets. */
function reasonOf(err: unknown): { code?: string; reason: string } {
  const { code, message } = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown }
  return { code: typeof code === 'string' ? code : undefined, reason: typeof message === 'string' && message !== '' ? message : String(err) }
}

/**
 * Whether the database is reachable, as the last failure or new connection saw it. Changes of state are
 * logged once each (down, back up), however many requests and background jobs meet the outage.
 */
export interface DatabaseAvailability {
  /** Records a failure; true when it is connection-level (the caller answers 503, logs nothing). */
  report(err: unknown): boolean
  /**
   * A connection succeeded. Only one begun after the outage was noticed proves it over: a
   * connection opened just before a shutdown can finish its handshake after the first failure.
   */
  up(connectionBegunAt: number): void
  readonly down: boolean
}

/**
 * When the connection that failed began, where known (pool clients mark their connect errors:
 * src/db/connect.ts).
 */
export const CONNECTION_BEGUN_AT = Symbol('connectionBegunAt')

const begunAtOf = (err: unknown): number | undefined =>
  typeof err === 'object' && err !== null && typeof (err as { [CONNECTION_BEGUN_AT]?: unknown })[CONNECTION_BEGUN_AT] === 'number'
    ? (err as { [CONNECTION_BEGUN_AT]: number })[CONNECTION_BEGUN_AT]
    : undefined

export function createDatabaseAvailability(log?: FastifyBaseLogger, now: () => number = Date.now): DatabaseAvailability {
  let downSince: number | undefined
  // When the connection that ended the last outage began.
  let upSince: number | undefined
  return {
    report(err) {
      if (!isDatabaseUnavailable(err)) return false
      // A connection begun before the database came back can fail after it did (refused while the
      // server was still starting, its answer read late): that is the last outage, not a new one.
      const begunAt = begunAtOf(err)
      if (downSince === undefined && upSince !== undefined && begunAt !== undefined && begunAt < upSince) return true
      if (downSince === undefined) {
        downSince = now()
        log?.error(reasonOf(err), 'database unreachable; answering 503 until it is back')
      }
      return true
    },
    up(connectionBegunAt) {
      if (downSince === undefined || connectionBegunAt <= downSince) return
      log?.info({ downForMs: now() - downSince }, 'database reachable again')
      downSince = undefined
      upSince = connectionBegunAt
    },
    get down() {
      return downSince !== undefined
    },
  }
}

type LogFn = FastifyBaseLogger['warn']

/**
 * The logger for background jobs (event reader, event bus, scheduler, search outbox): their
 * connection-level failures go to `availability`, which logs the outage once, instead of one
 * line per retry. Every other line passes through unchanged.
 */
export function quietDuringOutage(log: FastifyBaseLogger, availability: DatabaseAvailability): FastifyBaseLogger {
  const filtered =
    (method: LogFn): LogFn =>
    (...args: unknown[]) => {
      const first = args[0]
      if (typeof first === 'object' && first !== null && 'err' in first && availability.report(first.err)) return
      Reflect.apply(method, log, args)
    }
  const quiet = Object.create(log) as FastifyBaseLogger
  quiet.warn = filtered(log.warn)
  quiet.error = filtered(log.error)
  quiet.child = (...args: Parameters<FastifyBaseLogger['child']>) => quietDuringOutage(log.child(...args), availability)
  return quiet
}
