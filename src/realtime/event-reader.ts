import type { FastifyBaseLogger } from 'fastify'
import { runningIn, type RealtimeRepository, type Snapshot, type StoredEvent } from './repository.js'

/**
 * Reads the event log in position order and never skips an event, although concurrent
 * transactions commit out of position order.
 *
 * Positions come from a sequence when the event is inserted, not when it commits: position 11
 * can be visible while position 10 is still inside an open transaction. The reader delivers only
 * a gap-free run of positions. At a gap it notes which transactions were in progress in the
 * snapshot that saw the gap (appendEvent takes its transaction id before drawing the position, so
 * the owner of the missing position is one of them) and waits until they have all finished: then
 * the position has either appeared or will never exist (rolled back, or skipped by the sequence).
 *
 * "In progress" is the snapshot's list AND every id at or above its xmax: xmax is one past the
 * latest completed transaction, so a transaction that took its id after it is running but
 * unlisted. Those ids are bounded by a horizon, a transaction id drawn after the snapshot.
 */
export interface EventReader {
  /** Resolves once the starting position is known to be gap-free. */
  readonly ready: Promise<void>
  /** Everything at or below this position has been delivered (or will never exist). */
  readonly cursor: number
  /** The missing position delivery is waiting on, while a transaction that may hold it is open. */
  readonly waitingAt: number | undefined
  /** Reads now (coalesced): called on every notification. */
  wake(): void
  /** Reads until nothing more can be delivered; resolves with the cursor (tests, shutdown). */
  catchUp(): Promise<number>
  stop(): Promise<void>
}

export interface EventReaderOptions {
  repo: RealtimeRepository
  deliver: (events: StoredEvent[]) => void
  /** Called once with the starting position, before any delivery. */
  onStart?: (cursor: number) => void
  log: FastifyBaseLogger
  /** Reads even without notifications this often, in case one was lost (ms). */
  pollMs: number
  batchSize?: number
  /** After this long waiting at a gap, the open transactions are logged (once per gap). */
  longWaitMs?: number
}

/**
 * The transactions that may still commit a position a snapshot did not show: those it listed,
 * and those it could not list, from its xmax up to (excluding) a horizon drawn after it.
 */
interface Suspects {
  listed: bigint[]
  unlistedFrom: bigint
  below: bigint
}

/** The suspects still running in a later snapshot; unlisted ones above its xmax are named by it. */
export function stillRunning(suspects: Suspects, now: Snapshot): bigint[] {
  const running = suspects.listed.filter((xid) => runningIn(now, xid))
  for (const xid of now.inProgress) if (xid >= suspects.unlistedFrom && xid < suspects.below && !running.includes(xid)) running.push(xid)
  const unknownFrom = now.xmax > suspects.unlistedFrom ? now.xmax : suspects.unlistedFrom
  if (unknownFrom < suspects.below) running.push(unknownFrom)
  return running
}

export function createEventReader({ repo, deliver, onStart, log, pollMs, batchSize = 200, longWaitMs = 10_000 }: EventReaderOptions): EventReader {
  let cursor = 0
  let stopped = false
  let running: Promise<void> | undefined
  let again = false
  /** The open gap: the first missing position and the transactions that may still fill it. */
  let gap: { position: number; suspects: Suspects; waitingFor: bigint[]; since: number; reported: boolean } | undefined
  let timer: NodeJS.Timeout | undefined

  /** Delivery held up for long means a long transaction somewhere: tell the operator which. */
  function reportLongWait(held: NonNullable<typeof gap>): void {
    if (held.reported || Date.now() - held.since < longWaitMs) return
    held.reported = true
    log.warn(
      { position: held.position, transactions: held.waitingFor.map(String), waitingMs: Date.now() - held.since },
      'realtime delivery is waiting for open transactions that may still write an event (see pg_stat_activity.backend_xid)',
    )
  }

  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

  /**
   * The start: every position up to the current head, once the transactions in progress now are
   * over (one of them may still commit a lower position). Nothing is delivered until then. A
   * database that fails meanwhile is retried: every read waits for the start, so it must come.
   */
  async function start(): Promise<void> {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const head = await repo.head()
        // An empty log has no position below the start that could still commit.
        if (head.position > 0) {
          const suspects = { listed: head.snapshot.inProgress, unlistedFrom: head.snapshot.xmax, below: await repo.horizon() }
          while (!stopped && stillRunning(suspects, await repo.snapshot()).length > 0) await sleep(20)
        }
        cursor = head.position
        onStart?.(cursor)
        return
      } catch (err) {
        if (stopped) return
        log.warn({ err }, 'event reader could not start; retrying')
        await sleep(Math.min(5_000, 100 * 2 ** attempt))
      }
    }
  }

  /** One pass: delivers what is safe; returns true when a full batch suggests more is waiting. */
  async function readOnce(): Promise<boolean> {
    const { events, snapshot } = await repo.readAfter(cursor, batchSize)
    if (events.length === 0 || !snapshot) return false
    const deliverable: StoredEvent[] = []
    for (const event of events) {
      if (event.position !== cursor + 1) {
        const missing = cursor + 1
        // Judged in the snapshot that read these rows, never a later one: a transaction that
        // committed after this read would look finished while its row is not in our hands.
        if (gap?.position !== missing) {
          const suspects = { listed: snapshot.inProgress, unlistedFrom: snapshot.xmax, below: await repo.horizon() }
          gap = { position: missing, suspects, waitingFor: [], since: Date.now(), reported: false }
        }
        gap.waitingFor = stillRunning(gap.suspects, snapshot)
        if (gap.waitingFor.length > 0) {
          reportLongWait(gap)
          break
        }
        // Nobody who could hold the missing positions is still running: they will never exist.
        gap = undefined
      }
      deliverable.push(event)
      cursor = event.position
    }
    // The missing position arrived after all.
    if (gap && cursor >= gap.position) gap = undefined
    if (deliverable.length > 0) deliver(deliverable)
    return events.length === batchSize && gap === undefined
  }

  async function run(): Promise<void> {
    await ready
    do {
      again = false
      try {
        // Between batches, yield to I/O so sockets drain: one burst never holds the whole backlog.
        while (!stopped && (await readOnce())) await new Promise((resolve) => setImmediate(resolve))
      } catch (err) {
        if (!stopped) log.warn({ err }, 'event log read failed; retrying')
      }
    } while (again && !stopped)
  }

  function wake(): void {
    if (stopped) return
    if (running) {
      again = true
      return
    }
    running = run().finally(() => {
      running = undefined
      // A gap waits for other transactions: look again soon rather than at the next poll.
      if (gap && !stopped) setTimeout(wake, 20).unref()
    })
  }

  const ready = start()
  timer = setInterval(wake, pollMs)
  timer.unref()

  return {
    ready,
    get cursor() {
      return cursor
    },
    get waitingAt() {
      return gap?.position
    },
    wake,
    async catchUp() {
      await ready
      for (;;) {
        // wake() during a pass makes it read once more, so the last pass starts after this call.
        wake()
        await running
        if (!gap || stopped) return cursor
        await sleep(10)
      }
    },
    async stop() {
      stopped = true
      clearInterval(timer)
      timer = undefined
      await running
      await ready
    },
  }
}
