/**
 * Counts kept off the request path: each event adds to a counter in memory, and the counters are
 * written in one statement every `intervalMs` (and on stop). A request never waits for a write nor
 * contends on a popular row; a crash loses at most the last interval's counts, a failed write none
 * (they stay pending for the next flush).
 */
export interface BufferedCounts<Row> {
  /** Adds `row` to the counter under `key` (never throws, never waits). */
  add: (key: string, row: Row) => void
  /** Writes the pending counts now; on failure they stay pending for the next flush. */
  flush: () => Promise<void>
  start: (intervalMs: number) => void
  /** Stops the timer and writes what is pending. */
  stop: () => Promise<void>
}

export interface BufferedCountsOptions<Row> {
  /** Adds the counts of `row` into `held`, a row of the same key. */
  merge: (held: Row, row: Row) => void
  /** Writes the rows in one statement. They come sorted by key, so that two instances flushing at once lock rows in the same order. */
  write: (rows: Row[]) => Promise<void>
  log: { warn(obj: object, msg: string): void }
  /** Said in the warning when a write fails ("search analytics", "FAQ readings"). */
  what: string
}

/** Distinct keys held before a flush is started early, so memory stays bounded. */
const MAX_PENDING = 5_000

export function createBufferedCounts<Row extends object>({ merge, write: writeRows, log, what }: BufferedCountsOptions<Row>): BufferedCounts<Row> {
  let pending = new Map<string, Row>()
  let timer: NodeJS.Timeout | undefined
  let writing: Promise<void> = Promise.resolve()

  const add = (into: Map<string, Row>, key: string, row: Row) => {
    const held = into.get(key)
    if (held) merge(held, row)
    else into.set(key, { ...row })
  }

  async function write(): Promise<void> {
    if (pending.size === 0) return
    const batch = [...pending].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    pending = new Map()
    try {
      await writeRows(batch.map(([, row]) => row))
    } catch (err) {
      // Kept for the next flush: a database hiccup loses no counts.
      for (const [key, row] of batch) add(pending, key, row)
      log.warn({ err, pending: pending.size }, `${what} not written; retrying at the next flush`)
      throw err
    }
  }

  // One write at a time: a flush waits for the one under way, then writes what came since.
  const flush = () => {
    writing = writing.catch(() => undefined).then(write)
    return writing
  }

  return {
    add(key, row) {
      add(pending, key, row)
      if (pending.size >= MAX_PENDING) flush().catch(() => undefined)
    },
    flush,
    start(intervalMs) {
      if (timer || intervalMs <= 0) return
      timer = setInterval(() => void flush().catch(() => undefined), intervalMs)
      timer.unref()
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      await flush().catch(() => undefined)
    },
  }
}
