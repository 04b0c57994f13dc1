import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { CONDITIONAL_PROBLEMS, IdParams, IfMatchHeaders, SESSION_SECURITY, SIGNED_IN_PROBLEMS, versionFromIfMatch, withEtag } from '../shared/http.js'
import { Problem } from '../shared/problem.js'
import {
  AnswerBody,
  ClaimNextBody,
  DayParams,
  DeskItemDto,
  PreviewBody,
  PreviewDto,
  DraftBody,
  DraftDto,
  DuplicateBody,
  IdempotencyHeaders,
  MessageBody,
  NewQuestion,
  QuestionDetailDto,
  QuestionDto,
  QuestionEdit,
  QuestionListQuery,
  QueueItemDto,
  QueueQuery,
  ReassignBody,
  RejectBody,
  SimilarBody,
  SimilarResult,
  SweepResult,
} from './schemas.js'
import type { QuestionsService } from './service.js'
import type { Actor } from '../accounts/actor.js'
import type { QuestionDto as QuestionDtoType } from './schemas.js'

const tags = ['questions']
/** Every route of this module needs a session unless it says otherwise (OpenAPI `security`). */
const security = SESSION_SECURITY
const auth = SIGNED_IN_PROBLEMS
const transitionResponses = { 200: QuestionDto, ...auth, 409: Problem }

