import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { hasRole } from '../accounts/actor.js'
import type { AccountsService } from '../accounts/service.js'
import type { AuditService } from '../audit/service.js'
import type { ComuniService } from '../comuni/service.js'
import type { ForumDaysService } from '../forum-days/service.js'
import { secretariat } from '../i18n/secretariat.js'
import type { KnowledgeBaseService } from '../knowledge-base/service.js'
import { QuestionListQuery, QuestionState } from '../questions/schemas.js'
import type { QuestionsService } from '../questions/service.js'
import { DomainError } from '../shared/errors.js'
import { problemMessage } from '../web/feedback.js'
import daysRoutes from './days-routes.js'
import faqRoutes from './faq-routes.js'
import peopleRoutes from './people-routes.js'
import { moderatorOf } from './guard.js'
import { acceptFormPosts } from '../web/form-body.js'
import { sendPage } from '../web/render.js'
import { OverviewPage, type OverviewView } from './overview-page.js'
import { fieldsFromForm, fieldsFromQuestion, publishBody, replaceFinding, type PublishFields } from './publish-form.js'
import { PublishPage } from './publish-page.js'
import { NoticePage } from './notice-page.js'
import { AllQuestionsPage, QuestionDeskPage, type Option, type QuestionDeskView } from './questions-pages.js'

export interface SecretariatSiteOptions {
  accounts: AccountsService
  comuni: Pick<ComuniService, 'getOrganization' | 'getOrganizations' | 'getComune'>
  audit: AuditService
  forumDays: ForumDaysService
  questions: QuestionsService
  kb: KnowledgeBaseService
}

const hide = { hide: true }
const Field = z.string().max(60_000).optional()
const IdParams = z.object({ id: z.uuid() })
/** Answered questions listed on the overview; a forum day has a few hundred questions at most. */
const TO_PUBLISH_LIMIT = 200
const PUBLISHABLE = ['answered', 'closed'] as const
/** Questions per page of the list; the pages and the count come from the database, filters and all. */
const PAGE_SIZE = 50
const PageNumber = z.coerce.number().int().min(1).max(100_000)
const Filter = z.string().max(200).optional()

/** The field a validation issue belongs to, as the form names it. */
const formField = (path: PropertyKey[]) => String(path[0] ?? 'form')

/**
 * The secretariat's pages (moderators and admins): the overview and publishing answers as FAQs.
 * Pages call the services with the signed-in Actor, as the JSON routes do; forms are plain posts.
 */
