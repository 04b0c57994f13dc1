import websocket from '@fastify/websocket'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Kysely } from 'kysely'
import type { DestinationStream } from 'pino'
import type { Config } from './config.js'
import { openDatabase, type DatabaseHandle } from './db/connect.js'
import type { Database } from './db/database.js'
import { migrateToLatest } from './db/migrations.js'
import { quietDuringOutage } from './db/unavailable.js'
import { waitForDatabase } from './db/wait.js'
import { seedDemoData, type DemoSeeder } from './demo/seed.js'
import { accountsDemoSeeder } from './accounts/demo.js'
import { romeDate } from './i18n/format.js'
import { comuniDemoSeeder } from './comuni/demo.js'
import accountsRoutes from './accounts/routes.js'
import { createAccountsService } from './accounts/service.js'
import auditRoutes from './audit/routes.js'
import { createAuditService } from './audit/service.js'
import comuniRoutes from './comuni/routes.js'
import { createComuniService } from './comuni/service.js'
import auth from './plugins/auth.js'
import forumDaysRoutes from './forum-days/routes.js'
import { createForumDaysService } from './forum-days/service.js'
import { forumDaysDemoSeeder } from './forum-days/demo.js'
import { questionsDemoSeeder } from './questions/demo.js'
import { markdownToPlainText, renderMarkdown } from './shared/markdown.js'
import questionsRoutes from './questions/routes.js'
import { createQuestionsService } from './questions/service.js'
import { forumDayQuestions } from './questions/forum-day-questions.js'
import healthRoutes, { type Dependency } from './health/routes.js'
import { knowledgeBaseDemoSeeder } from './knowledge-base/demo.js'
import knowledgeBaseRoutes from './knowledge-base/routes.js'
import { toSearchDocument } from './knowledge-base/search-document.js'
import { createSearchAnalytics } from './knowledge-base/search-analytics.js'
import { createSearchOutboxWorker, type DrainResult } from './knowledge-base/search-outbox-worker.js'
import { createKnowledgeBaseService, type KnowledgeBaseService } from './knowledge-base/service.js'
import { textTools } from './knowledge-base/text-tools.js'
import { cachedSearchIndex } from './search/cached-search-index.js'
import { selectSearchEngine } from './search/select-engine.js'
import { createRealtime, type Realtime } from './realtime/realtime.js'
import realtimeRoutes from './realtime/routes.js'
import pagesRoutes from './pages/routes.js'
import publicSiteRoutes from './public-site/routes.js'
import secretariatSiteRoutes from './secretariat-site/routes.js'
import { createFaqViewCounter } from './reports/faq-views.js'
import reportPageRoutes from './reports/page-routes.js'
import reportsRoutes from './reports/routes.js'
import { createReportsService } from './reports/service.js'
import staffSiteRoutes from './staff-site/routes.js'
import selfAssessmentRoutes from './self-assessment/routes.js'
import selfAssessmentPages from './self-assessment/pages/routes.js'
import { selfAssessmentDemoSeeder } from './self-assessment/demo.js'
import { createSelfAssessmentService, type SelfAssessmentService } from './self-assessment/service.js'
import { createForumDayReminders } from './mail/reminders.js'
import { mailTransport } from './mail/select-transport.js'
import { createMailWorker, type MailWorker } from './mail/worker.js'
import { createScheduler } from './scheduler/scheduler.js'
import { createLogger, requestIdFor } from './logger.js'
import errors from './plugins/errors.js'
import hostileInput from './plugins/hostile-input.js'
import securityHeaders from './plugins/security-headers.js'
import openapi from './plugins/openapi.js'
import web from './web/plugin.js'
import { meilisearchHealth } from './search/meilisearch-health.js'
import { systemClock, type Clock } from './shared/clock.js'
import { APP_VERSION } from './version.js'

export interface AppOptions {
  /** Replaces the system clock (tests drive time with it). */
  clock?: Clock
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: DestinationStream
}

