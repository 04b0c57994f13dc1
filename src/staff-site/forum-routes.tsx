import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { requireStaff } from '../accounts/policy.js'
import type { AccountsService } from '../accounts/service.js'
import type { ForumDayDto } from '../forum-days/schemas.js'
import type { ForumDaysService } from '../forum-days/service.js'
import { staff } from '../i18n/staff.js'
import type { KnowledgeBaseService } from '../knowledge-base/service.js'
import { NewQuestion } from '../questions/schemas.js'
import type { QuestionsService } from '../questions/service.js'
import { DomainError } from '../shared/errors.js'
import { sendPage } from '../web/render.js'
import { problemMessage } from '../web/feedback.js'
import { AskPage, ForumHomePage } from './forum-pages.js'
import { MyQuestionsPage, QuestionPage } from './question-pages.js'
import { requireSignIn } from './session.js'

export interface ForumRoutesOptions {
  accounts: AccountsService
  forumDays: ForumDaysService
  questions: QuestionsService
  kb: KnowledgeBaseService
}

const hide = { hide: true }
const Field = z.string().max(20_000).optional()
const IdParams = z.object({ id: z.uuid() })
/** The most questions a page lists; an organization asks a handful per forum day. */
const LIST_LIMIT = 500

/** The day a clerk works on: the open one (real days before rehearsals), else the next to open. */
export function currentDay(days: ForumDayDto[]): ForumDayDto | undefined {
  const byOpening = (a: ForumDayDto, b: ForumDayDto) => Number(a.rehearsal) - Number(b.rehearsal) || a.opensAt.localeCompare(b.opensAt)
  return days.filter((d) => d.state === 'open').sort(byOpening)[0] ?? days.filter((d) => d.state === 'upcoming').sort(byOpening)[0]
}

