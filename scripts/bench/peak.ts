/**
 * The forum-day peak (not a test: nothing is asserted). The minutes after a forum day opens,
 * measured from outside: each scenario runs over real HTTP from a separate load process against
 * the real service, next to an anchor measured in the same run, the least any implementation of
 * that operation costs on this machine, and the ratio of the two.
 *
 *   npm run bench -- peak [--rounds 3] [--seconds 4] [--warmup 1] [--queue 40000] [--only submission,claim,reads] [--faqs 100000]
 *
 * Scenarios (anchors in brackets):
 *   submission   POST /forum-days/{id}/questions, 50 staff of 50 comuni at once, a fresh Idempotency-Key
 *                each time, the day capped at 1,000 open questions per comune
 *                [one INSERT ... RETURNING through a pg pool of 10 at c=50]
 *   claim-next   POST /queue/claim-next, 100 experts on their own sessions, a day with 40,000 waiting
 *                questions; double assignments counted in the answers and in the stored transitions
 *                [UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1) at c=100, pool of 10, over a
 *                queue big enough never to run dry]
 *   search       GET /faqs?q=permesso di soggiorno over the 44 demo FAQs, c=50, with the search cache and, from
 *                a second app process on the same database, without it  [bare Fastify hello with pino; /healthz];
 *                with --faqs N, N generated FAQs (the search benchmark's) are in the search index beside them
 *   forum days   GET /forum-days, anonymous, c=50  [bare Fastify hello with pino]
 *
 * Processes: this one gives orders; the app (bench/peak/app-server.ts), bare Fastify
 * (bench/peak/bare-server.ts) and the load generator (bench/peak/load.ts) are children.
 * Database: a temporary database on BENCH_DATABASE_URL, dropped at the end; without it, the app
 * runs on in-memory PGlite and the database anchors on a PGlite of the load process.
 * Rounds are interleaved (scenario, its anchor, next scenario...) and each figure is the median
 * over the rounds, so a burst of load from elsewhere on the machine hits both sides alike.
 */
import { cpus, loadavg } from 'node:os'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrations.js'
import { PostgresSearchIndex } from '../../src/search/postgres-search-index.js'
import type { DatabaseConfig } from '../../src/config.js'
import { numberArgument } from './arguments.js'
import { generate, temporaryDatabase } from './search.js'
import { spawnChild, type Child } from './ws/ipc.js'
import { ANCHOR_QUEUE_ROWS, type AnchorSpec, type AppServerCommands, type BareServerCommands, type LoadCommands, type LoadResult, type LoadSpec } from './peak/protocol.js'

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