/** Demo data, in dependency order (organizations before the accounts that belong to them...). */
const demoSeeders: DemoSeeder[] = [comuniDemoSeeder, accountsDemoSeeder, forumDaysDemoSeeder, questionsDemoSeeder, selfAssessmentDemoSeeder]
// How often search analytics counted in memory are written: what a crash may lose at most.
const SEARCH_ANALYTICS_FLUSH_MS = 5_000

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>

/**
 * Builds the whole service: ports chosen from config, plugins, modules. Never listens;
 * `src/server.ts` does, and tests use `app.inject()` or listen on port 0.
 */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock
  const app = Fastify({
    loggerInstance: createLogger(config.log, options.logStream),
    genReqId: requestIdFor,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // Probes hit these every few seconds; their failures are logged by the checks themselves.
      disableRequestLogging: (request) => request.url === '/healthz' || request.url === '/readyz',
    }),
    bodyLimit: config.http.bodyLimit,
    trustProxy: config.http.trustProxy,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  // Callback style, like every hook that runs for every request: an async hook costs a promise
  // and a microtask per request even when it never waits (issue 18, per-request overhead).
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    done(null, payload)
  })

  const database = await openDatabase(config.database, { log: app.log })
  app.addHook('onClose', () => database.close())
  try {
    await assemble(app, database, config, clock)
  } catch (err) {
    // What started before the failure (database, LISTEN connection, timers) must not keep the process alive.
    await app.close().catch((closeErr: unknown) => app.log.error({ err: closeErr }, 'cleanup after a failed start failed'))
    throw err
  }
  return app
}

