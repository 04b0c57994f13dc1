/** Memory samples of a server child, taken the same way for both servers. */
import { setTimeout as sleep } from 'node:timers/promises'
import type { MemorySample } from './protocol.js'

const MB = 1024 * 1024
const INTERVAL_MS = 500
/** RSS must hold still this long; releases were seen up to ~6 s after the last burst of work. */
const STEADY_MS = 7_000
const MAX_WAIT_MS = 25_000

function sample(connections: number): MemorySample {
  // Only with --expose-gc (the benchmark forks servers with it): garbage is not a per-connection cost.
  global.gc?.()
  const { rss, heapUsed } = process.memoryUsage()
  return { rss, heapUsed, connections }
}

/**
 * Memory once RSS stops moving. Node hands freed memory back to the system in steps, some
 * seconds after the work that freed it (even a bare `node` script drops ~15 MB ~5 s after a
 * burst of allocations, with or without V8's memory reducer; PGlite's start-up frees far more).
 * Sampled right away, that release lands between "before" and "after" and reads as a negative
 * cost per connection. So: sample every 0.5 s until RSS stayed within 1 MB for 7 s (25 s at most).
 */
export async function steadyMemory(connections: () => number): Promise<MemorySample> {
  const samples = [sample(connections())]
  const needed = STEADY_MS / INTERVAL_MS + 1
  const deadline = Date.now() + MAX_WAIT_MS
  while (Date.now() < deadline) {
    await sleep(INTERVAL_MS)
    samples.push(sample(connections()))
    const recent = samples.slice(-needed).map((s) => s.rss)
    if (recent.length === needed && Math.max(...recent) - Math.min(...recent) < MB) break
  }
  return samples[samples.length - 1]!
}
