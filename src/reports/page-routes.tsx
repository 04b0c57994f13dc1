import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { requireModerator } from '../accounts/policy.js'
import { reportTexts as T } from '../i18n/reports.js'
import { requireSignIn } from '../staff-site/session.js'
import { IdParams } from '../shared/http.js'
import { sendPage } from '../web/render.js'
import { ReportPage, ReportsIndexPage } from './pages.js'
import { editionView, forumDayView, knowledgeBaseView, type ReportView } from './presenter.js'
import { KnowledgeBaseReportQuery } from './schemas.js'
import type { ReportsService } from './service.js'

const hide = { hide: true }
const SCRIPTS = ['chart.js', 'reports.js'] as const

/** The report pages under /segreteria/rapporti (moderators and admins; others get the 403 page). */
const reportPageRoutes: FastifyPluginAsyncZod<{ reports: ReportsService }> = async (app, { reports }) => {
  /** The signed-in moderator, a redirect to sign in, or a 403 page for the other roles. */
  const moderatorOf = (request: FastifyRequest, reply: FastifyReply) => {
    const actor = requireSignIn(request, reply)
    return actor ? requireModerator(actor, 'Only the forum secretariat sees the reports') : undefined
  }
  const page = (request: FastifyRequest, reply: FastifyReply, view: ReportView) =>
    sendPage(request, reply, { title: view.title, noindex: true, scripts: [...SCRIPTS] }, <ReportPage view={view} />)

  app.get('/segreteria/rapporti', { schema: hide }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    return sendPage(request, reply, { title: T.index.title, noindex: true }, <ReportsIndexPage editions={await reports.index(user)} />)
  })
  app.get('/segreteria/rapporti/giornate/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    return page(request, reply, forumDayView(await reports.forumDay(user, request.params.id)))
  })
  app.get('/segreteria/rapporti/edizioni/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    return page(request, reply, editionView(await reports.edition(user, request.params.id)))
  })
  app.get('/segreteria/rapporti/banca-dati', { schema: { ...hide, querystring: KnowledgeBaseReportQuery } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    return page(request, reply, knowledgeBaseView(await reports.knowledgeBase(user, request.query.weeks)))
  })
}

export default reportPageRoutes