/** Everything on top of the database; its stop hooks are added as each part starts. */
async function assemble(app: App, database: DatabaseHandle, config: Config, clock: Clock): Promise<void> {
  await prepareDatabase(app, database, config)
  await app.register(errors, { databaseAvailability: database.availability })
  await app.register(hostileInput)
  // Before every route, /docs included, so that every response carries them.
  await app.register(securityHeaders, { hsts: config.sessions.cookieSecure })
  await app.register(openapi, { version: APP_VERSION })
  // Before any route: compression applies to the routes declared after it.
  await app.register(web, { publicOrigin: config.http.publicOrigin, hsts: config.sessions.cookieSecure })
  // Realtime is stopped in a preClose hook below (clients told 1001, go resume elsewhere); this
  // catches any socket that was still opening.
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    preClose(done) {
      for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down')
      done()
    },
  })

  const dependencies: Dependency[] = [{ name: 'database', check: () => database.ping() }]
  if (config.search.meilisearch) dependencies.push(meilisearchHealth(config.search.meilisearch))
  await app.register(healthRoutes, { dependencies })

  const ports: Ports = { db: database.db, database, clock }
  // Background jobs retry on their own; an outage is logged once by the database handle.
  const backgroundLog = quietDuringOutage(app.log, database.availability)
  app.decorate('ports', ports)

  // Domain modules. Services are built here from the ports and handed to the modules that need
  // them; modules never reach into each other's repositories.
  const comuni = createComuniService({ db: database.db, clock })
  const accounts = createAccountsService({
    db: database.db,
    clock,
    comuni,
    publicOrigin: config.http.publicOrigin,
    sessions: config.sessions,
    accounts: config.accounts,
  })
  app.decorate('comuni', comuni)
  app.decorate('accounts', accounts)
  const forumDays = createForumDaysService({ db: database.db, clock, organizations: comuni, questions: forumDayQuestions })

  // The knowledge base reads through the search engine and writes to it through the outbox.
  const searchIndex = cachedSearchIndex(selectSearchEngine(config.search, database.db), config.searchCacheMs)
  const indexer = createSearchOutboxWorker({
    db: database.db,
    clock,
    index: searchIndex,
    // Meilisearch may be down at start: its settings are (re)applied by the worker until they stick.
    prepare: () => searchIndex.applySettings(),
    toDocument: (faq) => toSearchDocument(faq, markdownToPlainText),
    log: backgroundLog,
  })
  const analytics = createSearchAnalytics(database.db, app.log)
  analytics.start(SEARCH_ANALYTICS_FLUSH_MS)
  // Before onClose, where the database closes: the last counts are written.
  app.addHook('preClose', () => analytics.stop())
  const kb: KnowledgeBaseService = createKnowledgeBaseService({
    db: database.db,
    clock,
    text: textTools,
    search: searchIndex,
    analytics,
    sources: {
      question: (id) => questions.sourceQuestion(id),
      organization: async (id) => {
        const org = await comuni.getOrganization(id)
        return { kind: org.kind, name: org.name, region: org.region ?? '', population: org.population, memberNames: org.members.map((m) => m.name) }
      },
      comuniProfile: () => comuni.comuniProfile(),
      organizationContacts: (id, options) => accounts.organizationContacts(id, options),
      themes: (options) => forumDays.themeVocabulary(options),
    },
    publicOrigin: config.http.publicOrigin,
    onIndexingQueued: () => indexer.kick(),
  })
  const questions = createQuestionsService({
    db: database.db,
    clock,
    forumDays,
    organizations: comuni,
    people: {
      getUserSummary: (id) => accounts.getUserSummary(id),
      organizationContacts: (id, options) => accounts.organizationContacts(id, options),
      userContact: (id, options) => accounts.userContact(id, options),
    },
    renderMarkdown,
    legalReferences: (text) =>
      textTools.legalReferences(text).map((ref) => {
        const links = textTools.legalLinks(ref, romeDate(clock.now()))
        return { text: ref.text, label: ref.label, url: links.inForce ?? links.eurLex ?? null }
      }),
    faqs: kb,
    leaseMinutes: config.questions.claimLeaseMinutes,
    publicOrigin: config.http.publicOrigin,
  })
  app.decorate('kb', Object.assign(kb, { drainIndex: () => indexer.drain() }))
  const selfAssessment = createSelfAssessmentService({ db: database.db, clock, organizations: comuni, forumDays, faqs: kb })
  app.decorate('selfAssessment', selfAssessment)
  // FAQ readings are counted in memory and written like the search analytics (no one is recorded).
  const faqViews = createFaqViewCounter(database.db, clock, app.log)
  const reports = createReportsService({ db: database.db, clock, selfAssessment, flushCounters: () => Promise.all([analytics.flush(), faqViews.flush()]) })
  faqViews.start(SEARCH_ANALYTICS_FLUSH_MS)
  app.addHook('preClose', () => faqViews.stop())
  app.decorate('reports', Object.assign(reports, { faqViews }))

  const realtime = await createRealtime({
    db: database.db,
    database,
    databaseUrl: config.database.kind === 'postgres' ? config.database.url : undefined,
    checks: {
      question: (actor, id) => questions.assertVisible(actor, id),
      forumDay: (actor, id) => forumDays.assertVisible(actor, id),
    },
    liveSessions: (ids) => accounts.liveSessionIds(ids),
    log: backgroundLog,
    ...config.realtime,
  })
  app.decorate('realtime', realtime)
  // Before onClose, where the database closes: sockets are told to resume elsewhere first.
  app.addHook('preClose', () => realtime.stop())
  const reminders = createForumDayReminders({ db: database.db, clock, publicOrigin: config.http.publicOrigin, days: forumDays, people: accounts })
  const scheduler = createScheduler({
    clock,
    intervalMs: config.schedulerIntervalMs,
    log: backgroundLog,
    jobs: {
      announceForumDays: () => forumDays.announceDueTransitions(),
      nextForumDayTransition: (after) => forumDays.nextTransitionAfter(after),
      expireLeases: () => questions.sweepExpiredLeases(),
      remindForumDays: () => reminders.queueDue(),
      housekeeping: async () => {
        await questions.purgeIdempotencyKeys()
        await realtime.prune(new Date(clock.now().getTime() - config.realtime.retentionDays * 86_400_000))
      },
    },
  })
  app.decorate('scheduler', scheduler)
  app.decorate('forumDays', forumDays)
  app.decorate('questions', questions)
  const audit = createAuditService({ db: database.db })
  await app.register(auth, { accounts, publicOrigin: config.http.publicOrigin, cookieSecure: config.sessions.cookieSecure })
  await app.register(
    async (api) => {
      await api.register(comuniRoutes, { comuni })
      await api.register(accountsRoutes, { accounts, cookieSecure: config.sessions.cookieSecure })
      await api.register(auditRoutes, { audit })
      await api.register(forumDaysRoutes, { forumDays })
      await api.register(questionsRoutes, { questions })
      await api.register(knowledgeBaseRoutes, { kb, publicOrigin: config.http.publicOrigin })
      await api.register(realtimeRoutes, { hub: realtime.hub, publicOrigin: config.http.publicOrigin })
      await api.register(selfAssessmentRoutes, { selfAssessment })
      await api.register(reportsRoutes, { reports })
    },
    { prefix: '/api/v1' },
  )
  await app.register(pagesRoutes)
  await app.register(staffSiteRoutes, { accounts, forumDays, questions, kb, cookieSecure: config.sessions.cookieSecure })
  await app.register(secretariatSiteRoutes, { accounts, comuni, audit, forumDays, questions, kb })
  await app.register(selfAssessmentPages, { selfAssessment, forumDays, accounts })
  await app.register(reportPageRoutes, { reports })
  await app.register(publicSiteRoutes, {
    kb,
    forumDays,
    faqViews,
    retention: {
      sessionIdleMinutes: config.sessions.idleMinutes,
      sessionAbsoluteHours: config.sessions.absoluteHours,
      loginThrottleMinutes: config.accounts.loginThrottleWindowMinutes,
      eventRetentionDays: config.realtime.retentionDays,
    },
  })

  if (config.demoData) {
    await seedDemoData(database.db, clock, app.log, [...demoSeeders, knowledgeBaseDemoSeeder(kb)])
    // So that search works from the first request, not a worker interval later.
    if (config.searchIndexingIntervalMs > 0) await indexer.drain().catch((err: unknown) => app.log.warn({ err }, 'demo FAQs not indexed yet; the worker retries'))
  }
  if (config.searchIndexingIntervalMs > 0) {
    indexer.start(config.searchIndexingIntervalMs)
    // Before onClose, where the database closes.
    app.addHook('preClose', () => indexer.stop())
  }
  const mail = createMailWorker({ db: database.db, clock, transport: await mailTransport(config.mail, app.log), from: config.mail.from, log: app.log })
  app.decorate('mail', mail)
  if (config.mail.intervalMs > 0) {
    mail.start(config.mail.intervalMs)
    app.addHook('preClose', () => mail.stop())
  }
  if (config.schedulerIntervalMs > 0) {
    scheduler.start()
    app.addHook('preClose', () => scheduler.stop())
  }
}

