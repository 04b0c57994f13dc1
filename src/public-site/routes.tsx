import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { ForumDaysService } from '../forum-days/service.js'
import { site } from '../i18n/site.js'
import { statements, type Retention } from '../i18n/statements.js'
import type { KnowledgeBaseService } from '../knowledge-base/service.js'
import { DomainError } from '../shared/errors.js'
import { markdownToPlainText } from '../shared/markdown.js'
import { sendPage } from '../web/render.js'
import { FaqPage, faqJsonLd, FEED_PATH } from './faq-page.js'
import { FaqSearchPage, searchHref, type SearchParams } from './faq-search.js'
import { ForumPage } from './forum.js'
import { HomePage } from './home.js'
import { OpenDataPage } from './open-data.js'
import { PUBLIC_PAGES, robotsTxt, SITEMAP_LIMIT, sitemapIndex, urlSet } from './seo.js'
import { ProsePage } from './statements.js'

export interface PublicSiteOptions {
  kb: KnowledgeBaseService
  forumDays: ForumDaysService
  retention: Retention
  /** Counts a reading of an FAQ page (per FAQ and day; nobody is recorded). */
  faqViews?: { record(faqId: string): void }
}

const RESULTS_PER_PAGE = 10

const SearchPageQuery = z.object({
  q: z.string().trim().max(200).optional(),
  theme: z.string().max(200).optional(),
  tag: z.string().max(60).optional(),
  law: z.string().max(60).optional(),
  year: z.coerce.number().int().min(1990).max(2100).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
})

const feedLink = { type: 'application/atom+xml', title: site.faq.feed, href: FEED_PATH }

/**
 * The public site: Domande & Risposte, the forum days, open data and the statements. Like the
 * JSON routes, each handler calls the module's service with the request's Actor and renders
 * what it returns; nothing here queries the database or calls the app's own HTTP API.
 */
