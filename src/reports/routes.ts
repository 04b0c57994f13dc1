import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { IdParams, SESSION_SECURITY, SIGNED_IN_PROBLEMS } from '../shared/http.js'
import { reportCsv } from './csv.js'
import { editionView, forumDayView, knowledgeBaseView } from './presenter.js'
import { EditionReport, ForumDayReport, KnowledgeBaseReport, KnowledgeBaseReportQuery } from './schemas.js'
import type { ReportsService } from './service.js'

const tags = ['reports']
const security = SESSION_SECURITY
const CSV_NOTE = 'CSV for spreadsheets set to Italian: UTF-8 with BOM, fields separated by ";", decimal comma, Rome times; counts of fewer than 5 organizations read "< 5"'

const sendCsv = (reply: FastifyReply, fileName: string, csv: string) =>
  reply.header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').type('text/csv; charset=utf-8; header=present').send(csv)

/** The secretariat's reports as JSON and CSV (moderators and admins). */
const reportsRoutes: FastifyPluginAsyncZod<{ reports: ReportsService }> = async (app, { reports }) => {
  app.get(
    '/reports/forum-days/:id',
    { schema: { tags, security, summary: 'How a forum day went (moderators): questions per hour, theme, region and band, backlog, timings, experts, FAQs', params: IdParams, response: { 200: ForumDayReport, ...SIGNED_IN_PROBLEMS } } },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await reports.forumDay(request.actor, request.params.id)),
  )
  app.get(
    '/reports/forum-days/:id/export.csv',
    { schema: { tags, security, summary: `The forum day report as CSV (moderators). ${CSV_NOTE}`, params: IdParams } },
    async (request, reply) => sendCsv(reply, `rapporto-giornata-${request.params.id.slice(0, 8)}.csv`, reportCsv(forumDayView(await reports.forumDay(request.actor, request.params.id)))),
  )
  app.get(
    '/reports/editions/:id',
    { schema: { tags, security, summary: 'What an edition reached (moderators): organizations reached against eligible, by region, province and band; participation per day; themes; knowledge base growth', params: IdParams, response: { 200: EditionReport, ...SIGNED_IN_PROBLEMS } } },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await reports.edition(request.actor, request.params.id)),
  )
  app.get(
    '/reports/editions/:id/export.csv',
    { schema: { tags, security, summary: `The edition report as CSV (moderators). ${CSV_NOTE}`, params: IdParams } },
    async (request, reply) => sendCsv(reply, `rapporto-edizione-${request.params.id.slice(0, 8)}.csv`, reportCsv(editionView(await reports.edition(request.actor, request.params.id)))),
  )
  app.get(
    '/reports/knowledge-base',
    { schema: { tags, security, summary: 'The knowledge base (moderators): top searches, searches with no result, FAQs most read, FAQs flagged for review', querystring: KnowledgeBaseReportQuery, response: { 200: KnowledgeBaseReport, ...SIGNED_IN_PROBLEMS } } },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await reports.knowledgeBase(request.actor, request.query.weeks)),
  )
  app.get(
    '/reports/knowledge-base/export.csv',
    { schema: { tags, security, summary: `The knowledge base report as CSV (moderators). ${CSV_NOTE}`, querystring: KnowledgeBaseReportQuery } },
    async (request, reply) => sendCsv(reply, 'rapporto-banca-dati.csv', reportCsv(knowledgeBaseView(await reports.knowledgeBase(request.actor, request.query.weeks)))),
  )
}

export default reportsRoutes
