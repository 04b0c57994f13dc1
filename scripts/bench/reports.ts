/**
 * Reports benchmark (not a test: nothing is asserted). Loads a programme's worth of data — by
 * default 10,000 organizations, 50,000 questions over 10 forum days, 1,000,000 events, 2,000
 * FAQs with 90 days of readings and 12 weeks of searches — then times each report over real HTTP
 * with a moderator's session: the three report pages, their JSON and their CSV, next to
 * `/healthz` as the anchor (the least any request costs on this machine, in the same run).
 *
 *   npm run bench -- reports [--organizations 10000] [--questions 50000] [--events 1000000] [--requests 30] [--keep]
 *
 * Uses a temporary database on BENCH_DATABASE_URL (or DATABASE_URL), dropped at the end; without
 * either, in-memory PGlite. `--keep` keeps the database (to EXPLAIN the queries afterwards). The target (issue 15): each report page under 300 ms on PostgreSQL.
 */
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import { buildApp } from '../../src/app.js'
import { ITALIAN_REGIONS } from '../../src/comuni/import.js'
import { loadConfig } from '../../src/config.js'
import { numberArgument } from './arguments.js'
import { percentile, temporaryDatabase } from './search.js'

const DAYS = 10

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now()
  const result = await work()
  console.log(`  ${label.padEnd(52)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s`)
  return result
}

