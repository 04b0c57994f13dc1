import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'

/** Environment variables are strings: turn "true"/"1"/"yes" into booleans and reject the rest. */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

const port = z.coerce
  .number({ message: 'expected a port number' })
  .int('expected a whole number')
  .min(0, 'expected a port between 0 and 65535')
  .max(65535, 'expected a port between 0 and 65535')

const positiveInt = (what: string) => z.coerce.number({ message: `expected ${what}` }).int(`expected ${what}`).positive(`expected ${what}`)

const postgresUrl = z
  .url({ message: 'expected a postgres:// or postgresql:// URL' })
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'expected a postgres:// or postgresql:// URL')

const httpUrl = z
  .url({ message: 'expected an http:// or https:// URL' })
  .refine((value) => /^https?:\/\//.test(value), 'expected an http:// or https:// URL')

/** Empty strings count as unset, so `FOO=` in a compose file means "use the default". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional())

/** Every environment variable the service reads; the README's configuration table mirrors it. */
const EnvSchema = z.object({
  PORT: optional(port).default(3000),
  HOST: optional(z.string().min(1)).default('127.0.0.1'),
  DATABASE_URL: optional(postgresUrl),
  DATABASE_POOL_MAX: optional(positiveInt('a positive whole number of connections')).default(10),
  DATABASE_STARTUP_WAIT_SECONDS: optional(
    z.coerce.number({ message: 'expected a number of seconds (0 starts without waiting)' }).int('expected a whole number of seconds').min(0, 'expected 0 or more seconds'),
  ).default(60),
  DATA_DIR: optional(z.string().min(1)).default('./data'),
  MIGRATE_ON_START: optional(booleanFlag),
  DEMO_DATA: optional(booleanFlag),
  MEILI_HOST: optional(httpUrl),
  MEILI_MASTER_KEY: optional(z.string().min(16, 'expected a key of at least 16 characters')),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])).default('info'),
  LOG_FORMAT: optional(z.enum(['auto', 'json', 'pretty'])).default('auto'),
  BODY_LIMIT_BYTES: optional(positiveInt('a positive number of bytes')).default(256 * 1024),
  TRUST_PROXY: optional(booleanFlag).default(false),
  PUBLIC_ORIGIN: optional(httpUrl),
  COOKIE_SECURE: optional(booleanFlag).default(false),
  SESSION_IDLE_MINUTES: optional(positiveInt('a positive number of minutes')).default(120),
  SESSION_ABSOLUTE_HOURS: optional(positiveInt('a positive number of hours')).default(12),
  INVITATION_TTL_HOURS: optional(positiveInt('a positive number of hours')).default(72),
  PASSWORD_RESET_TTL_MINUTES: optional(positiveInt('a positive number of minutes')).default(60),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: optional(positiveInt('a positive number of failures')).default(5),
  LOGIN_MAX_FAILURES_NEW_ADDRESSES: optional(positiveInt('a positive number of failures')).default(20),
  LOGIN_MAX_FAILURES_PER_IP: optional(positiveInt('a positive number of failures')).default(50),
  LOGIN_THROTTLE_WINDOW_MINUTES: optional(positiveInt('a positive number of minutes')).default(15),
  CLAIM_LEASE_MINUTES: optional(positiveInt('a positive number of minutes')).default(30),
  SHUTDOWN_GRACE_MS: optional(positiveInt('a positive number of milliseconds')).default(10_000),
  SEARCH_INDEXING_INTERVAL_MS: optional(
    z.coerce.number({ message: 'expected a number of milliseconds (0 turns the background indexer off)' }).int().min(0, 'expected 0 or more milliseconds'),
  ).default(2_000),
  SEARCH_CACHE_MS: optional(
    z.coerce.number({ message: 'expected a number of milliseconds (0 turns the search cache off)' }).int().min(0, 'expected 0 or more milliseconds').max(60_000, 'expected at most 60000 milliseconds'),
  ).default(2_000),
  SMTP_URL: optional(
    z.url({ protocol: /^smtps?$/, message: 'expected an smtp:// or smtps:// URL, e.g. smtp://user:password@relay.example.it:587' }),
  ),
  MAIL_FROM: optional(z.string().min(3)).default('Forum telematico ANCI <forum@localhost>'),
  MAILBOX_DIR: optional(z.string().min(1)),
  MAIL_INTERVAL_MS: optional(
    z.coerce.number({ message: 'expected a number of milliseconds (0 turns the mail sender off)' }).int().min(0, 'expected 0 or more milliseconds'),
  ).default(5_000),
  REALTIME_HEARTBEAT_MS: optional(positiveInt('a positive number of milliseconds')).default(30_000),
  REALTIME_MAX_BUFFERED_BYTES: optional(positiveInt('a positive number of bytes')).default(1024 * 1024),
  REALTIME_POLL_MS: optional(positiveInt('a positive number of milliseconds')).default(1_000),
  EVENT_RETENTION_DAYS: optional(positiveInt('a positive number of days')).default(30),
  SCHEDULER_INTERVAL_MS: optional(
    z.coerce.number({ message: 'expected a number of milliseconds (0 turns the scheduler off)' }).int().min(0, 'expected 0 or more milliseconds'),
  ).default(5_000),
})

export type Env = z.input<typeof EnvSchema>

/** Values that may carry credentials are never echoed back in error messages. */
const SECRET_KEYS = new Set(['DATABASE_URL', 'MEILI_MASTER_KEY', 'SMTP_URL'])

