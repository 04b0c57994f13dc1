import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { CONDITIONAL_PROBLEMS, IfMatchHeaders, SESSION_SECURITY, versionFromIfMatch, withEtag } from '../shared/http.js'
import { Problem } from '../shared/problem.js'
import { atomFeed, OPEN_DATA_COLUMNS, OPEN_DATA_LICENSE, openDataRecord, toCsv } from './open-data.js'
import {
  AmendmentBody,
  AmendmentResult,
  FaqDto,
  FaqSearchQuery,
  FaqSearchResult,
  PrivacyCheckBody,
  PrivacyCheckResult,
  PublishFaqBody,
  RevisionDto,
  SearchAnalytics,
  ThemeDto,
  UpdateFaqBody,
} from './schemas.js'
import type { KnowledgeBaseService } from './service.js'

const SlugParams = z.object({ slug: z.string().min(1).max(120) })

const tags = ['knowledge base']
/** Every route of this module needs a session unless it says otherwise (OpenAPI `security`). */
const security = SESSION_SECURITY

const knowledgeBaseRoutes: FastifyPluginAsyncZod<{ kb: KnowledgeBaseService; publicOrigin: string }> = async (app, { kb, publicOrigin }) => {
  app.get(
    '/faqs',
    {
      schema: {
        tags,
        summary: 'Search the Domande & Risposte (public FAQs; signed-in users also get the reserved area)',
        querystring: FaqSearchQuery,
        response: { 200: FaqSearchResult, 400: Problem, 503: Problem },
      },
    },
    (request) => kb.search(request.actor, request.query),
  )

  app.get(
    '/faqs/feed.atom',
    { schema: { tags, summary: 'Atom feed of the newest public FAQs' } },
    async (_request, reply) =>
      reply.type('application/atom+xml; charset=utf-8').send(atomFeed(await kb.newestPublic(50), publicOrigin, app.ports.clock.now())),
  )

  app.get(
    '/faqs/export.json',
    { schema: { tags, summary: 'Open data: every public FAQ as JSON' } },
    async (_request, reply) => {
      const faqs = await kb.allPublic()
      return reply
        .header('content-disposition', 'attachment; filename="domande-e-risposte.json"')
        .type('application/json; charset=utf-8')
        .send(
          JSON.stringify({
            title: 'Domande & Risposte dei forum telematici ANCI',
            license: OPEN_DATA_LICENSE,
            generatedAt: app.ports.clock.now().toISOString(),
            fields: OPEN_DATA_COLUMNS,
            records: faqs.map((faq) => openDataRecord(faq, publicOrigin)),
          }),
        )
    },
  )

  app.get(
    '/faqs/export.csv',
    { schema: { tags, summary: 'Open data: every public FAQ as CSV (UTF-8 with BOM, fields separated by ";", as Italian spreadsheets expect)' } },
    async (_request, reply) => {
      const faqs = await kb.allPublic()
      return reply
        .header('content-disposition', 'attachment; filename="domande-e-risposte.csv"')
        .type('text/csv; charset=utf-8; header=present')
        .send(toCsv(faqs.map((faq) => openDataRecord(faq, publicOrigin)), OPEN_DATA_COLUMNS))
    },
  )

  app.get(
    '/faqs/:slug',
    {
      schema: {
        tags,
        summary: 'One FAQ with its legal references and related FAQs',
        params: SlugParams,
        response: { 200: FaqDto, 301: z.undefined().describe('The FAQ moved to a new slug (Location)'), 404: Problem },
      },
    },
    async (request, reply) => {
      const faq = await kb.get(request.actor, request.params.slug).catch(async (err: unknown) => {
        // A slug changed by the word-boundary rule: old links follow the FAQ.
        const current = await kb.currentSlug(request.params.slug)
        if (current) return current
        throw err
      })
      if (typeof faq === 'string') return reply.redirect(`/api/v1/faqs/${encodeURIComponent(faq)}`, 301)
      return withEtag(reply, faq).send(faq)
    },
  )

  app.get(
    '/faq-themes',
    { schema: { tags, summary: 'The theme vocabulary of FAQs and questions (the programme editions\' themes)', response: { 200: z.array(ThemeDto) } } },
    () => kb.themes(),
  )

  app.post(
    '/faqs',
    {
      schema: {
        tags,
        security,
        summary: 'Publish an answered question as an FAQ (moderators)',
        body: PublishFaqBody,
        response: { 201: FaqDto, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const faq = await kb.publish(request.actor, request.body, request.ip)
      return withEtag(reply.status(201), faq).header('location', `/api/v1/faqs/${faq.slug}`).send(faq)
    },
  )

  app.patch(
    '/faqs/:slug',
    {
      schema: {
        tags,
        security,
        summary: 'Edit an FAQ (moderators); If-Match is required, a stale version gets 412',
        params: SlugParams,
        headers: IfMatchHeaders,
        body: UpdateFaqBody,
        response: { 200: FaqDto, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, ...CONDITIONAL_PROBLEMS },
      },
    },
    async (request, reply) => {
      const faq = await kb.update(request.actor, request.params.slug, versionFromIfMatch(request.headers['if-match']), request.body, request.ip)
      return withEtag(reply, faq).send(faq)
    },
  )

  app.post(
    '/faqs/:slug/unpublish',
    {
      schema: {
        tags,
        security,
        summary: 'Withdraw an FAQ from the knowledge base (moderators); If-Match required, a stale version gets 412',
        params: SlugParams,
        headers: IfMatchHeaders,
        response: { 200: FaqDto, 400: Problem, 401: Problem, 403: Problem, 404: Problem, ...CONDITIONAL_PROBLEMS },
      },
    },
    async (request, reply) => {
      const faq = await kb.unpublish(request.actor, request.params.slug, versionFromIfMatch(request.headers['if-match']))
      return withEtag(reply, faq).send(faq)
    },
  )

  app.get(
    '/faqs/:slug/revisions',
    {
      schema: { tags, security, summary: 'Revision history (moderators)', params: SlugParams, response: { 200: z.array(RevisionDto), 403: Problem, 404: Problem } },
    },
    (request) => kb.revisions(request.actor, request.params.slug),
  )

  app.post(
    '/faq-privacy-checks',
    {
      schema: {
        tags,
        security,
        summary: 'Scan a draft FAQ for personal data before publishing (moderators)',
        body: PrivacyCheckBody,
        response: { 200: PrivacyCheckResult, 403: Problem },
      },
    },
    (request) => kb.privacyCheck(request.actor, request.body),
  )

  app.get(
    '/faq-review-queue',
    { schema: { tags, security, summary: 'FAQs flagged by a change in the law or past their review date (moderators)', response: { 200: z.array(FaqDto), 403: Problem } } },
    (request) => kb.reviewQueue(request.actor),
  )

  app.post(
    '/legal-amendments',
    {
      schema: {
        tags,
        security,
        summary: 'Record that an act was amended: every FAQ citing it is flagged for review (moderators)',
        body: AmendmentBody,
        response: { 201: AmendmentResult, 403: Problem, 422: Problem },
      },
    },
    async (request, reply) => reply.status(201).send(await kb.recordAmendment(request.actor, request.body)),
  )

  app.get(
    '/search-analytics',
    {
      schema: {
        tags,
        security,
        summary: 'Most frequent queries and queries that found nothing, per week (moderators; no user identity is stored)',
        querystring: z.object({ weeks: z.coerce.number().int().min(1).max(52).default(8) }),
        response: { 200: SearchAnalytics, 403: Problem },
      },
    },
    (request) => kb.searchAnalytics(request.actor, request.query.weeks),
  )
}

export default knowledgeBaseRoutes
