/**
 * WebSocket delivery benchmark (not a test: nothing is asserted). How long a forum event takes
 * to reach thousands of connected browsers, and what each connection costs the server, next to
 * a bare `ws` broadcast server doing the same fan-out with nothing else around it.
 *
 *   npm run bench:ws -- [--clients 5000] [--events 200] [--gap 150] [--batch 200] [--warmup 3]
 *
 * Three processes per scenario, coordinated over IPC: the server (bench/ws/app-server.ts, the real
 * service from buildApp, or bench/ws/bare-server.ts), the clients (bench/ws/clients.ts, all
 * sockets in one process) and this one, which only gives orders. Both servers run at once and take
 * turns: each tick is stamped in the server process and timed on arrival in the clients process;
 * ticks are sent one at a time, the next `--gap` ms after the previous one reached every client,
 * so each is measured on its own. 200 ticks by default: the p99 of 50 was a single sample.
 *
 * The app runs on in-memory PGlite. With DATABASE_URL set it runs on that PostgreSQL database
 * instead: migrations are applied to it and the ticks stay in its event log, so use a throwaway
 * database.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { spawnChild, type Child } from './ws/ipc.js'
import type { ClientCommands, MemorySample, ServerCommands } from './ws/protocol.js'
import { figures, table, type ScenarioFigures } from './ws/report.js'
import { numberArgument } from './arguments.js'

interface Options {
  clients: number
  events: number
  /** Pause after a tick reached every client, before the next one (ms). */
  gap: number
  /** Sockets opened concurrently while connecting. */
  batch: number
  /** Ticks sent first and left out of the figures (JIT, first-use allocations). */
  warmup: number
}

/** A tick that has not reached every client by then is counted as incomplete. */
const TICK_TIMEOUT_MS = 10_000

const environment = (databaseUrl: string | undefined): NodeJS.ProcessEnv => ({
  ...process.env,
  LOG_LEVEL: 'silent',
  DEMO_DATA: 'false',
  SCHEDULER_INTERVAL_MS: '0',
  SEARCH_INDEXING_INTERVAL_MS: '0',
  ...(databaseUrl ? { DATABASE_URL: databaseUrl, MIGRATE_ON_START: 'true' } : { DATA_DIR: 'memory://' }),
})

const SCENARIOS = [
  { name: 'app server', file: new URL('./ws/app-server.ts', import.meta.url) },
  { name: 'bare server', file: new URL('./ws/bare-server.ts', import.meta.url) },
]
const CLIENTS_FILE = new URL('./ws/clients.ts', import.meta.url)

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/**
 * Connects the clients in two halves and samples server memory at 0, half and all. The figure
 * per connection comes from the second half: whatever the server still releases from its own
 * start-up (PGlite frees hundreds of MB after it, in steps) falls mostly into the first half.
 */
async function connectAndSample(server: Child<ServerCommands>, clients: Child<ClientCommands>, target: { url: string; channel: string }, options: Options) {
  const samples = [{ ...(await server.call('memory', {})), sockets: 0 }]
  const half = Math.floor(options.clients / 2)
  for (const count of half > 0 ? [half, options.clients - half] : [options.clients]) {
    const { connected, seconds } = await clients.call('connect', { url: target.url, channel: target.channel, count, batch: options.batch }, 30 * 60_000)
    console.log(`  ${connected} clients subscribed (${count} connected and subscribed in ${seconds.toFixed(1)} s)`)
    samples.push({ ...(await server.call('memory', {})), sockets: connected })
  }
  const show = (pick: (s: MemorySample) => number) => samples.map((s) => mb(pick(s))).join(' -> ')
  console.log(`  server holding ${samples.map((s) => s.connections).join(' / ')} sockets: rss ${show((s) => s.rss)}, heap ${show((s) => s.heapUsed)}`)
  const to = samples[samples.length - 1]!
  return { connected: to.sockets, memory: { from: samples[samples.length - 2]!, to } }
}

interface Running {
  scenario: (typeof SCENARIOS)[number]
  server: Child<ServerCommands>
  clients?: Child<ClientCommands>
  label: string
  connected: number
  memory: { from: MemorySample & { sockets: number }; to: MemorySample & { sockets: number } }
}

