/**
 * Closed-loop load: `concurrency` loops each send one operation after another for a warm-up, then
 * for the measured window. Figures cover only operations started inside the window.
 */
import { performance } from 'node:perf_hooks'
import type { LoadResult } from './protocol.js'

export const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!)

export interface Outcome {
  /** HTTP status, or 200 for a database operation that did its work. */
  status: number
  id?: string
}

export async function timedLoops(
  options: { concurrency: number; warmupSeconds: number; seconds: number; stopOnStatus?: number; collectIds?: boolean },
  operation: (loop: number, n: number) => Promise<Outcome>,
): Promise<LoadResult> {
  const start = performance.now()
  const measureFrom = start + options.warmupSeconds * 1000
  const end = measureFrom + options.seconds * 1000
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  const ids: string[] = []
  let errors = 0
  let ok = 0
  let lastDone = measureFrom
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, loop) => {
      for (let n = 0; performance.now() < end; n++) {
        const t0 = performance.now()
        let outcome: Outcome
        try {
          outcome = await operation(loop, n)
        } catch {
          if (t0 >= measureFrom) errors++
          continue
        }
        const t1 = performance.now()
        const success = outcome.status >= 200 && outcome.status < 300
        if (options.collectIds && success && outcome.id) ids.push(outcome.id)
        if (t0 >= measureFrom) {
          latencies.push(t1 - t0)
          statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1
          if (success) ok++
          lastDone = Math.max(lastDone, t1)
        }
        if (outcome.status === options.stopOnStatus) break
      }
    }),
  )
  // A queue that ran dry ends the window early.
  const seconds = Math.max(0.001, (Math.min(end, lastDone) - measureFrom) / 1000)
  latencies.sort((a, b) => a - b)
  return { perSecond: ok / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), ok, statuses, errors, ids, seconds }
}
