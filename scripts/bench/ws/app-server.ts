/**
 * Child process: the real service (buildApp, the same realtime hub, event reader and wake-up bus
 * as in production), listening on 127.0.0.1 on a free port. Ticks are committed to the event log
 * exactly like domain events are; the commit's notification wakes the reader, which fans out.
 *
 * Its environment is set by bench/ws.ts (LOG_LEVEL=silent, no demo data, scheduler and indexer
 * off, in-memory PGlite unless DATABASE_URL).
 */
import type { AddressInfo } from 'node:net'
import type { UserActor } from '../../../src/accounts/actor.js'
import { buildApp, type App } from '../../../src/app.js'
import { loadConfig } from '../../../src/config.js'
import { appendEvent, channel } from '../../../src/events/event-log.js'
import { serve } from './ipc.js'
import { steadyMemory } from './memory.js'
import { epochNow, TICK, type ServerCommands, type TickPayload } from './protocol.js'

const HOUR = 3_600_000

/**
 * A public forum day, open now, made the way moderators make one (through the service, so every
 * check an anonymous subscriber triggers finds real rows). Mirrors test/factories/forum.ts.
 */
async function createOpenForumDay(app: App): Promise<string> {
  const email = `bench-moderator-${process.pid}@bench.invalid`
  const user = await app.accounts.createUserUnchecked({ email, displayName: 'Benchmark moderator', role: 'moderator' })
  const session = await app.accounts.startSessionUnchecked(user.id)
  const moderator: UserActor = { kind: 'user', userId: user.id, sessionId: session.sessionId, role: 'moderator', organizationId: null, email, displayName: user.displayName }
  const themes = [{ code: 'servizi-demografici', label: 'Servizi demografici e soggiorno del cittadino straniero' }]
  const edition = await app.forumDays.createEdition(moderator, {
    programme: 'Piano di Azione Piccoli Comuni',
    name: `Benchmark WebSocket ${process.pid}`,
    themes,
    eligibility: { kinds: ['comune', 'unione'], populationMax: 5000, populationAppliesTo: ['comune'], enrollment: 'not_needed' },
    registryDate: '2026-01-01',
  })
  const now = app.ports.clock.now().getTime()
  const day = await app.forumDays.create(moderator, {
    editionId: edition.id,
    title: 'Giornata di forum del benchmark',
    themes: themes.map((t) => t.code),
    opensAt: new Date(now - HOUR).toISOString(),
    closesAt: new Date(now + 7 * HOUR).toISOString(),
    maxOpenQuestionsPerOrganization: null,
    rehearsal: false, // rehearsals are hidden from anonymous visitors
  })
  return day.id
}

let app: App | undefined
let forumDay = ''

const started = () => {
  if (!app) throw new Error('not started')
  return app
}

serve<ServerCommands>({
  async start() {
    const config = loadConfig(process.env)
    app = await buildApp(config)
    forumDay = channel.forumDay(await createOpenForumDay(app))
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as AddressInfo
    const db = config.database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite in memory'
    return { url: `ws://127.0.0.1:${port}/api/v1/ws`, channel: forumDay, label: `forum-telematico (${db})` }
  },

  memory: () => steadyMemory(() => started().realtime.hub.stats().connections),

  async emit({ seq }) {
    const db = started().ports.db
    // Stamped before the transaction: the latency covers insert, commit, wake-up, read and fan-out.
    const payload: TickPayload = { sentAt: epochNow(), seq }
    await db.transaction().execute((trx) => appendEvent(trx, { type: TICK, payload: { ...payload }, channels: [forumDay], audience: [{ kind: 'public' }] }))
    return { sentAt: payload.sentAt }
  },

  async stop() {
    await app?.close()
    return null
  },
})
