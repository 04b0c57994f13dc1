/**
 * Search benchmark (not a test: nothing is asserted). Generates FAQs from the relevance set's
 * vocabulary, indexes them into the PostgreSQL engine and times a query mix.
 *
 *   npm run bench -- search [--docs 100000] [--rounds 15] [--keep] [--ceiling]
 *
 * --ceiling also ranks the relevance set among the generated FAQs with bounds so large that every
 * matching FAQ is ranked (seconds a query): what the engine's bounded candidates cost in relevance.
 *
 * Uses a temporary database on BENCH_DATABASE_URL (or DATABASE_URL), dropped at the end unless
 * --keep (to EXPLAIN queries on it afterwards);
 * without either, in-memory PGlite (slower, and single-threaded like the embedded app).
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import cliProgress from 'cli-progress'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../src/db/database.js'
import pg from 'pg'
import type { DatabaseConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrations.js'
import { stem, words } from '../../src/search/italian.js'
import { PostgresSearchIndex } from '../../src/search/postgres-search-index.js'
import type { FaqSearchDocument } from '../../src/search/search-index.js'
import type { SearchFilters, SearchIndex, SearchQuery, SearchResult } from '../../src/search/search-index.js'
import { fixtureFaqs, fixtureQueries, heldOutQueries, recallAt, relevanceDocuments, relevanceFaqs, relevanceQueries, type RelevanceQuery } from '../../test/search/relevance.js'
import { numberArgument } from './arguments.js'

const THEMES = ['Anagrafe', 'Permessi di soggiorno', 'Famiglia', 'Accoglienza', 'Cittadinanza', 'Minori', 'Documenti', 'Lavoro', 'Governance']
const LAWS = ['D.Lgs. 286/1998', 'D.Lgs. 142/2015', 'D.P.R. 223/1989', 'D.P.R. 394/1999', 'L. 91/1992', 'L. 47/2017', 'D.L. 130/2020', 'D.L. 113/2018']

const QUERY_MIX: Record<string, string[]> = {
  'common word': ['comune', 'permesso', 'soggiorno', 'permesso di soggiorno', 'residenza comune'],
  'rare word': ['prosieguo amministrativo', 'giuramento', 'braccianti', 'via fittizia', 'revisore indipendente'],
  misspelling: ['ricongiungimeto', 'permesso soggirno', 'cittadinanzza', 'irreperibilta'],
  prefix: ['iscrizione anagr', 'citt', 'ricongiung', 'perm'],
  'question / citation': ['posso dare la residenza a un richiedente asilo?', 'rinnovo pds scaduto', 'dlgs 142 2015', 'ricongiungimento figli maggiorenni'],
}

/** mulberry32: the same documents on every run. */
function prng(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A word sampler with the relevance set's own frequencies (so common words stay common). */
function vocabulary(random: () => number) {
  const counts = new Map<string, number>()
  for (const faq of relevanceFaqs()) {
    for (const w of (`${faq.title} ${faq.question} ${faq.answer}`.toLowerCase().match(/[\p{L}']+/gu) ?? [])) counts.set(w, (counts.get(w) ?? 0) + 1)
  }
  const entries = [...counts.entries()]
  const cumulative: number[] = []
  let sum = 0
  for (const [, n] of entries) cumulative.push((sum += n))
  const word = () => {
    const x = random() * sum
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return entries[lo]![0]
  }
  return (n: number) => Array.from({ length: n }, word).join(' ')
}

const SYLLABLES = 'ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu zo za gna gli chi ghe sco stra bri tro'.split(' ')

/**
 * Proper names (places, people) made of syllables: real FAQs name comuni, offices and people, and
 * among 100,000 of them the vocabulary holds well over 100,000 words, nearly all rare. Without
 * them the generated FAQs would share the relevance set's thousand words, and whatever a search
 * asks the vocabulary would be measured on a table of a thousand rows. A generator of its own,
 * so that the rest of every FAQ stays as it was. A name that stems like a word of the relevance
 * set or of its queries, or begins with such a stem of four letters or more, is skipped ("Darire"
 * stems to "dar", as "dare" does; "Comunelo" would complete "comune"): the names enlarge the
 * vocabulary without matching any query, and the relevance figures stay comparable with earlier
 * runs.
 */
function properNames(random: () => number) {
  const texts = [...relevanceFaqs().map((faq) => `${faq.title} ${faq.question} ${faq.answer} ${faq.tags.join(' ')}`), ...relevanceQueries().map((query) => query.q)]
  const known = new Set(texts.flatMap((text) => words(text).map(stem)))
  const name = (): string => {
    const syllables = 3 + Math.floor(random() * 3)
    const w = Array.from({ length: syllables }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]!).join('')
    const stemmed = stem(w)
    const clashes = known.has(stemmed) || Array.from({ length: stemmed.length - 3 }, (_, n) => stemmed.slice(0, n + 4)).some((p) => known.has(p))
    return clashes ? name() : w.charAt(0).toUpperCase() + w.slice(1)
  }
  return name
}

export function* generate(total: number, batch: number): Generator<FaqSearchDocument[]> {
  const random = prng(42)
  const text = vocabulary(random)
  const name = properNames(prng(7))
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
  const start = Date.UTC(2018, 0, 1)
  for (let i = 0; i < total; i += batch) {
    const docs: FaqSearchDocument[] = []
    for (let j = i; j < Math.min(total, i + batch); j++) {
      const at = new Date(start + j * 30 * 60_000)
      const title = text(int(5, 10))
      docs.push({
        id: `bench-${j}`,
        slug: `bench-${j}`,
        title: title.charAt(0).toUpperCase() + title.slice(1),
        question: `${text(int(12, 25))}?`,
        answer: `${text(int(50, 110))}. Si veda il ${LAWS[int(0, LAWS.length - 1)]}. ${name()}, ${name()}.`,
        theme: THEMES[int(0, THEMES.length - 1)]!,
        tags: [...new Set(Array.from({ length: int(1, 3) }, () => words(text(1))[0] ?? 'comune'))],
        laws: [LAWS[int(0, LAWS.length - 1)]!],
        year: at.getUTCFullYear(),
        visibility: random() < 0.85 ? 'public' : 'reserved',
        forumDayId: null,
        scopeRegion: null,
        publishedAt: at,
        updatedAt: at,
      })
    }
    yield docs
  }
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
const ms = (n: number) => `${n.toFixed(1)} ms`

export async function temporaryDatabase(serverUrl: string | undefined, keep: boolean): Promise<{ config: DatabaseConfig; drop(): Promise<void>; label: string }> {
  if (!serverUrl) return { config: { kind: 'pglite', dataDir: 'memory://' }, drop: async () => {}, label: 'PGlite (in memory)' }
  const name = `ft_bench_${randomBytes(4).toString('hex')}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`create database "${name}"`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    config: { kind: 'postgres', url: url.toString(), poolMax: 4 },
    drop: keep ? async () => console.log(`kept database ${name} (--keep)`) : () => admin(`drop database if exists "${name}" with (force)`),
    label: `PostgreSQL server (temporary database ${name})`,
  }
}

/**
 * The anchor: every FAQ matching any query word, ranked by ts_rank_cd, top 10. What "rank all
 * matches" costs and finds, measured in the same run.
 */
function naiveIndex(db: Kysely<Database>): Pick<SearchIndex, 'search'> {
  return {
    async search(query: SearchQuery): Promise<SearchResult> {
      const list = [...new Set(words(query.q ?? ''))].filter((w) => w.length > 1)
      const expr = list.join(' | ')
      const { rows } = await sql<{ id: string }>`
        select id from search_faqs where document @@ to_tsquery('italian', ${expr}) and visibility = 'public'
        order by ts_rank_cd(document, to_tsquery('italian', ${expr})) desc, id limit ${query.pageSize}
      `.execute(db)
      return { hits: rows.map((r) => ({ id: r.id, slug: r.id, title: '', snippet: '' })), total: rows.length, totalIsExact: false, facets: { theme: {}, tags: {}, laws: {}, year: {} }, page: 1, pageSize: query.pageSize }
    },
  }
}

/** Bounds no query reaches among the generated FAQs: every FAQ that matches a word is ranked. */
const EVERY_MATCH = { candidates: 1_000_000, postings: 1_000_000, shortlist: 1_000_000, pairPostings: 1_000_000, titlePairPostings: 1_000_000, rerank: 1_000_000 }

/** top-1, recall@3, MRR over the relevance set, and the latency of its queries. */
async function relevanceLine(label: string, index: Pick<SearchIndex, 'search'>, queries?: RelevanceQuery[]): Promise<string> {
  const times: number[] = []
  const timed: Pick<SearchIndex, 'search'> = {
    search: async (query) => {
      const t0 = performance.now()
      const result = await index.search(query)
      times.push(performance.now() - t0)
      return result
    },
  }
  const report = await recallAt(timed as SearchIndex, 3, queries)
  times.sort((a, b) => a - b)
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6)
  return `  ${label.padEnd(34)} top-1 ${pct(report.top1)}  recall@3 ${pct(report.recall)}  MRR ${report.mrr.toFixed(3)}  p50 ${ms(percentile(times, 50)).padStart(9)}  p95 ${ms(percentile(times, 95)).padStart(9)}`
}

export async function run(args: string[]): Promise<void> {
  const total = numberArgument(args, 'docs', 100_000)
  const rounds = numberArgument(args, 'rounds', 15)
  const target = await temporaryDatabase(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL, args.includes('--keep'))
  console.log(`search benchmark: ${total} FAQs on ${target.label}`)
  // Read once: every line of the run measures the same queries.
  const heldOut = heldOutQueries()
  const relevance: string[] = [
    `\nrelevance (${relevanceQueries().length} queries of test/fixtures/relevance and ${heldOut.length} held-out ones, ${relevanceFaqs().length} FAQs; latency per query):`,
  ]
  // Without distractors, each on a database of its own: the fixture's FAQs alone with their own
  // queries, then the whole relevance set (the fixture mixed with the demo FAQs).
  const withoutDistractors = [
    { label: `alone (${fixtureQueries().length} queries)`, documents: relevanceDocuments(fixtureFaqs()), queries: fixtureQueries() },
    { label: 'no distractors', documents: relevanceDocuments(), queries: undefined },
  ]
  for (const { label, documents, queries } of withoutDistractors) {
    const small = await temporaryDatabase(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL, false)
    const h = await openDatabase(small.config)
    try {
      await migrateToLatest(h.db)
      const index = new PostgresSearchIndex(h.db)
      await index.upsert(documents)
      await sql`analyze search_faqs`.execute(h.db)
      relevance.push(await relevanceLine(`engine, ${label}`, index, queries))
      relevance.push(await relevanceLine(`naive ts_rank_cd, ${label}`, naiveIndex(h.db), queries))
      if (!queries) relevance.push(await relevanceLine(`engine, held-out, ${label}`, index, heldOut))
    } finally {
      await h.close()
      await small.drop()
    }
  }
  const handle = await openDatabase(target.config)
  try {
    await migrateToLatest(handle.db)
    const index = new PostgresSearchIndex(handle.db)

    const bar = new cliProgress.SingleBar({ format: 'indexing {bar} {value}/{total} FAQs  {rate} docs/s', hideCursor: true }, cliProgress.Presets.shades_classic)
    bar.start(total, 0, { rate: 0 })
    const began = performance.now()
    let done = 0
    for (const batch of generate(total, 500)) {
      await index.upsert(batch)
      done += batch.length
      bar.update(done, { rate: Math.round(done / ((performance.now() - began) / 1000)) })
    }
    // Published last, as on a live site: the newest rows.
    await index.upsert(relevanceDocuments())
    bar.stop()
    const seconds = (performance.now() - began) / 1000
    await sql`analyze search_faqs`.execute(handle.db)
    // As autovacuum leaves a live site: the postings' visibility map set, so their top-k reads
    // are index-only scans; the document frequencies without the dead rows of their updates
    // (one per lexeme per batch of 500); the vocabulary's trigram index with its pending list
    // merged (until then a correction reads the list whole: 12 ms instead of 2 among 100,000).
    await sql`vacuum analyze search_postings`.execute(handle.db)
    await sql`vacuum analyze search_pair_postings`.execute(handle.db)
    await sql`vacuum analyze search_terms`.execute(handle.db)
    await sql`vacuum analyze search_vocabulary`.execute(handle.db)
    console.log(`indexing: ${total} FAQs in ${seconds.toFixed(1)} s = ${Math.round(total / seconds)} docs/s (batches of 500)`)
    relevance.push(await relevanceLine(`engine, among ${total}`, index))
    if (args.includes('--ceiling')) relevance.push(await relevanceLine(`every match ranked, among ${total}`, new PostgresSearchIndex(handle.db, EVERY_MATCH)))
    relevance.push(await relevanceLine(`naive ts_rank_cd, among ${total}`, naiveIndex(handle.db)))
    // Queries the ranking was not tuned on (test/search/relevance.ts): what a visitor's new query gets.
    relevance.push(await relevanceLine(`engine, held-out, among ${total}`, index, heldOut))
    console.log(relevance.join('\n'))

    const search = (q: string) => index.search({ q, filters: { visibility: ['public'] }, page: 1, pageSize: 10 })
    for (const queries of Object.values(QUERY_MIX)) for (const q of queries) await search(q) // warm-up
    const all: number[] = []
    console.log(`\nquery latency (${rounds} rounds, page of 10, public visitor):`)
    for (const [category, queries] of Object.entries(QUERY_MIX)) {
      const times: number[] = []
      let totals = ''
      for (let r = 0; r < rounds; r++) {
        for (const q of queries) {
          const t0 = performance.now()
          const result = await search(q)
          times.push(performance.now() - t0)
          if (r === 0) totals += ` "${q}"=${result.total}${result.totalIsExact ? '' : '+'}`
        }
      }
      all.push(...times)
      times.sort((a, b) => a - b)
      console.log(`  ${category.padEnd(20)} median ${ms(percentile(times, 50)).padStart(9)}  p95 ${ms(percentile(times, 95)).padStart(9)}   totals:${totals}`)
    }
    all.sort((a, b) => a - b)
    console.log(`  ${'all'.padEnd(20)} median ${ms(percentile(all, 50)).padStart(9)}  p95 ${ms(percentile(all, 95)).padStart(9)}`)
    const browse: number[] = []
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now()
      await index.search({ filters: { visibility: ['public'] }, page: 1, pageSize: 10 })
      browse.push(performance.now() - t0)
    }
    browse.sort((a, b) => a - b)
    console.log(`  ${'browse (no query)'.padEnd(20)} median ${ms(percentile(browse, 50)).padStart(9)}  p95 ${ms(percentile(browse, 95)).padStart(9)}`)
    // The same queries as a visitor who first picked a theme (a ninth of the generated FAQs), the
    // year holding the most FAQs, or the one holding the fewest; kept out of "all".
    const { rows: years } = await sql<{ year: number }>`select year from search_faqs group by year order by count(*) desc, year`.execute(handle.db)
    const filtered: Array<[string, Partial<SearchFilters>]> = [
      ['within a theme', { theme: THEMES[0]! }],
      ['within a big year', { year: years[0]!.year }],
      ['within a small year', { year: years.at(-1)!.year }],
    ]
    for (const [label, filter] of filtered) {
      const times: number[] = []
      for (let r = 0; r < rounds; r++) {
        for (const q of Object.values(QUERY_MIX).flat()) {
          const t0 = performance.now()
          await index.search({ q, filters: { visibility: ['public'], ...filter }, page: 1, pageSize: 10 })
          times.push(performance.now() - t0)
        }
      }
      times.sort((a, b) => a - b)
      console.log(`  ${label.padEnd(20)} median ${ms(percentile(times, 50)).padStart(9)}  p95 ${ms(percentile(times, 95)).padStart(9)}`)
    }

    // For comparison: ranking every match of a common word.
    const naive: number[] = []
    for (let r = 0; r < Math.min(rounds, 5); r++) {
      for (const q of ['comune', 'permesso', 'soggiorno']) {
        const t0 = performance.now()
        await sql`select id from search_faqs where document @@ to_tsquery('italian', ${q}) and visibility = 'public'
          order by ts_rank_cd(document, to_tsquery('italian', ${q})) desc limit 10`.execute(handle.db)
        naive.push(performance.now() - t0)
      }
    }
    naive.sort((a, b) => a - b)
    console.log(`  ${'naive ts_rank_cd'.padEnd(20)} median ${ms(percentile(naive, 50)).padStart(9)}  p95 ${ms(percentile(naive, 95)).padStart(9)}   (common words, top 10 of every match)`)
  } finally {
    await handle.close()
    await target.drop()
  }
}