export interface Config {
  http: { host: string; port: number; bodyLimit: number; trustProxy: boolean; publicOrigin: string }
  database: DatabaseConfig
  /** How long start-up waits for an unreachable database server before giving up; 0: start without waiting. */
  databaseStartupWaitMs: number
  /** Run pending migrations at start: on by default in embedded mode, where nobody else would. */
  migrateOnStart: boolean
  /** Load demo data into an empty database at start: on by default in embedded mode. */
  demoData: boolean
  search: { meilisearch?: { host: string; apiKey?: string } }
  log: { level: string; format: 'auto' | 'json' | 'pretty' }
  sessions: { cookieSecure: boolean; idleMinutes: number; absoluteHours: number }
  accounts: {
    invitationTtlHours: number
    passwordResetTtlMinutes: number
    /** Login throttling (src/accounts/login-throttle.ts): free failures per account and address. */
    loginMaxFailuresPerAccount: number
    /** Free failures per account from addresses that never signed in to it. */
    loginMaxFailuresPerAccountFromNewAddresses: number
    /** Failures per address, across accounts, before that address loses its free failures. */
    loginMaxFailuresPerIp: number
    /** Counters are forgotten this long after their last failure; also the longest wait. */
    loginThrottleWindowMinutes: number
  }
  /** How long an expert's claim on a question lasts without renewal. */
  questions: { claimLeaseMinutes: number }
  /** How often the search outbox is drained into the index; 0: only when asked (tests). */
  searchIndexingIntervalMs: number
  /** How long identical searches reuse an answer (search/cached-search-index.ts); 0: never. */
  searchCacheMs: number
  /**
   * E-mail: through `smtpUrl` when set, otherwise written as .eml files into `mailboxDir`;
   * the outbox is sent every `intervalMs` (0: only when asked, tests).
   */
  mail: { smtpUrl?: string; from: string; mailboxDir: string; intervalMs: number }
  realtime: {
    /** Ping interval; a socket that missed one ping is cut, sessions are re-checked as often. */
    heartbeatMs: number
    /** Unsent bytes a socket may hold before it is closed as a slow consumer. */
    maxBufferedBytes: number
    /** Fallback read interval of the event log, should a notification be lost. */
    pollMs: number
    /** Events older than this are deleted; resuming from before them asks the client to reload. */
    retentionDays: number
  }
  /** Background jobs (forum day announcements, lease expiry, retention); 0: only when asked (tests). */
  schedulerIntervalMs: number
  shutdownGraceMs: number
}

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolMax: number }
  /**
   * `dataDir` is a folder, or `memory://` for a throwaway in-memory database. `startFrom`: a
   * data directory dumped by PGlite (tar, gzip allowed) that a new database starts as; tests use
   * a migrated one instead of migrating each database. `settings`: PostgreSQL settings given at
   * start (`-c name=value`); tests start hundreds of small databases with small shared buffers.
   */
  | { kind: 'pglite'; dataDir: string; startFrom?: string; settings?: Record<string, string> }

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** The only reader of the environment. Every bad variable is reported at once, by name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '(environment)')
        const got = SECRET_KEYS.has(key) ? 'value hidden' : `got ${JSON.stringify(env[key])}`
        return `${key}: ${issue.message} (${got})`
      }),
    )
  }
  const e = parsed.data
  const embedded = e.DATABASE_URL === undefined
  if (e.MEILI_HOST === undefined && e.MEILI_MASTER_KEY !== undefined) {
    throw new ConfigError(['MEILI_MASTER_KEY: set without MEILI_HOST; set both to use Meilisearch'])
  }
  return {
    http: {
      host: e.HOST,
      port: e.PORT,
      bodyLimit: e.BODY_LIMIT_BYTES,
      trustProxy: e.TRUST_PROXY,
      publicOrigin: e.PUBLIC_ORIGIN ?? `http://localhost:${e.PORT}`,
    },
    database: embedded
      ? { kind: 'pglite', dataDir: e.DATA_DIR }
      : { kind: 'postgres', url: e.DATABASE_URL as string, poolMax: e.DATABASE_POOL_MAX },
    databaseStartupWaitMs: e.DATABASE_STARTUP_WAIT_SECONDS * 1000,
    migrateOnStart: e.MIGRATE_ON_START ?? embedded,
    demoData: e.DEMO_DATA ?? embedded,
    search: e.MEILI_HOST ? { meilisearch: { host: e.MEILI_HOST, apiKey: e.MEILI_MASTER_KEY } } : {},
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    sessions: { cookieSecure: e.COOKIE_SECURE, idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    accounts: {
      invitationTtlHours: e.INVITATION_TTL_HOURS,
      passwordResetTtlMinutes: e.PASSWORD_RESET_TTL_MINUTES,
      loginMaxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      loginMaxFailuresPerAccountFromNewAddresses: e.LOGIN_MAX_FAILURES_NEW_ADDRESSES,
      loginMaxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      loginThrottleWindowMinutes: e.LOGIN_THROTTLE_WINDOW_MINUTES,
    },
    questions: { claimLeaseMinutes: e.CLAIM_LEASE_MINUTES },
    searchIndexingIntervalMs: e.SEARCH_INDEXING_INTERVAL_MS,
    searchCacheMs: e.SEARCH_CACHE_MS,
    mail: {
      ...(e.SMTP_URL && { smtpUrl: e.SMTP_URL }),
      from: e.MAIL_FROM,
      mailboxDir: e.MAILBOX_DIR ?? join(e.DATA_DIR === 'memory://' ? tmpdir() : e.DATA_DIR, 'mailbox'),
      intervalMs: e.MAIL_INTERVAL_MS,
    },
    realtime: {
      heartbeatMs: e.REALTIME_HEARTBEAT_MS,
      maxBufferedBytes: e.REALTIME_MAX_BUFFERED_BYTES,
      pollMs: e.REALTIME_POLL_MS,
      retentionDays: e.EVENT_RETENTION_DAYS,
    },
    schedulerIntervalMs: e.SCHEDULER_INTERVAL_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  }
}