export async function run(args: string[]): Promise<void> {
  const organizations = numberArgument(args, 'organizations', 10_000)
  const questions = numberArgument(args, 'questions', 50_000)
  const events = numberArgument(args, 'events', 1_000_000)
  const requests = numberArgument(args, 'requests', 30)
  const target = await temporaryDatabase(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL, args.includes('--keep'))
  console.log(`reports benchmark: ${organizations} organizations, ${questions} questions, ${events} events on ${target.label}`)
  const config = loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false', SEARCH_INDEXING_INTERVAL_MS: '0', SCHEDULER_INTERVAL_MS: '0', MAIL_INTERVAL_MS: '0' })
  config.database = target.config
  config.migrateOnStart = true
  const app = await buildApp(config)
  try {
    const db = app.ports.db
    console.log('loading:')
    await timed(`${organizations} comuni in the 20 regions`, () =>
      sql`
        insert into organizations (kind, name, istat_code, province, region, population)
        select 'comune', 'Comune Bench ' || g, lpad((900000 + g)::text, 6, '0'), 'P' || (g % 107), (${[...ITALIAN_REGIONS]}::text[])[1 + g % 20], 100 + (g * 7919) % 60000
        from generate_series(1, ${organizations}) g
      `.execute(db),
    )
    const orgIds = (await db.selectFrom('organizations').select('id').orderBy('istatCode').execute()).map((o) => o.id)
    const staff = await app.accounts.createUserUnchecked({ email: 'staff@bench.example', displayName: 'Bench staff', role: 'staff', organizationId: orgIds[0]!, passwordHash: 'x' })
    const expertIds: string[] = []
    for (let i = 0; i < 20; i++) expertIds.push((await app.accounts.createUserUnchecked({ email: `expert${i}@bench.example`, displayName: `Esperto ${i}`, role: 'expert', passwordHash: 'x' })).id)
    const moderator = await app.accounts.createUserUnchecked({ email: 'moderator@bench.example', displayName: 'Bench moderator', role: 'moderator', passwordHash: 'x' })
    const session = await app.accounts.startSessionUnchecked(moderator.id)
    const actor = { kind: 'user' as const, userId: moderator.id, sessionId: session.sessionId, role: 'moderator' as const, organizationId: null, email: moderator.email, displayName: moderator.displayName }
    const edition = await app.forumDays.createEdition(actor, {
      programme: 'CO-AliZIONE',
      name: 'CO-AliZIONE bench',
      themes: [
        { code: 'anagrafe', label: 'Servizi demografici' },
        { code: 'accoglienza', label: 'Accoglienza e integrazione' },
        { code: 'lavoro', label: 'Lavoro e formazione' },
      ],
      eligibility: { kinds: ['comune', 'unione'], populationMin: 1000, populationMax: 50_000, populationAppliesTo: ['comune'], enrollment: 'not_needed' },
      registryDate: '2026-01-01',
    })
    const start = Date.UTC(2026, 0, 12, 8)
    const days = await timed(`${DAYS} forum days, 8 hours each, two weeks apart`, async () => {
      const made: Array<{ id: string; opensAt: Date }> = []
      for (let i = 0; i < DAYS; i++) {
        const opensAt = new Date(start + i * 14 * 86_400_000)
        const row = await db
          .insertInto('forumDays')
          .values({ editionId: edition.id, title: `Giornata bench ${i + 1}`, themes: ['anagrafe', 'accoglienza', 'lavoro'], opensAt, closesAt: new Date(opensAt.getTime() + 8 * 3_600_000), answerDeadline: new Date(opensAt.getTime() + 3 * 86_400_000), maxOpenQuestionsPerOrganization: null, createdBy: moderator.id, createdAt: opensAt, updatedAt: opensAt })
          .returning('id')
          .executeTakeFirstOrThrow()
        made.push({ id: row.id, opensAt })
      }
      return made
    })
    await timed(`${questions} questions (70% answered, 10% duplicates)`, () =>
      sql`
        insert into questions (forum_day_id, organization_id, asked_by, asker_name, title, body, theme, state, answered_by, answered_by_name, answered_at, answered_late, submitted_at, updated_at)
        select q.day, q.org, ${staff.id}, 'Bench', 'Domanda ' || g, 'Testo della domanda ' || g, (array['anagrafe', 'accoglienza', 'lavoro'])[1 + g % 3],
          case when q.kind < 7 then 'answered' when q.kind = 7 then 'duplicate' else 'submitted' end,
          case when q.kind < 7 then q.expert end, case when q.kind < 7 then 'Esperto ' || (g % 20) end,
          case when q.kind < 7 then q.at + (20 + g % 600) * interval '1 minute' end, case when q.kind < 7 then false end, q.at, q.at
        from generate_series(1, ${questions}) g
        cross join lateral (select (g / ${DAYS}) % 10 as kind, (${days.map((d) => d.id)}::uuid[])[1 + g % ${DAYS}] as day,
          (${orgIds}::uuid[])[1 + (g * 31) % (${Math.ceil(orgIds.length * 0.6)})] as org,
          (${expertIds}::uuid[])[1 + g % 20] as expert,
          (${days.map((d) => d.opensAt.toISOString())}::timestamptz[])[1 + g % ${DAYS}] + ((g / ${DAYS}) % 480) * interval '1 minute' as at) q
      `.execute(db),
    )
    await timed('claims, clarifications and replies', async () => {
      await sql`insert into question_transitions (question_id, action, from_state, to_state, at)
        select id, 'claimed', 'submitted', 'claimed', submitted_at + interval '10 minutes' from questions where state = 'answered'`.execute(db)
      await sql`insert into question_messages (question_id, kind, author_name, author_role, body, created_at)
        select id, k.kind, 'Bench', 'expert', 'Chiarimento', submitted_at + interval '15 minutes'
        from questions cross join (values ('clarification_request'), ('reply')) k(kind) where abs(hashtext(id::text)) % 20 = 0`.execute(db)
    })
    await timed(`${events} events in the event log`, () =>
      sql`insert into events (type, payload, channels, audience) select 'bench.event', '{}'::jsonb, array['queue'], '[]'::jsonb from generate_series(1, ${events})`.execute(db),
    )
    await timed('2,000 FAQs, 90 days of readings, 12 weeks of 3,000 searches', async () => {
      await sql`insert into faqs (slug, title, question, answer, theme, visibility, published_at, updated_at, answered_on, published_by, updated_by, forum_day_id)
        select 'bench-' || g, 'FAQ bench ' || g, 'Domanda', 'Risposta', 'anagrafe', 'public', ${new Date(start).toISOString()}::timestamptz + g * interval '3 hours',
          ${new Date(start).toISOString()}::timestamptz + g * interval '3 hours', '2026-01-12', ${moderator.id}, ${moderator.id},
          case when g % 4 = 0 then (${days.map((d) => d.id)}::uuid[])[1 + g % ${DAYS}] end
        from generate_series(1, 2000) g`.execute(db)
      const today = new Date()
      await sql`insert into faq_views_daily (faq_id, day, views)
        select f.id, (${today.toISOString()}::date - d), 1 + abs(hashtext(f.id::text || d)) % 40 from faqs f cross join generate_series(0, 89) d`.execute(db)
      await sql`insert into search_query_stats (week_start, query, searches, zero_result_searches)
        select date_trunc('week', ${today.toISOString()}::date - w * 7)::date, 'ricerca ' || q, 1 + (q * w) % 50, case when q % 7 = 0 then 1 + q % 5 else 0 end
        from generate_series(1, 3000) q cross join generate_series(0, 11) w`.execute(db)
    })
    // As autovacuum would have left it: statistics, and the visibility map index-only scans need.
    await timed('vacuum analyze', () => sql`vacuum analyze`.execute(db))

    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const headers = { authorization: `Bearer ${session.token}`, 'accept-encoding': 'br, gzip' }
    const dayId = days[DAYS - 1]!.id
    const urls: Array<[string, string]> = [
      ['forum day page (HTML)', `/segreteria/rapporti/giornate/${dayId}`],
      ['GET /api/v1/reports/forum-days/{id}', `/api/v1/reports/forum-days/${dayId}`],
      ['forum day CSV', `/api/v1/reports/forum-days/${dayId}/export.csv`],
      ['edition page (HTML)', `/segreteria/rapporti/edizioni/${edition.id}`],
      ['GET /api/v1/reports/editions/{id}', `/api/v1/reports/editions/${edition.id}`],
      ['edition CSV', `/api/v1/reports/editions/${edition.id}/export.csv`],
      ['knowledge base page (HTML)', '/segreteria/rapporti/banca-dati'],
      ['GET /api/v1/reports/knowledge-base', '/api/v1/reports/knowledge-base'],
      ['GET /healthz (anchor)', '/healthz'],
    ]
    const get = async (path: string) => {
      const t0 = performance.now()
      const response = await fetch(`${base}${path}`, { headers })
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`)
      return performance.now() - t0
    }
    // Warm-up of every URL first (JIT, pool, PostgreSQL caches, the asset manifest), then the
    // URLs in turn, one request each per round: a burst of load from elsewhere hits all alike.
    for (let i = 0; i < 5; i++) for (const [, path] of urls) await get(path)
    const times = urls.map(() => [] as number[])
    for (let round = 0; round < requests; round++) for (const [i, [, path]] of urls.entries()) times[i]!.push(await get(path))
    console.log(`\n${requests} rounds of one request per URL, a day of ${Math.round(questions / DAYS)} questions:`)
    for (const [i, [label]] of urls.entries()) {
      const sorted = times[i]!.sort((a, b) => a - b)
      console.log(`  ${label.padEnd(40)} p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(sorted, 95).toFixed(1).padStart(7)} ms   max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms`)
    }
  } finally {
    await app.close()
    await target.drop()
  }
}
