import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { SESSION_SECURITY } from '../shared/http.js'
import { Problem } from '../shared/problem.js'
import { ComuniQuery, IstatParams, NewUnione, OrganizationDto, OrganizationParams, UnioneUpdate, UnioniQuery } from './schemas.js'
import type { ComuniService } from './service.js'

const tags = ['comuni']
const security = SESSION_SECURITY

/**
 * The registry is public data (ISTAT codes, names, populations; which comuni form an Unione), so
 * reading it needs no account; only moderators change Unioni.
 */
const comuniRoutes: FastifyPluginAsyncZod<{ comuni: ComuniService }> = async (app, { comuni }) => {
  app.get(
    '/comuni',
    {
      schema: {
        tags,
        summary: 'Search comuni by name prefix (accents and case ignored; anyone: public ISTAT data)',
        querystring: ComuniQuery,
        response: { 200: z.object({ comuni: z.array(OrganizationDto) }), 400: Problem },
      },
    },
    async (req) => ({ comuni: await comuni.searchComuni(req.query.prefix, req.query.limit) }),
  )

  app.get(
    '/comuni/:istatCode',
    {
      schema: {
        tags,
        summary: 'A comune by ISTAT code (anyone)',
        params: IstatParams,
        response: { 200: OrganizationDto, 400: Problem, 404: Problem },
      },
    },
    (req) => comuni.getComune(req.params.istatCode),
  )

  app.get(
    '/unioni',
    {
      schema: {
        tags,
        summary: 'Unioni di Comuni with their members (optionally by name prefix; anyone)',
        querystring: UnioniQuery,
        response: { 200: z.object({ unioni: z.array(OrganizationDto) }), 400: Problem },
      },
    },
    async (req) => ({ unioni: await comuni.listUnioni(req.query.prefix, req.query.limit) }),
  )

  app.post(
    '/unioni',
    {
      schema: {
        tags,
        summary: 'Register an Unione di Comuni (moderators and admins)',
        security,
        body: NewUnione,
        response: { 201: OrganizationDto, 400: Problem, 401: Problem, 403: Problem, 409: Problem, 422: Problem },
      },
    },
    async (req, reply) => reply.status(201).send(await comuni.createUnione(req.actor, req.body, req.ip)),
  )

  app.patch(
    '/unioni/:id',
    {
      schema: {
        tags,
        summary: 'Rename an Unione or replace its members (moderators and admins)',
        security,
        params: OrganizationParams,
        body: UnioneUpdate,
        response: { 200: OrganizationDto, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    (req) => comuni.updateUnione(req.actor, req.params.id, req.body, req.ip),
  )

  app.get(
    '/organizations/:id',
    {
      schema: {
        tags,
        summary: 'A comune or an Unione by id (anyone: the same public data as the lists)',
        params: OrganizationParams,
        response: { 200: OrganizationDto, 400: Problem, 404: Problem },
      },
    },
    (req) => comuni.getOrganization(req.params.id),
  )
}

export default comuniRoutes

declare module 'fastify' {
  interface FastifyInstance {
    /** The comuni registry service (built in buildApp), for modules and tests that need it. */
    comuni: ComuniService
  }
}
