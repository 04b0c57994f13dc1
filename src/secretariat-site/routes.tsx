import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { requireModerator } from '../accounts/policy.js'
import type { AccountsService } from '../accounts/service.js'
import type { ForumDaysService } from '../forum-days/service.js'
import { secretariat } from '../i18n/secretariat.js'
import type { KnowledgeBaseService } from '../knowledge-base/service.js'
import type { QuestionsService } from '../questions/service.js'
import { DomainError } from '../shared/errors.js'
import { problemMessage } from '../staff-site/feedback.js'
import { requireSignIn } from '../staff-site/session.js'
import { acceptFormPosts } from '../web/form-body.js'
import { sendPage } from '../web/render.js'
import { OverviewPage, type OverviewView } from './overview-page.js'
import { fieldsFromForm, fieldsFromQuestion, publishBody, replaceFinding, type PublishFields } from './publish-form.js'
import { PublishPage } from './publish-page.js'
import { NoticePage } from './notice-page.js'

export interface SecretariatSiteOptions {
  accounts: AccountsService
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

/** The field a validation issue belongs to, as the form names it. */
const formField = (path: PropertyKey[]) => String(path[0] ?? 'form')

/**
 * The secretariat's pages (moderators and admins): the overview and publishing answers as FAQs.
 * Pages call the services with the signed-in Actor, as the JSON routes do; forms are plain posts.
 */
const secretariatSite: FastifyPluginAsyncZod<SecretariatSiteOptions> = async (app, { questions, kb }) => {
  acceptFormPosts(app)

  /** The signed-in moderator, a redirect to sign in, or a 403 page for the other roles. */
  const moderatorOf = (request: FastifyRequest, reply: FastifyReply) => {
    const actor = requireSignIn(request, reply)
    return actor ? requireModerator(actor, 'These pages are for the forum secretariat') : undefined
  }
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
    const justPublished = request.query.pubblicata ? await kb.get(user, request.query.pubblicata).catch(() => undefined) : undefined
    const t = secretariat.overview
    const sections: OverviewView['sections'] = []
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
