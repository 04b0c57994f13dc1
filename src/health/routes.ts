import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isDatabaseUnavailable } from '../db/unavailable.js'
import { sendProblem } from '../plugins/errors.js'
import { Problem } from '../shared/problem.js'

/** Something readiness depends on: the database always, the search engine when one is configured. */
export interface Dependency {
  name: string
  check(): Promise<void>
}

const CheckResult = z.enum(['up', 'down'])

const healthRoutes: FastifyPluginAsyncZod<{ dependencies: Dependency[] }> = async (app, { dependencies }) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is running',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database (and the search engine, when configured) answer',
        response: {
          200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), CheckResult) }),
          503: Problem,
        },
      },
    },
    async (request, reply) => {
      const results = await Promise.all(
        dependencies.map(async (dep) => {
          try {
            await dep.check()
            return [dep.name, 'up'] as const
          } catch (err) {
            // An unreachable database is logged once per outage where it is detected, not per probe.
            if (!isDatabaseUnavailable(err)) request.log.warn({ err, dependency: dep.name }, 'readiness check failed')
            return [dep.name, 'down'] as const
          }
        }),
      )
      const checks = Object.fromEntries(results)
      const down = results.filter(([, state]) => state === 'down').map(([name]) => name)
      if (down.length > 0) {
        return sendProblem(request, reply, 503, 'NOT_READY', `Not ready: ${down.join(', ')} unreachable`, { checks })
      }
      return { status: 'ready' as const, checks }
    },
  )
}

export default healthRoutes