/** The comune staff's pages: their forum page, asking a question, their questions and each thread. */
const forumRoutes: FastifyPluginAsyncZod<ForumRoutesOptions> = async (app, { accounts, forumDays, questions, kb }) => {
  /** The signed-in staff member, a redirect to sign in, or a 403 page for the other roles. */
  const staffOf = (request: FastifyRequest, reply: FastifyReply) => {
    const actor = requireSignIn(request, reply)
    return actor ? requireStaff(actor, 'These pages are for the staff of a comune or Unione') : undefined
  }
  const themeLabels = (days: ForumDayDto[]) => {
    const labels = new Map(days.flatMap((d) => d.themes.map((th) => [th.code, th.label] as const)))
    return (code: string) => labels.get(code) ?? code
  }

  app.get('/il-mio-forum', { schema: hide }, async (request, reply) => {
    const user = staffOf(request, reply)
    if (!user) return reply
    const [days, me] = await Promise.all([forumDays.list(user, {}), accounts.me(user)])
    const day = currentDay(days)
    const [eligibility, dayQuestions] = day
      ? await Promise.all([
          forumDays.eligibility(user, day.editionId, user.organizationId),
          questions.list(user, { forumDayId: day.id, limit: LIST_LIMIT, offset: 0 }),
        ])
      : [undefined, []]
    return sendPage(
      request,
      reply,
      { title: staff.forum.title, noindex: true, scripts: ['questions-live.js'] },
      <ForumHomePage
        organizationName={me.organization?.name ?? ''}
        organizationId={user.organizationId}
        day={day}
        eligibility={eligibility}
        questions={dayQuestions}
        now={app.ports.clock.now()}
      />,
    )
  })

  const askMeta = { title: staff.ask.title, noindex: true, scripts: ['ask.js' as const] }

  app.get('/il-mio-forum/domande/nuova', { schema: { ...hide, querystring: z.object({ giornata: z.uuid().optional() }) } }, async (request, reply) => {
    const user = staffOf(request, reply)
    if (!user) return reply
    const day = request.query.giornata ? await forumDays.get(user, request.query.giornata) : currentDay(await forumDays.list(user, {}))
    if (!day) return reply.redirect('/il-mio-forum', 303)
    return sendPage(request, reply, askMeta, <AskPage day={day} idempotencyKey={randomUUID()} values={{}} />)
  })

  app.post(
    '/il-mio-forum/domande',
    { schema: { ...hide, body: z.object({ forumDayId: z.uuid(), idempotencyKey: Field, title: Field, body: Field, theme: Field }) } },
    async (request, reply) => {
      const user = staffOf(request, reply)
      if (!user) return reply
      const { forumDayId, title, body, theme } = request.body
      let idempotencyKey = request.body.idempotencyKey || randomUUID()
      const day = await forumDays.get(user, forumDayId)
      const values = { title, body, theme }
      const again = (status: number, extra: { error?: string; fieldErrors?: Record<string, string> }) =>
        sendPage(request, reply, askMeta, <AskPage day={day} idempotencyKey={idempotencyKey} values={values} {...extra} />, { status })

      const parsed = NewQuestion.safeParse({ title: title ?? '', body: body ?? '', theme: theme ?? '' })
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {}
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0])
          fieldErrors[field] ??= staff.ask.errors[field] ?? issue.message
        }
        return again(400, { fieldErrors })
      }
      try {
        const result = await questions.submit(user, forumDayId, parsed.data, idempotencyKey)
        return reply.redirect(`/le-mie-domande/${result.body.id}?inviata=1`, 303)
      } catch (err) {
        const problem = problemMessage(err, request)
        // The key belongs to another text now: the next attempt is a new question.
        if (problem.code === 'IDEMPOTENCY_KEY_REUSED') idempotencyKey = randomUUID()
        if (problem.code === 'UNKNOWN_THEME') return again(422, { fieldErrors: { theme: staff.ask.errors.theme! } })
        return again(problem.status, { error: problem.text })
      }
    },
  )

  app.get('/le-mie-domande', { schema: hide }, async (request, reply) => {
    const user = staffOf(request, reply)
    if (!user) return reply
    const [list, days] = await Promise.all([questions.list(user, { limit: LIST_LIMIT, offset: 0 }), forumDays.list(user, {})])
    return sendPage(
      request,
      reply,
      { title: staff.questions.title, noindex: true, scripts: ['questions-live.js'] },
      <MyQuestionsPage organizationId={user.organizationId} questions={list} themeLabel={themeLabels(days)} />,
    )
  })

  const questionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: ReturnType<typeof requireStaff>,
    id: string,
    extra: { error?: string; reply?: string; justSent?: boolean; status?: number } = {},
  ) => {
    const question = await questions.get(user, id)
    const [day, faq] = await Promise.all([
      forumDays.get(user, question.forumDayId).catch((err: unknown) => {
        if (err instanceof DomainError && err.status === 404) return undefined
        throw err
      }),
      question.state === 'answered' || question.state === 'closed' ? kb.faqOfQuestion(user, question.id) : Promise.resolve(undefined),
    ])
    return sendPage(
      request,
      reply,
      { title: question.title, noindex: true, scripts: ['questions-live.js'] },
      <QuestionPage
        question={question}
        themeLabel={themeLabels(day ? [day] : [])(question.theme)}
        faq={faq}
        canReply
        isAsker={question.asker.id === user.userId}
        error={extra.error}
        reply={extra.reply}
        justSent={extra.justSent}
      />,
      { status: extra.status },
    )
  }

  app.get('/le-mie-domande/:id', { schema: { ...hide, params: IdParams, querystring: z.object({ inviata: Field }) } }, async (request, reply) => {
    const user = staffOf(request, reply)
    if (!user) return reply
    return questionPage(request, reply, user, request.params.id, { justSent: request.query.inviata !== undefined })
  })

  /** A clerk's action on a question: done, back to its page (post/redirect/get); refused, the page says why. */
  const action = (path: string, run: (user: ReturnType<typeof requireStaff>, id: string, body: { message?: string }) => Promise<string | undefined>) =>
    app.post(path, { schema: { ...hide, params: IdParams, body: z.object({ message: Field }).optional() } }, async (request, reply) => {
      const user = staffOf(request, reply)
      if (!user) return reply
      const { id } = request.params
      try {
        const refused = await run(user, id, request.body ?? {})
        if (refused) return await questionPage(request, reply, user, id, { error: refused, status: 400 })
      } catch (err) {
        const problem = problemMessage(err, request)
        return questionPage(request, reply, user, id, { error: problem.text, reply: request.body?.message, status: problem.status })
      }
      return reply.redirect(`/le-mie-domande/${id}`, 303)
    })

  action('/le-mie-domande/:id/chiarimento', async (user, id, body) => {
    const text = (body.message ?? '').trim()
    if (text.length < 2) return staff.question.replyMissing
    await questions.reply(user, id, text)
    return undefined
  })
  action('/le-mie-domande/:id/ritira', async (user, id) => void (await questions.withdraw(user, id)))
  action('/le-mie-domande/:id/chiudi', async (user, id) => void (await questions.close(user, id)))
}

export default forumRoutes
