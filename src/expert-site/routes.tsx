import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { UserActor } from '../accounts/actor.js'
import { requireExpert } from '../accounts/policy.js'
import type { ForumDayDto } from '../forum-days/schemas.js'
import type { ForumDaysService } from '../forum-days/service.js'
import { experts } from '../i18n/experts.js'
import type { KnowledgeBaseService } from '../knowledge-base/service.js'
import type { QuestionsService } from '../questions/service.js'
import { DomainError } from '../shared/errors.js'
import { problemMessage } from '../web/feedback.js'
import { requireSignIn } from '../staff-site/session.js'
import { sendPage } from '../web/render.js'
import { DeskPage, type DeskView } from './desk-page.js'
import { filterQuery, QueuePage, type QueueFilter } from './queue-page.js'

export interface ExpertSiteOptions {
  forumDays: ForumDaysService
  questions: QuestionsService
  kb: KnowledgeBaseService
}

const hide = { hide: true }
const Field = z.string().max(50_000).optional()
const IdParams = z.object({ id: z.uuid() })
/** The most waiting questions the queue page lists at once (the API's own ceiling). */
const QUEUE_LIMIT = 200

/** What a finished action says on the page it leads to (post/redirect/get: `?esito=`). */
const OUTCOMES: Record<string, { kind: 'success' | 'info'; text: string }> = {
  presa: { kind: 'success', text: experts.desk.done.claimed! },
  rinnovata: { kind: 'success', text: experts.desk.done.renewed! },
  rilasciata: { kind: 'success', text: experts.desk.done.released! },
  risposta: { kind: 'success', text: experts.desk.done.answered! },
  chiarimento: { kind: 'success', text: experts.desk.done.clarification! },
  duplicato: { kind: 'success', text: experts.desk.done.duplicate! },
  bozza: { kind: 'success', text: experts.desk.done.draft! },
  vuota: { kind: 'info', text: experts.queue.empty },
}

const orUndefinedOn404 = (err: unknown) => {
  if (err instanceof DomainError && err.status === 404) return undefined
  throw err
}

/**
 * The experts' pages: the queue with their desk (`/coda`) and the answer desk of one question
 * (`/coda/domande/{id}`). Every form is a plain post (post/redirect/get) calling the questions
 * service with the signed-in Actor; `expert-queue.js` and `answer-desk.js` add the live queue,
 * draft autosave, preview, countdown and FAQ search on top, through the public API.
 */
