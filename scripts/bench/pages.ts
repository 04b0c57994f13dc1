/**
 * Public pages benchmark (not a test: nothing is asserted). Loads N generated FAQs (default
 * 100,000) into the faqs table and the PostgreSQL search index, starts the app on a free port and
 * times, over real HTTP in the same run, each HTML page next to the JSON endpoint that serves the
 * same data: the FAQ page against GET /api/v1/faqs/{slug}, a search results page against
 * GET /api/v1/faqs?q=. Both ask for compressed responses, as browsers do.
 *
 *   npm run bench -- pages [--docs 100000] [--seconds 5] [--concurrency 8] [--rounds 5] [--keep]
 *
 * The load comes from a child process (bench/peak/load.ts), so the server's CPU is its own. Each
 * line is the median of its rounds (throughput, p50 and p99 each on their own), with the mean
 * body size as sent (brotli) and as a browser decompresses it.
 *
 * Uses a temporary database on BENCH_DATABASE_URL (or DATABASE_URL), dropped at the end (kept
 * with --keep, to EXPLAIN an FAQ page's statements on it afterwards: loading 100,000 FAQs takes
 * about twelve minutes); without either, in-memory PGlite.
 */
import { randomUUID } from 'node:crypto'
import cliProgress from 'cli-progress'
import { sql } from 'kysely'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrations.js'
import { textTools } from '../../src/knowledge-base/text-tools.js'
import { PostgresSearchIndex } from '../../src/search/postgres-search-index.js'
import type { LoadCommands } from './peak/protocol.js'
import { numberArgument } from './arguments.js'
import { generate, temporaryDatabase } from './search.js'
import { spawnChild, type Child } from './ws/ipc.js'

const QUERIES = ['permesso di soggiorno', 'residenza', 'rinnovo pds', 'ricongiungimento familiare', 'cittadinanza', 'iscrizione anagrafica']

interface Measure {
  label: string
  perSecond: number
  p50: number
  p99: number
  /** Mean body size as sent (brotli). */
  bytes: number
}

/** What a browser's request says it accepts: the JSON endpoints' answers, or a page. */
const acceptFor = (url: string) => (url.includes('/api/') ? 'application/json' : 'text/html')

interface Timing {
  concurrency: number
  warmupSeconds: number
  seconds: number
}

/** A closed-loop run of GETs over `urls`, in turn, from the load child: a browser's headers, compressed answers. */
async function measure(load: Child<LoadCommands>, label: string, urls: string[], timing: Timing): Promise<Measure> {
  const result = await load.call('http', { url: urls, method: 'GET', headersPerLoop: [{ 'accept-encoding': 'br, gzip', accept: acceptFor(urls[0]!) }], ...timing }, 120_000)
  const failed = Object.entries(result.statuses).filter(([status]) => status !== '200')
  if (failed.length > 0 || result.errors > 0) throw new Error(`${label}: statuses ${JSON.stringify(result.statuses)}, ${result.errors} transport errors`)
  return { label, perSecond: result.perSecond, p50: result.p50, p99: result.p99, bytes: result.bodyBytes ?? 0 }
}

/** Mean decompressed size of the first few of `urls` (what a browser renders). */
async function decompressedSize(urls: string[]): Promise<number> {
  const some = urls.slice(0, 20)
  let bytes = 0
  for (const url of some) {
    const response = await fetch(url, { headers: { accept: acceptFor(url) } })
    bytes += (await response.arrayBuffer()).byteLength
  }
  return bytes / some.length
}

/** Each figure's median over the rounds. */
function median(rounds: Measure[]): Measure {
  const mid = (pick: (m: Measure) => number) => rounds.map(pick).sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!
  return { label: rounds[0]!.label, perSecond: mid((m) => m.perSecond), p50: mid((m) => m.p50), p99: mid((m) => m.p99), bytes: mid((m) => m.bytes) }
}

const row = (m: Measure, decompressed: number) =>
  `  ${m.label.padEnd(34)} ${m.perSecond.toFixed(0).padStart(6)} req/s   p50 ${m.p50.toFixed(1).padStart(7)} ms   p99 ${m.p99.toFixed(1).padStart(7)} ms   ${(m.bytes / 1024).toFixed(1).padStart(5)} KB sent, ${(decompressed / 1024).toFixed(1).padStart(5)} KB`

