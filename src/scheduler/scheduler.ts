import type { FastifyBaseLogger } from 'fastify'
import type { Clock } from '../shared/clock.js'

export interface ScheduledJobs {
  /** Announces forum day openings and closings that are due (also those missed while down). */
  announceForumDays(): Promise<unknown>
  /** The next instant a forum day opens or closes, to wake exactly then. */
  nextForumDayTransition(after: Date): Promise<Date | undefined>
  expireLeases(): Promise<unknown>
  /** Queues the e-mail reminders of forum days opening within a day. */
  remindForumDays(): Promise<unknown>
  /** Hourly housekeeping: idempotency records, event retention. */
  housekeeping(): Promise<unknown>
}

const HOUR = 3_600_000
/** Timers beyond ~24 days overflow; we re-plan well before. */
const MAX_TIMER_MS = HOUR

/**
 * Runs the background jobs on every instance. Each job is safe to run concurrently (conditional
 * updates decide who writes), so no leader is needed; an instance that was down catches up on
 * its first tick.
 */
export function createScheduler({ jobs, clock, intervalMs, log }: { jobs: ScheduledJobs; clock: Clock; intervalMs: number; log: FastifyBaseLogger }) {
  let interval: NodeJS.Timeout | undefined
  let exact: NodeJS.Timeout | undefined
  let lastHousekeeping = 0
  let ticking: Promise<void> | undefined
  let stopped = false

  async function tick(): Promise<void> {
    await jobs.announceForumDays()
    await jobs.expireLeases()
    await jobs.remindForumDays()
    const now = clock.now().getTime()
    if (now - lastHousekeeping >= HOUR) {
      lastHousekeeping = now
      await jobs.housekeeping()
    }
  }

  function runTick(): Promise<void> {
    ticking ??= tick()
      .catch((err: unknown) => log.warn({ err }, 'scheduled jobs failed; retrying at the next tick'))
      .finally(() => {
        ticking = undefined
        void planExact()
      })
    return ticking
  }

  /** A timer at the next opening or closing, so announcements are not late by a whole interval. */
  async function planExact(): Promise<void> {
    if (stopped) return
    clearTimeout(exact)
    const now = clock.now()
    const next = await jobs.nextForumDayTransition(now).catch(() => undefined)
    if (!next || stopped) return
    exact = setTimeout(() => void runTick(), Math.min(MAX_TIMER_MS, Math.max(0, next.getTime() - now.getTime())))
    exact.unref()
  }

  return {
    /** One round of every job now (tests; also the first round at start). */
    tick: runTick,
    start(): void {
      void runTick()
      interval = setInterval(() => void runTick(), intervalMs)
      interval.unref()
    },
    async stop(): Promise<void> {
      stopped = true
      clearInterval(interval)
      clearTimeout(exact)
      await ticking
    },
  }
}