const secretariatSite: FastifyPluginAsyncZod<SecretariatSiteOptions> = async (app, { accounts, comuni, audit, forumDays, questions, kb }) => {
  acceptFormPosts(app)
  await app.register(daysRoutes, { forumDays })
  await app.register(faqRoutes, { kb, accounts })
  await app.register(peopleRoutes, { accounts, comuni, audit })

  const labelsOf = async () => {
    const labels = new Map((await kb.themes()).map((th) => [th.code, th.label]))
    return (code: string) => labels.get(code) ?? code
  }

  app.get('/segreteria', { schema: { ...hide, querystring: z.object({ pubblicata: Field }) } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const answered = (
      await Promise.all(PUBLISHABLE.map((state) => questions.list(user, { state, limit: TO_PUBLISH_LIMIT, offset: 0 })))
    ).flat()
    const published = await kb.faqSlugsOfQuestions(user, answered.map((q) => q.id))
    const toPublish = answered
      .filter((q) => !published.has(q.id))
      .sort((a, b) => (b.answer?.answeredAt ?? '').localeCompare(a.answer?.answeredAt ?? ''))
    const toReview = (await kb.reviewQueue(user)).length
    const justPublished = request.query.pubblicata ? await kb.get(user, request.query.pubblicata).catch(() => undefined) : undefined
    const t = secretariat.overview
    const sections: OverviewView['sections'] = [
      { path: '/segreteria/domande', label: t.sections.questions },
      { path: '/segreteria/giornate', label: t.sections.days },
      { path: '/segreteria/revisione', label: t.sections.review, note: toReview > 0 ? t.sections.reviewCount(toReview) : undefined },
      { path: '/segreteria/persone', label: t.sections.people },
      { path: '/segreteria/rapporti', label: t.sections.reports },
      { path: '/segreteria/autodiagnosi', label: t.sections.selfAssessment },
      // The audit log is the admins' only (the audit service says so).
      ...(hasRole(user, 'admin') ? [{ path: '/segreteria/registro', label: t.sections.audit }] : []),
    ]
    return sendPage(
      request,
      reply,
      { title: t.title, noindex: true },
      <OverviewPage
        toPublish={toPublish}
        themeLabel={await labelsOf()}
        published={justPublished && { slug: justPublished.slug, title: justPublished.title }}
        sections={sections}
      />,
    )
  })

  /** Experts and moderators, who can be given a question, by name. */
  const assignees = async (user: Parameters<AccountsService['listUsers']>[0]): Promise<Option[]> => {
    const lists = await Promise.all(
      (['expert', 'moderator'] as const).map((role) => accounts.listUsers(user, { role, active: true, limit: 500, offset: 0 })),
    )
    return lists
      .flat()
      .map((u) => ({ value: u.id, label: u.displayName }))
      .sort((a, b) => a.label.localeCompare(b.label, 'it'))
  }

  app.get(
    '/segreteria/domande',
    { schema: { ...hide, querystring: z.object({ giornata: Filter, stato: Filter, tema: Filter, ente: Filter, regione: Filter, esperto: Filter, pagina: Filter }) } },
    async (request, reply) => {
      const user = moderatorOf(request, reply)
      if (!user) return reply
      // Empty selects arrive as empty strings: no filter. A value the form never offers is no filter either.
      const { pagina, ...chosen } = request.query
      const filters = Object.fromEntries(Object.entries(chosen).filter(([, v]) => v)) as Record<string, string>
      const valid = <T,>(schema: z.ZodType<T>, v: string | undefined) => (v === undefined ? undefined : schema.safeParse(v).data)
      const filter = {
        forumDayId: valid(z.uuid(), filters.giornata),
        state: valid(QuestionState, filters.stato),
        theme: filters.tema,
        organizationId: valid(z.uuid(), filters.ente),
        region: valid(QuestionListQuery.shape.region, filters.regione),
        expertId: valid(z.uuid(), filters.esperto),
      }
      const [days, themes, experts, total, askingIds] = await Promise.all([
        forumDays.list(user, {}),
        kb.themes(),
        assignees(user),
        questions.count(user, filter),
        questions.askingOrganizationIds(user),
      ])
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
      const page = Math.min(valid(PageNumber, pagina) ?? 1, pages)
      const [listed, asking] = await Promise.all([
        questions.list(user, { ...filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
        comuni.getOrganizations(askingIds),
      ])
      const organizations = new Map(asking.map((o) => [o.id, o]))
      const themeLabels = new Map(themes.map((th) => [th.code, th.label]))
      const byName = (a: Option, b: Option) => a.label.localeCompare(b.label, 'it')
      return sendPage(
        request,
        reply,
        { title: page > 1 ? secretariat.questions.titlePage(page) : secretariat.questions.title, noindex: true },
        <AllQuestionsPage
          filters={filters}
          questions={listed}
          total={total}
          page={page}
          pages={pages}
          offset={(page - 1) * PAGE_SIZE}
          days={days}
          themes={themes.map((th) => ({ value: th.code, label: th.label }))}
          organizations={asking.map((o) => ({ value: o.id, label: o.name })).sort(byName)}
          regions={[...new Set(asking.flatMap((o) => (o.region ? [o.region] : [])))].sort((a, b) => a.localeCompare(b, 'it'))}
          experts={experts}
          organizationName={(id) => organizations.get(id)?.name ?? ''}
          themeLabel={(code) => themeLabels.get(code) ?? code}
        />,
      )
    },
  )

  /** One question's page, with the result of an action or its refusal. */
  async function showQuestion(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: Pick<QuestionDeskView, 'fieldErrors' | 'error' | 'values'> & { done?: string } = {},
    status = 200,
  ) {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const question = await questions.get(user, id)
    const [organization, days, themes, experts, faqs] = await Promise.all([
      comuni.getOrganization(question.organizationId),
      forumDays.list(user, {}),
      kb.themes(),
      assignees(user),
      kb.faqSlugsOfQuestions(user, [id]),
    ])
    const faqSlug = faqs.get(id)
    const { done, ...feedback } = extra
    const info =
      done === 'respinta' ? secretariat.question.rejected : done === 'riassegnata' && question.claim ? secretariat.question.reassigned(question.claim.expert.name) : undefined
    // Exactly the buttons the question lifecycle offers this person now.
    const can = {
      reassign: question.actions.includes('reassign'),
      reject: question.actions.includes('reject'),
      publish: !faqSlug && (PUBLISHABLE as readonly string[]).includes(question.state),
    }
    return sendPage(
      request,
      reply,
      { title: question.title, noindex: true },
      <QuestionDeskPage
        question={question}
        organization={{ name: organization.name, region: organization.region }}
        day={days.find((d) => d.id === question.forumDayId)}
        themeLabel={themes.find((th) => th.code === question.theme)?.label ?? question.theme}
        faqSlug={faqSlug}
        experts={experts}
        can={can}
        info={info}
        {...feedback}
      />,
      { status },
    )
  }

  app.get('/segreteria/domande/:id', { schema: { ...hide, params: IdParams, querystring: z.object({ fatto: Field }) } }, (request, reply) => {
    return showQuestion(request, reply, request.params.id, { done: request.query.fatto })
  })

  app.post('/segreteria/domande/:id/riassegna', { schema: { ...hide, params: IdParams, body: z.object({ expertId: Field }) } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const expertId = request.body.expertId ?? ''
    if (!z.uuid().safeParse(expertId).success) {
      return showQuestion(request, reply, request.params.id, { fieldErrors: { expertId: secretariat.question.chooseExpert } }, 400)
    }
    try {
      await questions.reassign(user, request.params.id, expertId)
    } catch (err) {
      const problem = problemMessage(err, request)
      return showQuestion(request, reply, request.params.id, { error: problem.text, values: { expertId } }, problem.status)
    }
    return reply.redirect(`/segreteria/domande/${request.params.id}?fatto=riassegnata`, 303)
  })

  app.post('/segreteria/domande/:id/respingi', { schema: { ...hide, params: IdParams, body: z.object({ reason: Field }) } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const reason = (request.body.reason ?? '').trim()
    if (reason.length < 5 || reason.length > 2000) {
      return showQuestion(request, reply, request.params.id, { fieldErrors: { reason: secretariat.question.reasonTooShort }, values: { reason } }, 400)
    }
    try {
      await questions.reject(user, request.params.id, reason)
    } catch (err) {
      const problem = problemMessage(err, request)
      return showQuestion(request, reply, request.params.id, { error: problem.text, values: { reason } }, problem.status)
    }
    // Post/redirect/get: a reload does not reject twice.
    return reply.redirect(`/segreteria/domande/${request.params.id}?fatto=respinta`, 303)
  })

  const publishMeta = { title: secretariat.publish.title, noindex: true }

  /** The form again, with a fresh check of the text as it now is. */
  async function showPublishForm(
    request: FastifyRequest,
    reply: FastifyReply,
    view: { questionId: string; questionTitle: string; fields: PublishFields; fieldErrors?: Record<string, string>; error?: string; info?: string },
    status = 200,
  ) {
    const user = moderatorOf(request, reply)!
    const [preview, themes] = await Promise.all([
      kb.previewPublication(user, { questionId: view.questionId, title: view.fields.title, question: view.fields.question, answer: view.fields.answer }),
      kb.themes(),
    ])
    return sendPage(request, reply, publishMeta, <PublishPage {...view} preview={preview} themes={themes} />, { status })
  }

  /** The question, if it can become an FAQ; otherwise the page that says why (and undefined). */
  async function publishable(request: FastifyRequest, reply: FastifyReply, id: string) {
    const user = moderatorOf(request, reply)
    if (!user) return undefined
    const question = await questions.get(user, id)
    const faq = await kb.faqSlugsOfQuestions(user, [id])
    const slug = faq.get(id)
    if (slug || !(PUBLISHABLE as readonly string[]).includes(question.state)) {
      const page = slug ? (
        <NoticePage title={publishMeta.title} text={secretariat.publish.already} link={{ href: `/domande-e-risposte/${encodeURIComponent(slug)}`, label: question.title }} />
      ) : (
        <NoticePage title={publishMeta.title} text={secretariat.publish.notAnswered} link={{ href: `/segreteria/domande/${id}`, label: question.title }} />
      )
      await sendPage(request, reply, publishMeta, page, { status: 409 })
      return undefined
    }
    return question
  }

  app.get('/segreteria/domande/:id/faq', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const question = await publishable(request, reply, request.params.id)
    if (!question) return reply
    return showPublishForm(request, reply, { questionId: question.id, questionTitle: question.title, fields: fieldsFromQuestion(question) })
  })

  app.post(
    '/segreteria/domande/:id/faq',
    { schema: { ...hide, params: IdParams, body: z.record(z.string(), z.string().max(60_000)) } },
    async (request, reply) => {
      const question = await publishable(request, reply, request.params.id)
      if (!question) return reply
      const user = moderatorOf(request, reply)!
      const base = { questionId: question.id, questionTitle: question.title }
      const fields = fieldsFromForm(request.body)
      const intent = request.body.intent ?? 'check'

      if (intent.startsWith('fix:')) {
        const key = intent.slice('fix:'.length)
        const { findings } = await kb.previewPublication(user, { questionId: question.id, title: fields.title, question: fields.question, answer: fields.answer })
        const fixed = replaceFinding(fields, findings, key, request.body[`replacement-${key}`] ?? '')
        const info = fixed ? secretariat.publish.privacy.replaced : secretariat.publish.privacy.gone
        return showPublishForm(request, reply, { ...base, fields: fixed ?? fields, info })
      }
      if (intent !== 'publish') return showPublishForm(request, reply, { ...base, fields })

      const body = publishBody(question.id, fields)
      if (!body.success) {
        const fieldErrors: Record<string, string> = {}
        for (const issue of body.error.issues) {
          const field = formField(issue.path)
          fieldErrors[field] ??= field === 'checklist' ? secretariat.publish.checklist.missing : (secretariat.publish.fieldErrors[field] ?? issue.message)
        }
        return showPublishForm(request, reply, { ...base, fields, fieldErrors }, 400)
      }
      try {
        const faq = await kb.publish(user, body.data, request.ip)
        return reply.redirect(`/segreteria?pubblicata=${encodeURIComponent(faq.slug)}`, 303)
      } catch (err) {
        // A second click, or a colleague first: the FAQ exists, which is what was wanted.
        if (err instanceof DomainError && err.code === 'FAQ_ALREADY_PUBLISHED') {
          const slug = err.extra?.slug
          return reply.redirect(`/segreteria?pubblicata=${encodeURIComponent(typeof slug === 'string' ? slug : '')}`, 303)
        }
        const problem = problemMessage(err, request)
        const fieldErrors = problem.code === 'UNKNOWN_THEME' ? { theme: secretariat.publish.fieldErrors.theme! } : undefined
        return showPublishForm(request, reply, { ...base, fields, fieldErrors, error: fieldErrors ? undefined : problem.text }, problem.status)
      }
    },
  )
}

export default secretariatSite