export async function run(args: string[]): Promise<void> {
  const total = numberArgument(args, 'docs', 100_000)
  const seconds = numberArgument(args, 'seconds', 5)
  const concurrency = numberArgument(args, 'concurrency', 8)
  const rounds = numberArgument(args, 'rounds', 5)
  const target = await temporaryDatabase(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL, args.includes('--keep'))
  console.log(`pages benchmark: ${total} FAQs on ${target.label}`)
  const handle = await openDatabase(target.config)
  const slugs: string[] = []
  try {
    await migrateToLatest(handle.db)
    const index = new PostgresSearchIndex(handle.db)
    const publisher = randomUUID()
    const bar = new cliProgress.SingleBar({ format: 'loading {bar} {value}/{total} FAQs', hideCursor: true }, cliProgress.Presets.shades_classic)
    bar.start(total, 0)
    for (const batch of generate(total, 500)) {
      const docs = batch.map((doc) => ({ ...doc, id: randomUUID() }))
      await handle.db
        .insertInto('faqs')
        .values(
          docs.map((doc) => {
            const references = textTools.legalReferences(doc.answer)
            return {
              id: doc.id,
              slug: doc.slug,
              title: doc.title,
              question: doc.question,
              answer: doc.answer,
              theme: doc.theme,
              tags: doc.tags,
              legalReferences: JSON.stringify(references),
              lawKeys: [...new Set(references.map((r) => r.key))],
              visibility: doc.visibility,
              originDescription: 'un comune della Toscana sotto i 5.000 abitanti',
              publishedAt: doc.publishedAt,
              updatedAt: doc.updatedAt,
              answeredOn: doc.publishedAt.toISOString().slice(0, 10),
              publishedBy: publisher,
              updatedBy: publisher,
            }
          }),
        )
        .execute()
      await index.upsert(docs)
      for (const doc of docs) if (doc.visibility === 'public' && slugs.length < 2000 && Math.random() < 0.05) slugs.push(doc.slug)
      bar.increment(docs.length)
    }
    bar.stop()
    await sql`analyze`.execute(handle.db)
  } finally {
    await handle.close()
  }

  const config = loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false', SEARCH_INDEXING_INTERVAL_MS: '0', SCHEDULER_INTERVAL_MS: '0', MIGRATE_ON_START: 'false' })
  config.database = target.config
  const app = await buildApp(config)
  // The load runs in a process of its own (as in the peak benchmark), so that what is measured is
  // the server's work alone: in one process, the client's decompression of pages four times the
  // size of their JSON counted against the pages.
  const load = await spawnChild<LoadCommands>('load', new URL('./peak/load.ts', import.meta.url))
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const faqHtml = slugs.map((s) => `${base}/domande-e-risposte/${s}`)
    const faqJson = slugs.map((s) => `${base}/api/v1/faqs/${s}`)
    const searchHtml = QUERIES.map((q) => `${base}/domande-e-risposte?${new URLSearchParams({ q })}`)
    const searchJson = QUERIES.map((q) => `${base}/api/v1/faqs?${new URLSearchParams({ q })}`)
    const timing = { concurrency, warmupSeconds: 1, seconds }
    // Warm-up: JIT, connection pool, PostgreSQL caches, the asset manifest.
    for (const urls of [faqHtml, faqJson, searchHtml, searchJson]) await measure(load, 'warm-up', urls, { ...timing, seconds: 1 })

    console.log(`\n${seconds} s per line and round after 1 s of warm-up, ${concurrency} at a time from a separate process, compressed (br), ${slugs.length} FAQs and ${QUERIES.length} queries in rotation, ${rounds} rounds:`)
    const lines = [
      { html: 'FAQ page (HTML)', json: 'GET /api/v1/faqs/{slug} (JSON)', htmlUrls: faqHtml, jsonUrls: faqJson },
      { html: 'search results page (HTML)', json: 'GET /api/v1/faqs?q= (JSON)', htmlUrls: searchHtml, jsonUrls: searchJson },
    ]
    const measured = lines.map(() => ({ html: [] as Measure[], json: [] as Measure[] }))
    // Interleaved round by round, so a burst of load from elsewhere on the machine hits both sides
    // alike; the medians of the rounds are reported, with the range of the per-round ratios.
    for (let round = 0; round < rounds; round++) {
      for (const [i, line] of lines.entries()) {
        measured[i]!.html.push(await measure(load, line.html, line.htmlUrls, timing))
        measured[i]!.json.push(await measure(load, line.json, line.jsonUrls, timing))
      }
    }
    for (const [i, { html, json }] of measured.entries()) {
      const ratios = html.map((h, r) => h.perSecond / json[r]!.perSecond).sort((a, b) => a - b)
      const [h, j] = [median(html), median(json)]
      console.log(row(h, await decompressedSize(lines[i]!.htmlUrls)))
      console.log(row(j, await decompressedSize(lines[i]!.jsonUrls)))
      const pct = (x: number) => `${(x * 100).toFixed(0)}%`
      console.log(`  ${'→ HTML throughput / JSON'.padEnd(34)} ${pct(h.perSecond / j.perSecond).padStart(6)} (rounds ${pct(ratios[0]!)}–${pct(ratios.at(-1)!)})   p50 ×${(h.p50 / j.p50).toFixed(2)}   p99 ×${(h.p99 / j.p99).toFixed(2)}\n`)
    }
  } finally {
    await load.stop()
    await app.close()
    await target.drop()
  }
}