const expertRoutes: FastifyPluginAsyncZod<ExpertSiteOptions> = async (app, { forumDays, questions, kb }) => {
  /** The signed-in expert (or moderator), a redirect to sign in, or a 403 page for the others. */
  const expertOf = (request: FastifyRequest, reply: FastifyReply) => {
    const actor = requireSignIn(request, reply)
    return actor ? requireExpert(actor, 'These pages are for the experts and the secretariat') : undefined
  }
  const themeLabels = (days: ForumDayDto[]) => {
    const labels = new Map(days.flatMap((d) => d.themes.map((th) => [th.code, th.label] as const)))
    return (code: string) => labels.get(code) ?? code
  }

  app.get(
    '/coda',
    { schema: { ...hide, querystring: z.object({ giornata: z.uuid().optional().catch(undefined), tema: z.string().max(60).optional(), esito: Field }) } },
    async (request, reply) => {
      const user = expertOf(request, reply)
      if (!user) return reply
      const filter: QueueFilter = { forumDayId: request.query.giornata, theme: request.query.tema || undefined }
      const [days, queue, desk] = await Promise.all([
        forumDays.list(user, {}),
        questions.queue(user, { ...filter, includeClaimed: true, limit: QUEUE_LIMIT }),
        questions.desk(user),
      ])
      const onDesk = new Set(desk.map((q) => q.id))
      const page = (
        <QueuePage
          viewerId={user.userId}
          days={days}
          filter={filter}
          waiting={queue.filter((q) => q.state === 'submitted')}
          working={queue.filter((q) => q.state === 'claimed' && !onDesk.has(q.id))}
          desk={desk}
          themeLabel={themeLabels(days)}
          notice={request.query.esito ? OUTCOMES[request.query.esito] : undefined}
        />
      )
      return sendPage(request, reply, { title: experts.queue.title, noindex: true, scripts: ['live.js', 'expert-queue.js'] }, page)
    },
  )

  app.post('/coda/prendi-la-prossima', { schema: { ...hide, body: z.object({ forumDayId: Field, theme: Field }) } }, async (request, reply) => {
    const user = expertOf(request, reply)
    if (!user) return reply
    const filter: QueueFilter = { forumDayId: z.uuid().safeParse(request.body.forumDayId).data, theme: request.body.theme || undefined }
    try {
      const q = await questions.claimNext(user, filter)
      return reply.redirect(`/coda/domande/${q.id}?esito=presa`, 303)
    } catch (err) {
      if (err instanceof DomainError && err.code === 'QUEUE_EMPTY') {
        const query = filterQuery(filter)
        return reply.redirect(`/coda${query}${query ? '&' : '?'}esito=vuota`, 303)
      }
      throw err
    }
  })

  const deskPage = async (request: FastifyRequest, reply: FastifyReply, user: UserActor, id: string, extra: Partial<DeskView> & { status?: number } = {}) => {
    const question = await questions.get(user, id)
    const faqQuery = extra.faqQuery?.trim()
    const [day, organization, earlier, draft, faqResults] = await Promise.all([
      forumDays.get(user, question.forumDayId).catch(orUndefinedOn404),
      forumDays.organizationProfile(question.organizationId).catch(orUndefinedOn404),
      questions.organizationHistory(user, id),
      questions.getDraft(user, id).catch(orUndefinedOn404),
      faqQuery ? kb.search(user, { q: faqQuery, page: 1, pageSize: 8, suggest: '1' }).then((r) => r.hits.map((h) => ({ slug: h.slug, title: h.title }))) : Promise.resolve(undefined),
    ])
    // The FAQs the organization was pointed to: those its answered questions became.
    const earlierWithFaqs = await Promise.all(
      earlier.map(async (e) => ({ ...e, faq: e.state === 'answered' || e.state === 'closed' ? await kb.faqOfQuestion(user, e.id) : undefined })),
    )
    const { status, ...view } = extra
    return sendPage(
      request,
      reply,
      { title: question.title, noindex: true, scripts: ['live.js', 'answer-desk.js'] },
      <DeskPage
        question={question}
        viewerId={user.userId}
        day={day}
        themeLabel={themeLabels(day ? [day] : [])(question.theme)}
        organization={organization}
        earlier={earlierWithFaqs}
        draft={draft}
        {...view}
        faqQuery={faqQuery}
        faqResults={faqResults}
      />,
      { status },
    )
  }

  app.get(
    '/coda/domande/:id',
    { schema: { ...hide, params: IdParams, querystring: z.object({ faq: z.string().max(200).optional(), esito: Field }) } },
    async (request, reply) => {
      const user = expertOf(request, reply)
      if (!user) return reply
      const notice = request.query.esito ? OUTCOMES[request.query.esito] : undefined
      return deskPage(request, reply, user, request.params.id, { faqQuery: request.query.faq, notice })
    },
  )

  type Body = { message?: string; markdown?: string; draftVersion?: string; azione?: string; faq?: string; ritorno?: string }
  /**
   * An expert's action on a question: done, on to where it leads (post/redirect/get); refused,
   * the desk again with the reason and the text that was sent, so nothing typed is lost.
   */
  const action = (path: string, run: (user: UserActor, id: string, body: Body) => Promise<string | { refused: string; keep?: Partial<DeskView>; status?: number }>) =>
    app.post(
      path,
      {
        schema: {
          ...hide,
          params: IdParams,
          body: z.object({ message: Field, markdown: Field, draftVersion: Field, azione: Field, faq: Field, ritorno: Field }).optional(),
        },
      },
      async (request, reply) => {
        const user = expertOf(request, reply)
        if (!user) return reply
        const { id } = request.params
        const body = request.body ?? {}
        const kept: Partial<DeskView> = { answerText: body.markdown, clarificationText: body.message }
        try {
          const outcome = await run(user, id, body)
          if (typeof outcome === 'string') return await reply.redirect(outcome, 303)
          return await deskPage(request, reply, user, id, { ...kept, ...outcome.keep, notice: outcome.refused ? { kind: 'error', text: outcome.refused } : undefined, status: outcome.status })
        } catch (err) {
          const problem = problemMessage(err, request)
          const newer = problem.code === 'STALE_VERSION' ? (problem.extra.draft as { markdown: string; version: number } | null | undefined) : undefined
          return deskPage(request, reply, user, id, { ...kept, newerDraft: newer ?? undefined, notice: { kind: 'error', text: problem.text }, status: problem.status })
        }
      },
    )

  const desk = (id: string, outcome: string) => `/coda/domande/${id}?esito=${outcome}`

  action('/coda/domande/:id/prendi', async (user, id) => {
    await questions.claim(user, id)
    return desk(id, 'presa')
  })
  action('/coda/domande/:id/rinnova', async (user, id) => {
    await questions.renew(user, id)
    return desk(id, 'rinnovata')
  })
  action('/coda/domande/:id/rilascia', async (user, id) => {
    await questions.release(user, id)
    return '/coda?esito=rilasciata'
  })
  action('/coda/domande/:id/chiarimento', async (user, id, body) => {
    const text = (body.message ?? '').trim()
    if (text.length < 2) return { refused: experts.desk.clarificationMissing, status: 400 }
    await questions.requestClarification(user, id, text)
    return desk(id, 'chiarimento')
  })
  action('/coda/domande/:id/duplicato', async (user, id, body) => {
    if (!body.faq) return { refused: experts.desk.duplicateMissing, status: 400 }
    await questions.markDuplicate(user, id, { faq: body.faq })
    return desk(id, 'duplicato')
  })
  // One form, three buttons: send the answer, save the draft, or preview it (nothing saved).
  action('/coda/domande/:id/risposta', async (user, id, body) => {
    const markdown = body.markdown ?? ''
    if (body.azione === 'anteprima') return { refused: '', keep: { preview: questions.preview(user, markdown), answerText: markdown } }
    if (body.azione === 'bozza') {
      const version = Number.parseInt(body.draftVersion ?? '', 10)
      await questions.saveDraft(user, id, markdown, Number.isInteger(version) && version >= 0 ? version : undefined)
      return desk(id, 'bozza')
    }
    if (markdown.trim().length < 2) return { refused: experts.desk.answerMissing, status: 400 }
    await questions.answer(user, id, markdown)
    return desk(id, 'risposta')
  })
}

export default expertRoutes