const publicSiteRoutes: FastifyPluginAsyncZod<PublicSiteOptions> = async (app, { kb, forumDays, retention, faqViews }) => {
  const hide = { hide: true }

  app.get('/', { schema: hide }, async (request, reply) => {
    const [newest, days] = await Promise.all([
      kb.search(request.actor, { page: 1, pageSize: 5 }),
      forumDays.list(request.actor, {}),
    ])
    const current = days
      .filter((d) => d.state === 'open' || d.state === 'upcoming')
      .sort((a, b) => (a.state === b.state ? a.opensAt.localeCompare(b.opensAt) : a.state === 'open' ? -1 : 1))
      .slice(0, 3)
    return sendPage(
      request,
      reply,
      { title: site.name, description: site.home.description, canonicalPath: '/', scripts: ['search.js', 'forum-live.js'], alternate: feedLink },
      <HomePage newest={newest} days={current} />,
      { cache: 'public', maxAge: 60 },
    )
  })

  app.get('/domande-e-risposte', { schema: { ...hide, querystring: SearchPageQuery } }, async (request, reply) => {
    const params: SearchParams = { ...request.query, q: request.query.q || undefined }
    const result = await kb.search(request.actor, { ...params, pageSize: RESULTS_PER_PAGE })
    // An empty page still offers a way on: every theme and the newest answers.
    const browse = result.hits.length === 0 ? await kb.search(request.actor, { page: 1, pageSize: 5 }) : undefined
    const title = params.q ? site.faqs.resultsFor(params.q) : site.faqs.title
    const filtered = params.q || params.theme || params.tag || params.law || params.year || params.page > 1
    return sendPage(
      request,
      reply,
      {
        title,
        description: site.faqs.description,
        canonicalPath: filtered ? searchHref(params) : '/domande-e-risposte',
        // Result pages are many and change; the FAQ pages are what search engines should index.
        noindex: Boolean(params.q),
        scripts: ['search.js'],
        alternate: feedLink,
      },
      <FaqSearchPage params={params} result={result} browse={browse} />,
      { cache: 'public', maxAge: 60 },
    )
  })

  app.get('/domande-e-risposte/:slug', { schema: { ...hide, params: z.object({ slug: z.string().min(1).max(120) }) } }, async (request, reply) => {
    const { slug } = request.params
    const faq = await kb.get(request.actor, slug).catch(async (err: unknown) => {
      if (err instanceof DomainError && err.code === 'FAQ_NOT_FOUND') {
        if (await kb.wasWithdrawn(slug)) throw new DomainError('FAQ_WITHDRAWN', 410, 'This FAQ was withdrawn from the knowledge base')
        // A slug changed by the word-boundary rule: old links follow the FAQ.
        const current = await kb.currentSlug(slug)
        if (current) return current
      }
      throw err
    })
    if (typeof faq === 'string') return reply.redirect(`/domande-e-risposte/${encodeURIComponent(faq)}`, 301)
    // A HEAD request (link checkers, monitors) is not a reading.
    if (request.method === 'GET') faqViews?.record(faq.id)
    const description = markdownToPlainText(faq.question).slice(0, 200)
    return sendPage(
      request,
      reply,
      {
        title: faq.title,
        description,
        canonicalPath: faq.url,
        openGraphType: 'article',
        jsonLd: faqJsonLd(faq, app.web.publicOrigin, markdownToPlainText(faq.answer)),
        noindex: faq.visibility !== 'public',
        alternate: feedLink,
      },
      <FaqPage faq={faq} />,
      { cache: faq.visibility === 'public' ? 'public' : 'no-store' },
    )
  })

  app.get('/forum', { schema: hide }, async (request, reply) => {
    const days = await forumDays.list(request.actor, {})
    return sendPage(
      request,
      reply,
      { title: site.forum.title, description: site.forum.description, canonicalPath: '/forum', scripts: ['forum-live.js'] },
      <ForumPage days={days} />,
      // The page follows the days live once loaded; a copy a few seconds old is fine.
      { cache: 'public', maxAge: 15 },
    )
  })

  app.get('/dati-aperti', { schema: hide }, (request, reply) =>
    sendPage(
      request,
      reply,
      { title: site.openData.title, description: site.openData.description, canonicalPath: '/dati-aperti', alternate: feedLink },
      <OpenDataPage />,
      { cache: 'public' },
    ),
  )

  const texts = statements(retention)
  for (const page of [texts.accessibility, texts.privacy]) {
    app.get(page.path, { schema: hide }, (request, reply) =>
      sendPage(request, reply, { title: page.title, description: page.description, canonicalPath: page.path }, <ProsePage page={page} />, { cache: 'public' }),
    )
  }

  app.get('/robots.txt', { schema: hide }, (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(robotsTxt(app.web.publicOrigin)),
  )

  const sitemapEntries = async () => [
    ...PUBLIC_PAGES.map((path) => ({ path })),
    ...(await kb.publicSlugs()).map((faq) => ({ path: `/domande-e-risposte/${faq.slug}`, lastmod: faq.updatedAt })),
  ]

  app.get('/sitemap.xml', { schema: hide }, async (_request, reply) => {
    const entries = await sitemapEntries()
    const body = entries.length <= SITEMAP_LIMIT ? urlSet(app.web.publicOrigin, entries) : sitemapIndex(app.web.publicOrigin, Math.ceil(entries.length / SITEMAP_LIMIT))
    return reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body)
  })

  app.get('/sitemap-:n.xml', { schema: { ...hide, params: z.object({ n: z.coerce.number().int().min(1).max(1000) }) } }, async (request, reply) => {
    const entries = await sitemapEntries()
    const part = entries.slice((request.params.n - 1) * SITEMAP_LIMIT, request.params.n * SITEMAP_LIMIT)
    if (part.length === 0) return reply.callNotFound()
    return reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(urlSet(app.web.publicOrigin, part))
  })
}

export default publicSiteRoutes
