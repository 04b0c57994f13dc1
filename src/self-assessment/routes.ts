import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { CONDITIONAL_PROBLEMS, IdParams, IfMatchHeaders, SESSION_SECURITY, SIGNED_IN_PROBLEMS, versionFromIfMatch, withEtag } from '../shared/http.js'
import { Problem } from '../shared/problem.js'
import {
  AggregatesDto,
  AggregatesQuery,
  AnswersBody,
  AssessmentDto,
  AssessmentListQuery,
  QuestionnaireContent,
  QuestionnaireDto,
  QuestionnaireImport,
  QuestionnaireListQuery,
  ResultDto,
  StartBody,
} from './schemas.js'
import { aggregatesCsv } from './results.js'
import type { SelfAssessmentService } from './service.js'

const tags = ['self-assessment']
const security = SESSION_SECURITY
const auth = SIGNED_IN_PROBLEMS

/** /api/v1/self-assessment/...: questionnaires (secretariat), assessments (the organization's staff), results, aggregates. */
const selfAssessmentRoutes: FastifyPluginAsyncZod<{ selfAssessment: SelfAssessmentService }> = async (app, { selfAssessment: sa }) => {
  app.get(
    '/self-assessment/questionnaires',
    {
      schema: {
        tags,
        security,
        summary: 'Questionnaire versions: published and superseded for everyone signed in, drafts too for the secretariat',
        querystring: QuestionnaireListQuery,
        response: { 200: z.array(QuestionnaireDto), 400: Problem, 401: Problem },
      },
    },
    (request) => sa.listQuestionnaires(request.actor, request.query),
  )

  app.post(
    '/self-assessment/questionnaires',
    {
      schema: {
        tags,
        security,
        summary: 'Create (or import from JSON, the export format) a questionnaire: version 1, a draft (moderators)',
        description: '422 QUESTIONNAIRE_INVALID lists every problem (`problems`): fewer than two levels, a score or target outside the scale, a code used twice.',
        body: QuestionnaireImport,
        response: { 201: QuestionnaireDto, ...auth, 422: Problem },
      },
    },
    async (request, reply) => {
      const q = await sa.createQuestionnaire(request.actor, request.body)
      return withEtag(reply, q).status(201).header('location', `/api/v1/self-assessment/questionnaires/${q.id}`).send(q)
    },
  )

  app.get(
    '/self-assessment/questionnaires/:id',
    { schema: { tags, security, summary: 'One questionnaire version', params: IdParams, response: { 200: QuestionnaireDto, ...auth } } },
    async (request, reply) => {
      const q = await sa.getQuestionnaire(request.actor, request.params.id)
      return withEtag(reply, q).send(q)
    },
  )

  app.put(
    '/self-assessment/questionnaires/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Replace the content of the latest version (moderators; If-Match required)',
        description:
          'A version no organization has answered changes in place (200). One already answered stays as it is and the change becomes the next version, a draft (201 with Location): answers keep pointing at the version they answered. ' +
          '409 QUESTIONNAIRE_NOT_LATEST when a newer version exists.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: QuestionnaireContent,
        response: { 200: QuestionnaireDto, 201: QuestionnaireDto, ...auth, 409: Problem, 422: Problem, ...CONDITIONAL_PROBLEMS },
      },
    },
    async (request, reply) => {
      const { questionnaire, created } = await sa.updateQuestionnaire(request.actor, request.params.id, request.body, versionFromIfMatch(request.headers['if-match']))
      if (created) reply.status(201).header('location', `/api/v1/self-assessment/questionnaires/${questionnaire.id}`)
      return withEtag(reply, questionnaire).send(questionnaire)
    },
  )

  app.post(
    '/self-assessment/questionnaires/:id/publish',
    {
      schema: {
        tags,
        security,
        summary: 'Publish the latest version: new assessments start on it, the previous published version is superseded (moderators; If-Match required)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: QuestionnaireDto, ...auth, 409: Problem, ...CONDITIONAL_PROBLEMS },
      },
    },
    async (request, reply) => {
      const q = await sa.publishQuestionnaire(request.actor, request.params.id, versionFromIfMatch(request.headers['if-match']))
      return withEtag(reply, q).send(q)
    },
  )

  app.get(
    '/self-assessment/questionnaires/:id/export',
    {
      schema: {
        tags,
        security,
        summary: 'A version as JSON in the import format (POST it to /self-assessment/questionnaires to import)',
        params: IdParams,
        response: { 200: QuestionnaireImport, ...auth },
      },
    },
    async (request, reply) => {
      const data = await sa.exportQuestionnaire(request.actor, request.params.id)
      return reply.header('content-disposition', `attachment; filename="autodiagnosi-${request.params.id}.json"`).send(data)
    },
  )

  app.get(
    '/self-assessment/assessments',
    {
      schema: {
        tags,
        security,
        summary: "Self-assessments: staff see their organization's, the secretariat any organization's",
        querystring: AssessmentListQuery,
        response: { 200: z.array(AssessmentDto), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    (request) => sa.listAssessments(request.actor, request.query),
  )

  app.post(
    '/self-assessment/assessments',
    {
      schema: {
        tags,
        security,
        summary: "Start your organization's self-assessment on a published questionnaire (staff of an eligible organization)",
        description: '409 ASSESSMENT_IN_PROGRESS (with `assessmentId`) when one is already in progress: colleagues continue the same one.',
        body: StartBody,
        response: { 201: AssessmentDto, ...auth, 409: Problem },
      },
    },
    async (request, reply) => {
      const a = await sa.startAssessment(request.actor, request.body.questionnaireId)
      return withEtag(reply, a).status(201).header('location', `/api/v1/self-assessment/assessments/${a.id}`).send(a)
    },
  )

  app.get(
    '/self-assessment/assessments/:id',
    { schema: { tags, security, summary: "A self-assessment with its answers (the organization's staff, moderators)", params: IdParams, response: { 200: AssessmentDto, ...auth } } },
    async (request, reply) => {
      const a = await sa.getAssessment(request.actor, request.params.id)
      return withEtag(reply, a).send(a)
    },
  )

  app.patch(
    '/self-assessment/assessments/:id',
    {
      schema: {
        tags,
        security,
        summary: "Save answers as you go (the organization's staff; If-Match required: a save on a version a colleague changed is 412 STALE_VERSION)",
        params: IdParams,
        headers: IfMatchHeaders,
        body: AnswersBody,
        response: { 200: AssessmentDto, ...auth, 409: Problem, 422: Problem, ...CONDITIONAL_PROBLEMS },
      },
    },
    async (request, reply) => {
      const a = await sa.saveAnswers(request.actor, request.params.id, request.body.answers, versionFromIfMatch(request.headers['if-match']))
      return withEtag(reply, a).send(a)
    },
  )

  app.post(
    '/self-assessment/assessments/:id/submit',
    {
      schema: {
        tags,
        security,
        summary: 'Submit: every question answered (422 ASSESSMENT_INCOMPLETE lists the missing ones); read-only afterwards (If-Match required)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: AssessmentDto, ...auth, 409: Problem, 422: Problem, ...CONDITIONAL_PROBLEMS },
      },
    },
    async (request, reply) => {
      const a = await sa.submitAssessment(request.actor, request.params.id, versionFromIfMatch(request.headers['if-match']))
      return withEtag(reply, a).send(a)
    },
  )

  app.get(
    '/self-assessment/assessments/:id/result',
    {
      schema: {
        tags,
        security,
        summary: 'Score per area against the target of the organization size, position, recommended FAQs and forum-day themes, comparison with the earlier assessment',
        params: IdParams,
        response: { 200: ResultDto, ...auth, 409: Problem },
      },
    },
    (request) => sa.assessmentResult(request.actor, request.params.id),
  )

  app.get(
    '/self-assessment/aggregates',
    {
      schema: {
        tags,
        security,
        summary: 'Participation and mean scores of an edition by region and population band, most common gaps; groups under 5 organizations suppressed (moderators)',
        querystring: AggregatesQuery,
        response: { 200: AggregatesDto, ...auth },
      },
    },
    (request) => sa.aggregates(request.actor, request.query.editionId),
  )

  app.get(
    '/self-assessment/aggregates.csv',
    {
      schema: {
        tags,
        security,
        summary: 'The aggregates as CSV (UTF-8 with BOM, ";" separated; moderators)',
        querystring: AggregatesQuery,
      },
    },
    async (request, reply) => {
      const csv = aggregatesCsv(await sa.aggregates(request.actor, request.query.editionId))
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="autodiagnosi-aggregati-${request.query.editionId}.csv"`)
        .send(csv)
    },
  )
}

export default selfAssessmentRoutes
