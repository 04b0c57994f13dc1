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
import { seedDemoData, type DemoSeeder } from './demo/seed.js'
import { accountsDemoSeeder } from './accounts/demo.js'
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
import { renderMarkdown } from './shared/markdown.js'
import questionsRoutes from './questions/routes.js'
import { createQuestionsService } from './questions/service.js'
import healthRoutes, { type Dependency } from './health/routes.js'
import { createLogger, requestIdFor } from './logger.js'
import errors from './plugins/errors.js'
import openapi from './plugins/openapi.js'
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
const demoSeeders: DemoSeeder[] = [comuniDemoSeeder, accountsDemoSeeder, forumDaysDemoSeeder, questionsDemoSeeder]

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
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  const database = await openDatabase(config.database)
  app.addHook('onClose', () => database.close())
  try {
    await prepareDatabase(app, database, config)
  } catch (err) {
    await database.close()
    throw err
  }

  await app.register(errors)
  await app.register(openapi, { version: APP_VERSION })
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // Tell connected clients the server is going away so they reconnect (and resume) elsewhere.
    preClose(done) {
      for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down')
      done()
    },
  })

  const dependencies: Dependency[] = [{ name: 'database', check: () => database.ping() }]
  if (config.search.meilisearch) dependencies.push(meilisearchHealth(config.search.meilisearch))
  await app.register(healthRoutes, { dependencies })

  const ports: Ports = { db: database.db, database, clock }
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
  const forumDays = createForumDaysService({ db: database.db, clock, organizations: comuni })
  const questions = createQuestionsService({
    db: database.db,
    clock,
    forumDays,
    people: accounts,
    renderMarkdown,
    leaseMinutes: config.questions.claimLeaseMinutes,
  })
  app.decorate('forumDays', forumDays)
  app.decorate('questions', questions)
  await app.register(auth, { accounts, publicOrigin: config.http.publicOrigin, cookieSecure: config.sessions.cookieSecure })
  await app.register(
    async (api) => {
      await api.register(comuniRoutes, { comuni })
      await api.register(accountsRoutes, { accounts, cookieSecure: config.sessions.cookieSecure })
      await api.register(auditRoutes, { audit: createAuditService({ db: database.db }) })
      await api.register(forumDaysRoutes, { forumDays })
      await api.register(questionsRoutes, { questions })
      // (module routes register here, e.g. `await api.register(comuniRoutes, { comuni })`)
      void api
    },
    { prefix: '/api/v1' },
  )

  if (config.demoData) await seedDemoData(database.db, clock, app.log, demoSeeders)
  return app
}

async function prepareDatabase(app: App, database: DatabaseHandle, config: Config): Promise<void> {
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
  }
}