interface Line {
  scenario: string
  project: LoadResult[]
  anchor: LoadResult[]
  anchorLabel: string
  note?: string
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const summary = (results: LoadResult[], unit: string) => {
  const bad = results.reduce((n, r) => n + r.errors + Object.entries(r.statuses).filter(([s]) => !s.startsWith('2') && s !== '404').reduce((m, [, c]) => m + c, 0), 0)
  return `${fmt(median(results.map((r) => r.perSecond)))} ${unit}/s, p50 ${median(results.map((r) => r.p50)).toFixed(1)} ms, p99 ${median(results.map((r) => r.p99)).toFixed(1)} ms${bad ? `, ${bad} failed` : ''}`
}

function table(lines: Line[]): string {
  const rows = lines.map((l) => {
    const ratio = median(l.project.map((r) => r.perSecond)) / median(l.anchor.map((r) => r.perSecond))
    return `| ${l.scenario} | ${summary(l.project, l.scenario.startsWith('claim') ? 'claims' : 'req')}${l.note ? ` (${l.note})` : ''} | ${l.anchorLabel}: ${summary(l.anchor, 'op')} | ${ratio.toFixed(2)} |`
  })
  return ['| scenario | project | anchor in the same run | ratio |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

export async function run(args: string[]): Promise<void> {
  const rounds = numberArgument(args, 'rounds', 3)
  const seconds = numberArgument(args, 'seconds', 4)
  const warmupSeconds = numberArgument(args, 'warmup', 1)
  // The issue's scenario named a queue of 5,000; at today's few thousand claims a second the 1 s
  // warm-up emptied it, and the round measured 100 experts fighting over its last rows.
  const queue = numberArgument(args, 'queue', 40_000)
  // A subset while working on one scenario; `reads` is search, /healthz and the forum-day list.
  const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1]?.split(',')) : undefined
  const runs = (scenario: 'submission' | 'claim' | 'reads') => !only || only.has(scenario)
  const serverUrl = process.env.BENCH_DATABASE_URL
  const target = await temporaryDatabase(serverUrl, false)
  const databaseUrl = target.config.kind === 'postgres' ? target.config.url : undefined
  console.log(`forum-day peak benchmark on ${target.label}: ${rounds} round(s) of ${warmupSeconds} s warm-up + ${seconds} s per scenario`)
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} at start; node ${process.version}`)

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'info',
    DEMO_DATA: 'true',
    MIGRATE_ON_START: 'true',
    DATABASE_POOL_MAX: '10',
    MEILI_HOST: '',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '', DATA_DIR: 'memory://' }),
  }
  const children: Array<Child<AppServerCommands> | Child<BareServerCommands> | Child<LoadCommands>> = []
  try {
    const faqs = numberArgument(args, 'faqs', 0)
    if (faqs) await indexGeneratedFaqs(target.config, faqs)
    const app = await spawnChild<AppServerCommands>('app server', new URL('./peak/app-server.ts', import.meta.url), { env })
    children.push(app)
    const bare = await spawnChild<BareServerCommands>('bare server', new URL('./peak/bare-server.ts', import.meta.url))
    children.push(bare)
    const load = await spawnChild<LoadCommands>('load', new URL('./peak/load.ts', import.meta.url))
    children.push(load)

    const began = performance.now()
    const server = await app.call('start', { staff: 50, experts: 100 }, 10 * 60_000)
    console.log(`${server.label}${faqs ? ` with ${fmt(faqs)} generated FAQs in its search index` : ''} ready in ${((performance.now() - began) / 1000).toFixed(1)} s (migrations, demo data, 50 staff, 100 experts)`)
    const bareServer = await bare.call('start', {})
    const timeout = (warmupSeconds + seconds) * 1000 + 120_000
    const http = (spec: Omit<LoadSpec, 'warmupSeconds' | 'seconds'>) => load.call('http', { warmupSeconds, seconds, ...spec }, timeout)
    const anchor = (spec: Pick<AnchorSpec, 'concurrency'>) => ({ databaseUrl, poolMax: 10, warmupSeconds, seconds, queue, ...spec })

    const lines: Record<string, Line> = {
      submission: { scenario: 'question submission, c=50, unique Idempotency-Keys', project: [], anchor: [], anchorLabel: 'INSERT … RETURNING, pool of 10, c=50' },
      claim: { scenario: `claim-next, 100 experts, queue of ${fmt(queue)}`, project: [], anchor: [], anchorLabel: `UPDATE … SKIP LOCKED over ${fmt(ANCHOR_QUEUE_ROWS)} queued rows, pool of 10, c=100` },
      search: { scenario: `GET /api/v1/faqs?q=permesso di soggiorno (44 FAQs${faqs ? ` + ${fmt(faqs)} generated` : ''}), c=50, search cache on`, project: [], anchor: [], anchorLabel: 'bare Fastify hello + pino' },
      searchUncached: { scenario: 'the same search with the search cache off (SEARCH_CACHE_MS=0)', project: [], anchor: [], anchorLabel: 'bare Fastify hello + pino' },
      healthz: { scenario: 'GET /healthz of the app, c=50', project: [], anchor: [], anchorLabel: 'bare Fastify hello + pino' },
      days: { scenario: 'GET /api/v1/forum-days, c=50', project: [], anchor: [], anchorLabel: 'bare Fastify hello + pino' },
    }
    let doubled = 0
    let anchorDoubled = 0
    for (let round = 1; round <= rounds; round++) {
      console.log(`\nround ${round} of ${rounds}`)
      if (runs('submission')) await submission()
      if (runs('claim')) await claim()
      if (runs('reads')) await reads()
      for (const l of Object.values(lines).filter((l) => l.project.length)) console.log(`  ${l.scenario}: ${summary(l.project.slice(-1), 'req')}  |  ${l.anchorLabel}: ${summary(l.anchor.slice(-1), 'op')}`)
    }
    async function submission() {
      const { forumDayId: submissionDay } = await app.call('day', { queue: 0, cap: 1000 }, 120_000)
      const submitted = await http({ url: `${server.base}/api/v1/forum-days/${submissionDay}/questions`, method: 'POST', concurrency: 50, headersPerLoop: server.staff, idempotencyKeys: true, body: JSON.stringify({ title: 'Iscrizione anagrafica del richiedente asilo', body: 'Il richiedente asilo ospite di un centro di accoglienza può chiedere la residenza anagrafica nel nostro comune?', theme: 'servizi-demografici' }) })
      lines.submission!.project.push(submitted)
      lines.submission!.anchor.push(await load.call('anchorInsert', anchor({ concurrency: 50 }), timeout))
    }
    async function claim() {
      const { forumDayId: queueDay } = await app.call('day', { queue, cap: null }, 120_000)
      const claimed = await http({ url: `${server.base}/api/v1/queue/claim-next`, method: 'POST', concurrency: 100, headersPerLoop: server.experts, body: JSON.stringify({ forumDayId: queueDay }), stopOnStatus: 404, collectIds: true })
      if ((claimed.statuses['404'] ?? 0) > 0) console.log(`  the queue of ${fmt(queue)} ran dry in this round: claim-next is measured only while it lasted; raise --queue`)
      const { questions } = await app.call('doubleAssignments', { forumDayId: queueDay })
      doubled += claimed.ids.length - new Set(claimed.ids).size + questions
      lines.claim!.project.push(claimed)
      const anchorClaims = await load.call('anchorClaim', anchor({ concurrency: 100 }), timeout)
      anchorDoubled += anchorClaims.doubleAssignments
      lines.claim!.anchor.push(anchorClaims)
    }
    async function reads() {
      const hello = () => http({ url: `${bareServer.base}/`, method: 'GET', concurrency: 50 })
      lines.search!.project.push(await http({ url: `${server.base}/api/v1/faqs?${new URLSearchParams({ q: 'permesso di soggiorno' })}`, method: 'GET', concurrency: 50 }))
      lines.search!.anchor.push(await hello())
      lines.searchUncached!.project.push(await withUncachedApp((uncached) => http({ url: `${uncached.base}/api/v1/faqs?${new URLSearchParams({ q: 'permesso di soggiorno' })}`, method: 'GET', concurrency: 50 })))
      lines.searchUncached!.anchor.push(lines.search!.anchor.at(-1)!)
      lines.healthz!.project.push(await http({ url: `${server.base}/healthz`, method: 'GET', concurrency: 50 }))
      lines.days!.project.push(await http({ url: `${server.base}/api/v1/forum-days`, method: 'GET', concurrency: 50 }))
      const bareAgain = await hello()
      lines.healthz!.anchor.push(bareAgain)
      lines.days!.anchor.push(bareAgain)
    }
    /**
     * The same service on the same database with the search cache off: what a search costs when
     * no one asked the same thing in the last SEARCH_CACHE_MS. It runs only for its own line: a
     * second instance reads every event the first one writes (its realtime hub must), and left
     * running it took CPU from the measured one (submission ratio 0.21-0.23 with it, 0.26-0.29
     * without, on this 2-core machine).
     */
    async function withUncachedApp<T>(measure: (uncached: { base: string }) => Promise<T>): Promise<T> {
      const uncachedApp = await spawnChild<AppServerCommands>('app server, search cache off', new URL('./peak/app-server.ts', import.meta.url), { env: { ...env, SEARCH_CACHE_MS: '0' } })
      try {
        return await measure(await uncachedApp.call('start', { staff: 1, experts: 0 }, 10 * 60_000))
      } finally {
        await uncachedApp.stop()
      }
    }
    lines.claim!.note = `${doubled} double assignments; anchor ${anchorDoubled}`
    console.log(`\nmedians of ${rounds} round(s); load average now ${loadavg().map((n) => n.toFixed(1)).join(' ')}\n`)
    console.log(table(Object.values(lines).filter((l) => l.project.length)))
    if (!runs('reads')) return
    const search = median(lines.search!.project.map((r) => r.perSecond)) / median(lines.healthz!.project.map((r) => r.perSecond))
    const searchUncached = median(lines.searchUncached!.project.map((r) => r.perSecond)) / median(lines.healthz!.project.map((r) => r.perSecond))
    console.log(`\nsearch / the app's own /healthz: ${search.toFixed(2)} with the search cache, ${searchUncached.toFixed(2)} without`)
  } finally {
    for (const child of children.reverse()) await child.stop()
    await target.drop()
  }
}