async function startScenario(scenario: (typeof SCENARIOS)[number], options: Options, env: NodeJS.ProcessEnv): Promise<Running> {
  // --expose-gc: memory is sampled after a full collection, so garbage does not count as cost.
  const server = await spawnChild<ServerCommands>(scenario.name, scenario.file, { env, exposeGc: true })
  const running: Partial<Running> = { scenario, server }
  try {
    const target = await server.call('start', {}, 120_000)
    console.log(`\n${target.label}: ${target.url}, channel ${target.channel}`)
    running.clients = await spawnChild<ClientCommands>('clients', CLIENTS_FILE)
    const { connected, memory } = await connectAndSample(server, running.clients, target, options)
    return { ...running, label: target.label, connected, memory } as Running
  } catch (err) {
    await stopScenario(running as Running)
    throw err
  }
}

async function stopScenario({ clients, server }: Running): Promise<void> {
  // Clients first: the server then closes without thousands of sockets to say goodbye to.
  await clients?.stop()
  await server.stop()
}

async function tick(target: Running, seq: number): Promise<void> {
  // The clients child checks what it already has first, so the order of the two calls does not matter.
  const [{ received }] = await Promise.all([target.clients!.call('await', { seq, timeoutMs: TICK_TIMEOUT_MS }), target.server.call('emit', { seq })])
  if (received < target.connected) console.log(`  ${target.scenario.name}, tick ${seq}: ${received} of ${target.connected} clients had it after ${TICK_TIMEOUT_MS / 1000} s`)
}

/**
 * Both servers hold their clients at once and take turns, tick by tick: whatever else the machine
 * does meanwhile weighs on both alike, where measuring one after the other a minute apart made
 * the ratio swing from 0.7 to 3.3 between runs of the same code.
 */
async function measureInterleaved(options: Options, env: NodeJS.ProcessEnv): Promise<ScenarioFigures[]> {
  const running: Running[] = []
  try {
    for (const scenario of SCENARIOS) running.push(await startScenario(scenario, options, env))
    const began = performance.now()
    for (let seq = -options.warmup; seq < options.events; seq++) {
      // Alternate who goes first, so neither always follows the other's garbage.
      const order = seq % 2 === 0 ? running : [...running].reverse()
      for (const target of order) {
        await tick(target, seq)
        await sleep(options.gap)
      }
    }
    console.log(`\n${options.warmup} + ${options.events} ticks to each server, interleaved, in ${((performance.now() - began) / 1000).toFixed(1)} s`)
    const rows: ScenarioFigures[] = []
    for (const target of running) {
      const { ticks, closed } = await target.clients!.call('results', {}, 120_000)
      if (closed > 0) console.log(`  ${target.scenario.name}: ${closed} sockets closed by the server meanwhile`)
      rows.push(figures({ label: target.label, clients: target.connected, ticks, memory: target.memory }))
    }
    return rows
  } finally {
    for (const target of running.reverse()) await stopScenario(target)
  }
}

export async function run(args: string[]): Promise<void> {
  const options: Options = {
    clients: numberArgument(args, 'clients', 5_000, 1),
    events: numberArgument(args, 'events', 200, 1),
    gap: numberArgument(args, 'gap', 150, 0),
    batch: numberArgument(args, 'batch', 200, 1),
    warmup: numberArgument(args, 'warmup', 3, 0),
  }
  const databaseUrl = process.env.DATABASE_URL
  if (databaseUrl) {
    console.warn('DATABASE_URL is set: the app runs on it, applies migrations and leaves its ticks in the event log. Use a throwaway database.')
  }
  console.log(`WebSocket delivery benchmark: ${options.clients} clients, ${options.events} events (+${options.warmup} warm-up), ${options.gap} ms apart`)

  const rows = await measureInterleaved(options, environment(databaseUrl))

  console.log(`\n${table(rows)}\n`)
  console.log('all clients: from the stamp in the server to the last client having the tick; per delivery: to each client.')
  console.log('Both include the clients process reading every socket in turn (one process, on the same CPUs as the server).')
  console.log('memory/conn: server process growth (after GC, once RSS held still) from half to all clients subscribed, per added client.')
}
