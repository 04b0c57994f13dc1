/** Turns the raw latencies and memory samples of one scenario into the figures of the table. */
import type { MemorySample } from './protocol.js'

export interface ScenarioFigures {
  label: string
  clients: number
  /** Measured ticks (warm-up excluded). */
  events: number
  /** Ticks that did not reach every client within the timeout (left out of "all clients"). */
  incomplete: number
  /** Per tick: ms from sentAt until the last client had it. */
  allClients: { median: number; p99: number }
  /** Every single delivery: ms from sentAt until that client had it. */
  perDelivery: { median: number; p99: number }
  /** Server process growth per connected, subscribed socket (bytes), over the second half of them. */
  perConnection: { rss: number; heapUsed: number }
}

/** Nearest-rank percentile of sorted values (as bench/search.ts). */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99) }
}

export function figures(input: {
  label: string
  clients: number
  ticks: Array<{ seq: number; latencies: number[] }>
  /** Server memory with `from.sockets` and with `to.sockets` connected, subscribed clients. */
  memory: { from: MemorySample & { sockets: number }; to: MemorySample & { sockets: number } }
}): ScenarioFigures {
  const measured = input.ticks.filter((t) => t.seq >= 0)
  const complete = measured.filter((t) => t.latencies.length >= input.clients)
  const { from, to } = input.memory
  const added = to.sockets - from.sockets
  return {
    label: input.label,
    clients: input.clients,
    events: measured.length,
    incomplete: measured.length - complete.length,
    allClients: spread(complete.map((t) => Math.max(...t.latencies))),
    perDelivery: spread(measured.flatMap((t) => t.latencies)),
    perConnection: { rss: (to.rss - from.rss) / added, heapUsed: (to.heapUsed - from.heapUsed) / added },
  }
}

const ms = (n: number) => (Number.isNaN(n) ? '-' : `${n.toFixed(1)} ms`)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

export function table(rows: ScenarioFigures[]): string {
  const header = ['scenario', 'clients', 'events', 'all clients: median', 'p99', 'per delivery: median', 'p99', 'memory/conn: rss', 'heap']
  const cells = rows.map((r) => [
    r.label,
    String(r.clients),
    r.incomplete > 0 ? `${r.events} (${r.incomplete} incomplete)` : String(r.events),
    ms(r.allClients.median),
    ms(r.allClients.p99),
    ms(r.perDelivery.median),
    ms(r.perDelivery.p99),
    // RSS can fall while connecting (the server returning memory it freed earlier): flagged, see the note.
    r.perConnection.rss < 0 ? `${kb(r.perConnection.rss)} *` : kb(r.perConnection.rss),
    kb(r.perConnection.heapUsed),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' | ')
  const notes = rows.some((r) => r.perConnection.rss < 0)
    ? ['', '* RSS fell while the clients connected: the server returned more memory freed earlier than the sockets took. The heap figure stands; for RSS, run again (or on PostgreSQL, with DATABASE_URL: PGlite shares the process).']
    : []
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line), ...notes].join('\n')
}