/**
 * The search benchmark's generated FAQs, written straight into the search index of the database
 * the app will use: what a search costs among them. They have no knowledge-base rows, so they are
 * counted in totals but not shown (the database has the last word on what a hit shows).
 */
async function indexGeneratedFaqs(config: DatabaseConfig, total: number): Promise<void> {
  const began = performance.now()
  const handle = await openDatabase(config)
  try {
    await migrateToLatest(handle.db)
    const index = new PostgresSearchIndex(handle.db)
    // Knowledge-base ids are UUIDs; the generator's (`bench-N`) would not even parse as one.
    const uuid = (id: string) => `00000000-0000-4000-8000-${Number(id.slice('bench-'.length)).toString(16).padStart(12, '0')}`
    for (const batch of generate(total, 500)) await index.upsert(batch.map((document) => ({ ...document, id: uuid(document.id) })))
    await sql`analyze search_faqs`.execute(handle.db)
    await sql`analyze search_vocabulary`.execute(handle.db)
    await sql`vacuum analyze search_postings`.execute(handle.db)
    await sql`vacuum analyze search_pair_postings`.execute(handle.db)
  } finally {
    await handle.close()
  }
  console.log(`${fmt(total)} generated FAQs indexed in ${((performance.now() - began) / 1000).toFixed(0)} s`)
}