async function prepareDatabase(app: App, database: DatabaseHandle, config: Config): Promise<void> {
  await waitForDatabase(database, { maxWaitMs: config.databaseStartupWaitMs, log: app.log })
  if (config.migrateOnStart) {
    const applied = await migrateToLatest(database.db)
    if (applied.length > 0) app.log.info({ applied }, 'migrations applied')
  }
}

/** The adapters chosen for this instance; modules receive what they need from here. */
export interface Ports {
  db: Kysely<Database>
  database: DatabaseHandle
  clock: Clock
}

declare module 'fastify' {
  interface FastifyInstance {
    ports: Ports
    /** The knowledge base, and a way to drain its search outbox now (tests, scripts). */
    kb: KnowledgeBaseService & { drainIndex(): Promise<DrainResult> }
    /** The WebSocket hub and the event log reader that feeds it. */
    realtime: Realtime
    /** Background jobs; `tick()` runs one round now. */
    scheduler: ReturnType<typeof createScheduler>
    mail: MailWorker
    selfAssessment: SelfAssessmentService
    /** The secretariat's reports, and the FAQ read counter (`faqViews.flush()` in tests). */
    reports: ReturnType<typeof createReportsService> & { faqViews: ReturnType<typeof createFaqViewCounter> }
  }
}
