import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { UserActor } from '../accounts/actor.js'
import type { AccountsService } from '../accounts/service.js'
import { secretariat } from '../i18n/secretariat.js'
import { AmendmentBody } from '../knowledge-base/schemas.js'
import type { KnowledgeBaseService } from '../knowledge-base/service.js'
import { problemMessage } from '../web/feedback.js'
import { sendPage } from '../web/render.js'
import { FaqEditPage, RevisionsPage, ReviewQueuePage, type ReviewQueueView } from './faq-pages.js'
import { moderatorOf } from './guard.js'
import { fieldsFromFaq, fieldsFromForm, replaceFinding, updateBody, type PublishFields } from './publish-form.js'
import { revisionChanges } from './revision-diff.js'

const hide = { hide: true }
const Field = z.string().max(2000).optional()
const SlugParams = z.object({ slug: z.string().min(1).max(120) })
const FormBody = z.record(z.string(), z.string().max(60_000))

/** The review queue (with the law-change form), editing and republishing an FAQ, its revision history. */
const faqRoutes: FastifyPluginAsyncZod<{ kb: KnowledgeBaseService; accounts: Pick<AccountsService, 'getUserSummary'> }> = async (app, { kb, accounts }) => {
  async function showQueue(request: FastifyRequest, reply: FastifyReply, user: UserActor, extra: Omit<ReviewQueueView, 'faqs'> = {}, status = 200) {
    const faqs = await kb.reviewQueue(user)
    return sendPage(request, reply, { title: secretariat.review.title, noindex: true }, <ReviewQueuePage faqs={faqs} {...extra} />, { status })
  }

  app.get('/segreteria/revisione', { schema: { ...hide, querystring: z.object({ norma: Field, segnalate: Field }) } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const { norma, segnalate } = request.query
    const info = norma ? secretariat.review.amendment.recorded(norma, Number(segnalate) || 0) : undefined
    return showQueue(request, reply, user, { info })
  })

  app.post('/segreteria/revisione/modifiche-normative', { schema: { ...hide, body: FormBody } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const values = { law: request.body.law ?? '', amendedOn: request.body.amendedOn ?? '', note: request.body.note ?? '' }
    const errors = secretariat.review.amendment.errors
    const parsed = AmendmentBody.safeParse(values)
    if (!parsed.success) {
      const fieldErrors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), errors[String(issue.path[0])] ?? issue.message]))
      return showQueue(request, reply, user, { amendment: { values, fieldErrors } }, 400)
    }
    try {
      const result = await kb.recordAmendment(user, parsed.data)
      return reply.redirect(`/segreteria/revisione?norma=${encodeURIComponent(result.law)}&segnalate=${result.flaggedFaqs.length}`, 303)
    } catch (err) {
      const problem = problemMessage(err, request)
      const fieldErrors: Record<string, string> = problem.code === 'UNKNOWN_LAW_CITATION' ? { law: problem.text } : {}
      return showQueue(request, reply, user, { amendment: { values, fieldErrors, error: problem.code === 'UNKNOWN_LAW_CITATION' ? undefined : problem.text } }, problem.status)
    }
  })

  /** The edit form with a fresh check of its text. */
  async function showEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    user: UserActor,
    slug: string,
    view: { fields?: PublishFields; note?: string; reviewed?: boolean; fieldErrors?: Record<string, string>; error?: string; info?: string } = {},
    status = 200,
  ) {
    const faq = await kb.get(user, slug)
    const fields = view.fields ?? fieldsFromFaq(faq)
    const [preview, themes] = await Promise.all([
      kb.previewPublication(user, { faqSlug: slug, title: fields.title, question: fields.question, answer: fields.answer }),
      kb.themes(),
    ])
    const page = (
      <FaqEditPage
        faq={faq}
        fields={fields}
        note={view.note ?? ''}
        reviewed={view.reviewed ?? false}
        preview={preview}
        themes={themes}
        fieldErrors={view.fieldErrors}
        error={view.error}
        info={view.info}
      />
    )
    return sendPage(request, reply, { title: secretariat.faq.title(faq.title), noindex: true }, page, { status })
  }

  app.get('/segreteria/faq/:slug', { schema: { ...hide, params: SlugParams, querystring: z.object({ fatto: Field }) } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    return showEdit(request, reply, user, request.params.slug, { info: request.query.fatto === 'ripubblicata' ? secretariat.faq.saved : undefined })
  })

  app.post('/segreteria/faq/:slug', { schema: { ...hide, params: SlugParams, body: FormBody } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const { slug } = request.params
    const fields = fieldsFromForm(request.body)
    const note = request.body.note ?? ''
    const reviewed = request.body.reviewed !== undefined
    const intent = request.body.intent ?? 'check'
    const view = { fields, note, reviewed }

    if (intent.startsWith('fix:')) {
      const key = intent.slice('fix:'.length)
      const { findings } = await kb.previewPublication(user, { faqSlug: slug, title: fields.title, question: fields.question, answer: fields.answer })
      const fixed = replaceFinding(fields, findings, key, request.body[`replacement-${key}`] ?? '')
      const info = fixed ? secretariat.publish.privacy.replaced : secretariat.publish.privacy.gone
      return showEdit(request, reply, user, slug, { ...view, fields: fixed ?? fields, info })
    }
    if (intent !== 'publish') return showEdit(request, reply, user, slug, view)

    const body = updateBody(fields, { note, reviewed })
    if (!body.success) {
      const fieldErrors: Record<string, string> = {}
      for (const issue of body.error.issues) {
        const field = String(issue.path[0] ?? 'form')
        fieldErrors[field] ??= field === 'checklist' ? secretariat.publish.checklist.missing : (secretariat.publish.fieldErrors[field] ?? issue.message)
      }
      return showEdit(request, reply, user, slug, { ...view, fieldErrors }, 400)
    }
    const version = Number(request.body.version)
    try {
      await kb.update(user, slug, Number.isInteger(version) ? version : undefined, body.data, request.ip)
    } catch (err) {
      const problem = problemMessage(err, request)
      const fieldErrors = problem.code === 'UNKNOWN_THEME' ? { theme: secretariat.publish.fieldErrors.theme! } : undefined
      return showEdit(request, reply, user, slug, { ...view, fieldErrors, error: fieldErrors ? undefined : problem.text }, problem.status)
    }
    // Post/redirect/get: a reload does not save twice.
    return reply.redirect(`/segreteria/faq/${encodeURIComponent(slug)}?fatto=ripubblicata`, 303)
  })

  app.get('/segreteria/faq/:slug/revisioni', { schema: { ...hide, params: SlugParams } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const faq = await kb.get(user, request.params.slug)
    const revisions = await kb.revisions(user, request.params.slug)
    const names = new Map<string, string>()
    for (const id of new Set(revisions.map((r) => r.editedBy))) {
      names.set(id, (await accounts.getUserSummary(id).catch(() => undefined))?.displayName ?? '')
    }
    // Newest first; each compared with the one after it in the list (the version before).
    const views = revisions.map((rev, i) => {
      const previous = revisions[i + 1]
      return {
        version: rev.version,
        editedBy: names.get(rev.editedBy) ?? '',
        editedAt: rev.editedAt,
        note: rev.note,
        changes: previous ? revisionChanges(previous.snapshot, rev.snapshot) : undefined,
      }
    })
    return sendPage(request, reply, { title: secretariat.revisions.title(faq.title), noindex: true }, <RevisionsPage faq={faq} revisions={views} />)
  })
}

export default faqRoutes
