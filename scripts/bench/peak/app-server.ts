/**
 * Child process: the real service (buildApp from the environment bench/peak.ts sets: demo data,
 * logging at info into /dev/null, scheduler and indexer off), listening on 127.0.0.1, with the
 * benchmark's people: staff members of their own comuni and experts, each with a session.
 */
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import pino from 'pino'
import type { UserActor } from '../../../src/accounts/actor.js'
import { buildApp, type App } from '../../../src/app.js'
import { loadConfig } from '../../../src/config.js'
import { serve } from '../ws/ipc.js'
import type { AppServerCommands } from './protocol.js'

const HOUR = 3_600_000
const THEMES = [{ code: 'servizi-demografici', label: 'Servizi demografici e soggiorno del cittadino straniero' }]

let app: App | undefined
let moderator: UserActor | undefined
let editionId = ''
let asker: { userId: string; organizationId: string } | undefined
let days = 0

const started = () => {
  if (!app || !moderator || !asker) throw new Error('not started')
  return { app, moderator, asker }
}

async function person(app: App, role: 'staff' | 'expert' | 'moderator', n: number, organizationId: string | null = null) {
  const email = `bench-${role}-${n}-${process.pid}@bench.invalid`
  const user = await app.accounts.createUserUnchecked({ email, displayName: `Bench ${role} ${n}`, role, organizationId })
  const session = await app.accounts.startSessionUnchecked(user.id)
  const actor: UserActor = { kind: 'user', userId: user.id, sessionId: session.sessionId, role, organizationId, email, displayName: user.displayName }
  return { actor, headers: { authorization: `Bearer ${session.token}` } }
}

serve<AppServerCommands>({
  async start({ staff, experts }) {
    const config = loadConfig(process.env)
    app = await buildApp(config, { logStream: pino.destination({ dest: '/dev/null', sync: true }) })
    await app.ready()
    await app.kb.drainIndex() // the demo FAQs, searchable before the first request
    moderator = (await person(app, 'moderator', 0)).actor
    // Comuni of their own (ISTAT codes from 990000: no real comune has them), under 5,000 inhabitants.
    const comuni = Array.from({ length: staff }, (_, i) => ({ istatCode: String(990000 + i), name: `Comune Bench ${i}`, province: 'TO', region: 'Piemonte', population: 3000 }))
    await app.comuni.upsertComuni(comuni)
    const organizations = await Promise.all(comuni.map((c) => app!.comuni.getComune(c.istatCode)))
    const staffPeople = []
    for (const [i, o] of organizations.entries()) staffPeople.push(await person(app, 'staff', i, o.id))
    const expertPeople = []
    for (let i = 0; i < experts; i++) expertPeople.push(await person(app, 'expert', i))
    asker = { userId: staffPeople[0]!.actor.userId, organizationId: organizations[0]!.id }
    const edition = await app.forumDays.createEdition(moderator, {
      programme: 'Piano di Azione Piccoli Comuni',
      name: `Benchmark giornata di punta ${process.pid}`,
      themes: THEMES,
      eligibility: { kinds: ['comune', 'unione'], populationMax: 5000, populationAppliesTo: ['comune'], enrollment: 'not_needed' },
      registryDate: '2026-01-01',
    })
    editionId = edition.id
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as AddressInfo
    const db = config.database.kind === 'postgres' ? 'PostgreSQL server' : 'PGlite in memory'
    return { base: `http://127.0.0.1:${port}`, label: `forum-telematico on ${db}`, staff: staffPeople.map((p) => p.headers), experts: expertPeople.map((p) => p.headers) }
  },

  async day({ queue, cap }) {
    const { app, moderator, asker } = started()
    const now = app.ports.clock.now().getTime()
    const day = await app.forumDays.create(moderator, {
      editionId,
      title: `Giornata di punta ${++days}`,
      themes: THEMES.map((t) => t.code),
      opensAt: new Date(now - HOUR).toISOString(),
      closesAt: new Date(now + 7 * HOUR).toISOString(),
      maxOpenQuestionsPerOrganization: cap,
      rehearsal: false,
    })
    if (queue > 0) {
      // What the day looks like after a busy morning: one statement, not 5,000 submissions.
      await sql`
        insert into questions (forum_day_id, organization_id, asked_by, asker_name, title, body, theme, state, submitted_at, updated_at)
        select ${day.id}, ${asker.organizationId}, ${asker.userId}, 'Bench staff', 'Domanda in coda ' || g,
          'Il richiedente asilo ospite di un centro di accoglienza può chiedere la residenza?', 'servizi-demografici', 'submitted',
          ${new Date(now)}::timestamptz - make_interval(secs => ${queue} - g), ${new Date(now)}
        from generate_series(1, ${queue}::int) g
      `.execute(app.ports.db)
      await sql`analyze questions`.execute(app.ports.db)
    }
    return { forumDayId: day.id }
  },

  async doubleAssignments({ forumDayId }) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from (
        select t.question_id from question_transitions t join questions q on q.id = t.question_id
        where q.forum_day_id = ${forumDayId} and t.action = 'claimed' group by t.question_id having count(*) > 1
      ) doubled
    `.execute(started().app.ports.db)
    return { questions: rows[0]?.n ?? 0 }
  },

  async stop() {
    await app?.close()
    return null
  },
})
