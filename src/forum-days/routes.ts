import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Problem } from '../shared/problem.js'
import {
  CancelForumDay,
  EditionDto,
  EditionPatch,
  EligibilityDto,
  EnrollmentParams,
  ForumDayDto,
  ForumDayList,
  ForumDayPatch,
  ForumDayQuery,
  NewEdition,
  NewForumDay,
  WipeResult,
} from './schemas.js'
import type { ForumDaysService } from './service.js'
import { z } from 'zod'
import { CONDITIONAL_PROBLEMS, IdParams, IfMatchHeaders, SESSION_SECURITY, SIGNED_IN_PROBLEMS, sendJsonText, versionFromIfMatch, withEtag } from '../shared/http.js'

const tags = ['forum days']
/** Every route of this module needs a session unless it says otherwise (OpenAPI `security`). */
const security = SESSION_SECURITY
const problems = SIGNED_IN_PROBLEMS

const forumDaysRoutes: FastifyPluginAsyncZod<{ forumDays: ForumDaysService }> = async (app, { forumDays }) => {
  app.get(
    '/editions',
    { schema: { tags, security, summary: 'Programme editions with their themes and eligibility rule (signed-in users)', response: { 200: z.array(EditionDto), 401: Problem } } },
    (request) => forumDays.listEditions(request.actor),
  )

  app.post(
    '/editions',
    {
      schema: {
        tags,
        security,
        summary: 'Create a programme edition (moderators)',
        body: NewEdition,
        response: { 201: EditionDto, ...problems, 422: Problem },
      },
    },
    async (request, reply) => reply.status(201).send(await forumDays.createEdition(request.actor, request.body)),
  )

  app.get(
    '/editions/:id',
    { schema: { tags, security, summary: 'One programme edition', params: IdParams, response: { 200: EditionDto, ...problems } } },
    async (request, reply) => {
      const edition = await forumDays.getEdition(request.actor, request.params.id)
      return withEtag(reply, edition).send(edition)
    },
  )

  app.patch(
    '/editions/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Edit an edition; changing the rule or registry date remakes eligibility decisions (moderators)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: EditionPatch,
        response: { 200: EditionDto, ...problems, 409: Problem, ...CONDITIONAL_PROBLEMS, 422: Problem },
      },
    },
    async (request, reply) => {
      const edition = await forumDays.updateEdition(request.actor, request.params.id, request.body, versionFromIfMatch(request.headers['if-match']))
      return withEtag(reply, edition).send(edition)
    },
  )

  app.put(
    '/editions/:id/enrollments/:organizationId',
    { schema: { tags, security, summary: 'Enroll an organization in an edition (moderators)', params: EnrollmentParams, response: { 200: EditionDto, ...problems } } },
    (request) => forumDays.setEnrollment(request.actor, request.params.id, request.params.organizationId, true),
  )

  app.delete(
    '/editions/:id/enrollments/:organizationId',
    { schema: { tags, security, summary: 'Remove an enrollment (moderators)', params: EnrollmentParams, response: { 200: EditionDto, ...problems } } },
    (request) => forumDays.setEnrollment(request.actor, request.params.id, request.params.organizationId, false),
  )

  app.get(
    '/editions/:id/eligibility/:organizationId',
    {
      schema: {
        tags,
        security,
        summary: "An organization's eligibility for an edition, with its reason (moderators; staff for their own organization)",
        params: EnrollmentParams,
        response: { 200: EligibilityDto, ...problems },
      },
    },
    (request) => forumDays.eligibility(request.actor, request.params.id, request.params.organizationId),
  )

  app.get(
    '/forum-days',
    {
      schema: {
        tags,
        summary: 'Forum days with their state by the server clock and their counts (anyone; rehearsals only for signed-in users)',
        querystring: ForumDayQuery,
        response: { 200: ForumDayList, 400: Problem },
      },
    },
    async (request, reply) => sendJsonText(reply, await forumDays.listJson(request.actor, request.query)),
  )

  app.post(
    '/forum-days',
    {
      schema: {
        tags,
        security,
        summary: 'Schedule a forum day (moderators)',
        body: NewForumDay,
        response: { 201: ForumDayDto, ...problems, 422: Problem },
      },
    },
    async (request, reply) => {
      const day = await forumDays.create(request.actor, request.body)
      return withEtag(reply.status(201), day).header('location', `/api/v1/forum-days/${day.id}`).send(day)
    },
  )

  app.get(
    '/forum-days/:id',
    { schema: { tags, summary: 'One forum day', params: IdParams, response: { 200: ForumDayDto, 400: Problem, 404: Problem } } },
    async (request, reply) => {
      const day = await forumDays.get(request.actor, request.params.id)
      return withEtag(reply, day).send(day)
    },
  )

  app.patch(
    '/forum-days/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Edit a forum day; once it has opened its opening cannot move (moderators)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: ForumDayPatch,
        response: { 200: ForumDayDto, ...problems, 409: Problem, ...CONDITIONAL_PROBLEMS, 422: Problem },
      },
    },
    async (request, reply) => {
      const day = await forumDays.update(request.actor, request.params.id, request.body, versionFromIfMatch(request.headers['if-match']))
      return withEtag(reply, day).send(day)
    },
  )

  app.post(
    '/forum-days/:id/cancel',
    {
      schema: {
        tags,
        security,
        summary: 'Cancel an upcoming or open forum day (moderators)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: CancelForumDay,
        response: { 200: ForumDayDto, ...problems, 409: Problem, ...CONDITIONAL_PROBLEMS },
      },
    },
    async (request, reply) => {
      const day = await forumDays.cancel(request.actor, request.params.id, request.body.reason, versionFromIfMatch(request.headers['if-match']))
      return withEtag(reply, day).send(day)
    },
  )

  app.post(
    '/forum-days/:id/rehearsal/wipe',
    {
      schema: {
        tags,
        security,
        summary: 'Delete everything a rehearsal day produced (moderators; 409 NOT_A_REHEARSAL for a real day)',
        params: IdParams,
        response: { 200: WipeResult, ...problems, 409: Problem },
      },
    },
    (request) => forumDays.wipeRehearsal(request.actor, request.params.id),
  )
}

export default forumDaysRoutes

declare module 'fastify' {
  interface FastifyInstance {
    /** The forum days service (built in buildApp): the realtime scheduler calls announceDueTransitions(). */
    forumDays: ForumDaysService
  }
}
