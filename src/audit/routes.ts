import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Problem } from '../shared/problem.js'
import { AuditPage, AuditQuery } from './schemas.js'
import type { AuditService } from './service.js'

const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/audit-log',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Security-relevant actions, newest first (admins)',
        security: [{ bearer: [] }, { cookie: [] }] as { [scheme: string]: string[] }[],
        querystring: AuditQuery,
        response: { 200: AuditPage, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    (req) => audit.list(req.actor, req.query),
  )
}

export default auditRoutes