const questionsRoutes: FastifyPluginAsyncZod<{ questions: QuestionsService }> = async (app, { questions }) => {
  app.post(
    '/forum-days/:id/questions',
    {
      schema: {
        tags,
        security,
        summary: 'Ask a question while the forum day is open (staff of an eligible organization; Idempotency-Key required)',
        description:
          'Retrying with the same Idempotency-Key and body replays the first response (header Idempotent-Replayed: true); the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED. ' +
          'Outside the window: 409 FORUM_DAY_NOT_OPEN / FORUM_DAY_CLOSED / FORUM_DAY_CANCELLED with the window. Not eligible: 403 with the reason as code.',
        params: DayParams,
        headers: IdempotencyHeaders,
        body: NewQuestion,
        response: { 201: QuestionDto, ...auth, 409: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const result = await questions.submit(request.actor, request.params.id, request.body, request.headers['idempotency-key'])
      if (result.replayed) reply.header('idempotent-replayed', 'true')
      return withEtag(reply, result.body)
        .status(result.status)
        .header('location', `/api/v1/questions/${result.body.id}`)
        .send(result.body)
    },
  )

  app.post(
    '/questions/similar',
    {
      schema: {
        tags,
        security,
        summary: 'Published FAQs and open questions (that you may see) similar to a draft',
        body: SimilarBody,
        response: { 200: SimilarResult, 400: Problem, 401: Problem },
      },
    },
    (request) => questions.similar(request.actor, request.body.text, request.body.limit),
  )

  app.get(
    '/questions',
    {
      schema: {
        tags,
        security,
        summary: 'Questions you may see (moderators all, staff their organization, experts the queue and what they handled), newest first',
        description:
          'Filtered in the database, a page at a time (`limit`, `offset`). Filtering by organization, region or expert is for moderators: anyone else gets 403 MODERATORS_ONLY.',
        querystring: QuestionListQuery,
        response: { 200: z.array(QuestionDto), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    (request) => questions.list(request.actor, request.query),
  )

  app.get(
    '/questions/:id',
    { schema: { tags, security, summary: 'A question with its conversation and history', params: IdParams, response: { 200: QuestionDetailDto, ...auth } } },
    async (request, reply) => {
      const q = await questions.get(request.actor, request.params.id)
      return withEtag(reply, q).send(q)
    },
  )

  app.patch(
    '/questions/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Edit a question (the asker while queued; moderators until answered); If-Match required',
        params: IdParams,
        headers: IfMatchHeaders,
        body: QuestionEdit,
        response: { ...transitionResponses, ...CONDITIONAL_PROBLEMS, 422: Problem },
      },
    },
    async (request, reply) => {
      const q = await questions.edit(request.actor, request.params.id, request.body, versionFromIfMatch(request.headers['if-match']))
      return withEtag(reply, q).send(q)
    },
  )

  app.get(
    '/queue',
    {
      schema: {
        tags,
        security,
        summary: "The experts' queue: unclaimed questions oldest first, with waiting time (experts, moderators)",
        querystring: QueueQuery,
        response: { 200: z.array(QueueItemDto), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    (request) => questions.queue(request.actor, request.query),
  )

  // Every field is optional, so no body at all is fine too, even one sent as empty JSON: its own
  // context reads an empty application/json body as "no body" (elsewhere that is MALFORMED_BODY).
  await app.register(async (scope) => {
    const json = scope.getDefaultJsonParser('error', 'error')
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if ((body as string).trim() === '') done(null, undefined)
      else void json(request, body as string, done)
    })
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/queue/claim-next',
      {
        schema: {
          tags,
          security,
          summary: 'Claim the oldest waiting question matching the filter (404 QUEUE_EMPTY when none); the body is optional',
          body: ClaimNextBody,
          response: { 200: QuestionDto, ...auth, 409: Problem },
        },
      },
      (request) => questions.claimNext(request.actor, request.body ?? {}),
    )
  })

  app.get(
    '/queue/mine',
    {
      schema: {
        tags,
        security,
        summary: "The caller's desk: questions with them (claimed, or awaiting a clarification they asked); those the comune just replied to first (experts, moderators)",
        response: { 200: z.array(DeskItemDto), 401: Problem, 403: Problem },
      },
    },
    (request) => questions.desk(request.actor),
  )

  app.post(
    '/answers/preview',
    {
      schema: {
        tags,
        security,
        summary: 'Render Markdown as an answer will read once published (experts, moderators); nothing is saved',
        body: PreviewBody,
        response: { 200: PreviewDto, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    (request) => questions.preview(request.actor, request.body.markdown),
  )

  const action = (path: string, summary: string, handler: (id: string, actor: Actor) => Promise<QuestionDtoType>) =>
    app.post(path, { schema: { tags, security, summary, params: IdParams, response: transitionResponses } }, (request) => handler(request.params.id, request.actor))

  action('/questions/:id/claim', 'Claim a question: a lease the holder renews (409 QUESTION_ALREADY_CLAIMED names the holder)', (id, actor) =>
    questions.claim(actor, id),
  )
  action('/questions/:id/renew', "Renew the caller's claim", (id, actor) => questions.renew(actor, id))
  action('/questions/:id/release', 'Give a claimed question back to the queue (holder or moderator)', (id, actor) => questions.release(actor, id))
  action('/questions/:id/close', 'Close an answered question (asking organization or moderator)', (id, actor) => questions.close(actor, id))
  action('/questions/:id/withdraw', 'Withdraw your own question until it is claimed', (id, actor) => questions.withdraw(actor, id))

  app.post(
    '/questions/:id/reassign',
    {
      schema: { tags, security, summary: 'Give the question to another expert (moderators)', params: IdParams, body: ReassignBody, response: { ...transitionResponses, 422: Problem } },
    },
    (request) => questions.reassign(request.actor, request.params.id, request.body.expertId),
  )

  app.post(
    '/questions/:id/clarification',
    { schema: { tags, security, summary: 'Ask the asker for clarification (claim holder)', params: IdParams, body: MessageBody, response: transitionResponses } },
    (request) => questions.requestClarification(request.actor, request.params.id, request.body.message),
  )

  app.post(
    '/questions/:id/replies',
    {
      schema: { tags, security, summary: 'Reply to a clarification request; the question returns to the expert who asked, who has one lease time to take it up before it goes to the shared queue (asking organization)', params: IdParams, body: MessageBody, response: transitionResponses },
    },
    (request) => questions.reply(request.actor, request.params.id, request.body.message),
  )

  app.post(
    '/questions/:id/answer',
    { schema: { tags, security, summary: 'Answer in Markdown (claim holder only)', params: IdParams, body: AnswerBody, response: transitionResponses } },
    (request) => questions.answer(request.actor, request.params.id, request.body.markdown),
  )

  app.put(
    '/questions/:id/answer',
    {
      schema: {
        tags,
        security,
        summary: 'Correct an answer (the answerer or a moderator); If-Match required',
        params: IdParams,
        headers: IfMatchHeaders,
        body: AnswerBody,
        response: { ...transitionResponses, ...CONDITIONAL_PROBLEMS },
      },
    },
    async (request, reply) => {
      const q = await questions.editAnswer(request.actor, request.params.id, request.body.markdown, versionFromIfMatch(request.headers['if-match']))
      return withEtag(reply, q).send(q)
    },
  )

  app.get(
    '/questions/:id/draft',
    { schema: { tags, security, summary: "The caller's saved answer draft (experts)", params: IdParams, response: { 200: DraftDto, ...auth } } },
    async (request, reply) => {
      const draft = await questions.getDraft(request.actor, request.params.id)
      return withEtag(reply, draft).send(draft)
    },
  )

  app.put(
    '/questions/:id/draft',
    {
      schema: {
        tags,
        security,
        summary: "Save the caller's answer draft server-side; kept when a lease expires. If-Match required (428): the draft's ETag, or \"0\" for the first draft; a stale one is 412 STALE_VERSION with the newer draft in `draft`",
        params: IdParams,
        headers: IfMatchHeaders,
        body: DraftBody,
        response: { 200: DraftDto, ...auth, 409: Problem, ...CONDITIONAL_PROBLEMS },
      },
    },
    async (request, reply) => {
      const draft = await questions.saveDraft(request.actor, request.params.id, request.body.markdown, versionFromIfMatch(request.headers['if-match']))
      return withEtag(reply, draft).send(draft)
    },
  )

  app.post(
    '/questions/:id/duplicate',
    {
      schema: { tags, security, summary: 'Close as a duplicate of a published FAQ (experts, moderators)', params: IdParams, body: DuplicateBody, response: transitionResponses },
    },
    (request) => questions.markDuplicate(request.actor, request.params.id, request.body),
  )

  app.post(
    '/questions/:id/reject',
    { schema: { tags, security, summary: 'Reject as out of scope, with a reason the asker sees (moderators)', params: IdParams, body: RejectBody, response: transitionResponses } },
    (request) => questions.reject(request.actor, request.params.id, request.body.reason),
  )

  app.post(
    '/queue/sweep',
    { schema: { tags, security, summary: 'Return every expired claim to the queue now (moderators; also done lazily)', response: { 200: SweepResult, 401: Problem, 403: Problem } } },
    (request) => questions.sweepAsModerator(request.actor),
  )
}

export default questionsRoutes

declare module 'fastify' {
  interface FastifyInstance {
    /** The questions service (built in buildApp): a scheduler may call sweepExpiredLeases(). */
    questions: QuestionsService
  }
}
