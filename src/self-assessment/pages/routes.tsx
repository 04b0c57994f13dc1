import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isModerator, requireModerator, requireStaff } from '../../accounts/policy.js'
import type { AccountsService } from '../../accounts/service.js'
import type { ForumDaysService } from '../../forum-days/service.js'
import { autodiagnosi as t } from '../../i18n/self-assessment.js'
import { problemMessage } from '../../web/feedback.js'
import { requireSignIn } from '../../staff-site/session.js'
import { sendPage } from '../../web/render.js'
import { QuestionnaireContent, QuestionnaireImport, type AnswerMap, type AssessmentDto } from '../schemas.js'
import type { SelfAssessmentService } from '../service.js'
import { SecretariatPage, type SecretariatView } from './secretariat-pages.js'
import { AreaFormPage, HomePage, OverviewPage, ResultPage, ReviewPage, type AreaFormView } from './staff-pages.js'

export interface SelfAssessmentPagesOptions {
  selfAssessment: SelfAssessmentService
  forumDays: ForumDaysService
  accounts: AccountsService
}

const hide = { hide: true }
const IdParams = z.object({ id: z.uuid() })
const AreaParams = z.object({ id: z.uuid(), area: z.string().max(40) })
const Fields = z.record(z.string(), z.string().max(200_000))
const meta = (title: string, scripts: Array<'chart.js' | 'autodiagnosi.js'> = []) => ({ title, noindex: true, scripts })

/**
 * The autodiagnosi pages: for the staff under /autodiagnosi (fill in area by area, review, submit,
 * result), for the secretariat under /segreteria/autodiagnosi. Plain HTML forms (no JavaScript
 * needed); the one script draws the result's chart, whose numbers are also in a table.
 */
const selfAssessmentPages: FastifyPluginAsyncZod<SelfAssessmentPagesOptions> = async (app, { selfAssessment: sa, forumDays }) => {
  // Form posts, in this plugin's context only (as the staff site does in its own).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const fields: Record<string, string> = {}
    for (const [key, value] of new URLSearchParams(body as string)) if (!(key in fields)) fields[key] = value
    done(null, fields)
  })

  const staffOf = (request: FastifyRequest, reply: FastifyReply) => {
    const actor = requireSignIn(request, reply)
    return actor ? requireStaff(actor, 'These pages are for the staff of a comune or Unione') : undefined
  }
  /** Staff and the secretariat read an assessment; the service says whose. */
  const readerOf = (request: FastifyRequest, reply: FastifyReply) => requireSignIn(request, reply)

  const homePage = async (request: FastifyRequest, reply: FastifyReply, error?: string, status?: number) => {
    const user = staffOf(request, reply)
    if (!user) return reply
    const [questionnaires, assessments] = await Promise.all([sa.listQuestionnaires(user, { state: 'published' }), sa.listAssessments(user, {})])
    return sendPage(request, reply, meta(t.title), <HomePage questionnaires={questionnaires} assessments={assessments} error={error} />, { status })
  }

  app.get('/autodiagnosi', { schema: hide }, (request, reply) => homePage(request, reply))

  app.post('/autodiagnosi/avvia', { schema: { ...hide, body: z.object({ questionnaireId: z.uuid() }) } }, async (request, reply) => {
    const user = staffOf(request, reply)
    if (!user) return reply
    try {
      const a = await sa.startAssessment(user, request.body.questionnaireId)
      return await reply.redirect(`/autodiagnosi/${a.id}`, 303)
    } catch (err) {
      const problem = problemMessage(err, request)
      if (problem.code === 'ASSESSMENT_IN_PROGRESS' && typeof problem.extra.assessmentId === 'string') return reply.redirect(`/autodiagnosi/${problem.extra.assessmentId}`, 303)
      return homePage(request, reply, problem.text, problem.status)
    }
  })

  const load = async (request: FastifyRequest, id: string) => {
    const assessment = await sa.getAssessment(request.actor, id)
    const questionnaire = await sa.getQuestionnaire(request.actor, assessment.questionnaireId)
    return { assessment, content: questionnaire.content }
  }

  app.get('/autodiagnosi/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    if (!readerOf(request, reply)) return reply
    const { assessment, content } = await load(request, request.params.id)
    if (assessment.state === 'submitted') return reply.redirect(`/autodiagnosi/${assessment.id}/risultato`, 303)
    return sendPage(request, reply, meta(assessment.questionnaireTitle), <OverviewPage assessment={assessment} content={content} />)
  })

  const areaPage = async (request: FastifyRequest, reply: FastifyReply, id: string, code: string, extra: Partial<AreaFormView> & { status?: number } = {}) => {
    const { assessment, content } = await load(request, id)
    if (assessment.state === 'submitted') return reply.redirect(`/autodiagnosi/${assessment.id}/risultato`, 303)
    const area = content.areas.find((a) => a.code === code)
    if (!area) return reply.callNotFound()
    const { status, ...view } = extra
    return sendPage(request, reply, meta(area.title), <AreaFormPage assessment={assessment} content={content} area={area} {...view} />, { status })
  }

  app.get('/autodiagnosi/:id/aree/:area', { schema: { ...hide, params: AreaParams, querystring: z.object({ salvato: z.string().optional() }) } }, async (request, reply) => {
    if (!readerOf(request, reply)) return reply
    return areaPage(request, reply, request.params.id, request.params.area, { saved: request.query.salvato !== undefined })
  })

  app.post('/autodiagnosi/:id/aree/:area', { schema: { ...hide, params: AreaParams, body: Fields } }, async (request, reply) => {
    const user = staffOf(request, reply)
    if (!user) return reply
    const { id, area: code } = request.params
    const { content } = await load(request, id)
    const area = content.areas.find((a) => a.code === code)
    if (!area) return reply.callNotFound()
    // Only the questions of this area that were given an answer: the others keep what is saved.
    const answers: Record<string, AnswerMap[string]> = {}
    for (const q of area.questions) {
      const value = request.body[`q:${q.code}`]
      if (value === 'na') answers[q.code] = { notApplicable: true }
      else if (value !== undefined && /^-?\d+$/.test(value)) answers[q.code] = { score: Number(value) }
    }
    const version = Number(request.body.version)
    try {
      await sa.saveAnswers(user, id, answers, Number.isInteger(version) ? version : undefined)
    } catch (err) {
      const problem = problemMessage(err, request)
      const lost =
        problem.code === 'STALE_VERSION'
          ? area.questions.flatMap((q) => {
              const a = answers[q.code]
              if (!a) return []
              const choice = 'notApplicable' in a ? t.form.notApplicable : (q.levels.find((l) => l.score === a.score)?.label ?? '')
              return [{ question: q.text, choice }]
            })
          : undefined
      return areaPage(request, reply, id, code, { error: problem.code === 'STALE_VERSION' ? t.form.stale : problem.text, lost, status: problem.status })
    }
    const then = request.body.then
    const next = then === 'riepilogo' || (then?.startsWith('aree/') && content.areas.some((a) => `aree/${a.code}` === then)) ? then : `aree/${code}?salvato=1`
    return reply.redirect(`/autodiagnosi/${id}/${next}`, 303)
  })

  const reviewPage = async (request: FastifyRequest, reply: FastifyReply, id: string, error?: string, status?: number) => {
    const { assessment, content } = await load(request, id)
    if (assessment.state === 'submitted') return reply.redirect(`/autodiagnosi/${assessment.id}/risultato`, 303)
    return sendPage(request, reply, meta(t.review.title), <ReviewPage assessment={assessment} content={content} error={error} />, { status })
  }

  app.get('/autodiagnosi/:id/riepilogo', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    if (!readerOf(request, reply)) return reply
    return reviewPage(request, reply, request.params.id)
  })

  app.post('/autodiagnosi/:id/invia', { schema: { ...hide, params: IdParams, body: Fields } }, async (request, reply) => {
    const user = staffOf(request, reply)
    if (!user) return reply
    const version = Number(request.body.version)
    try {
      await sa.submitAssessment(user, request.params.id, Number.isInteger(version) ? version : undefined)
    } catch (err) {
      const problem = problemMessage(err, request)
      return reviewPage(request, reply, request.params.id, problem.text, problem.status)
    }
    return reply.redirect(`/autodiagnosi/${request.params.id}/risultato`, 303)
  })

  app.get('/autodiagnosi/:id/risultato', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const user = readerOf(request, reply)
    if (!user) return reply
    const assessment: AssessmentDto = await sa.getAssessment(user, request.params.id)
    if (assessment.state !== 'submitted') return reply.redirect(`/autodiagnosi/${assessment.id}`, 303)
    const result = await sa.assessmentResult(user, request.params.id)
    return sendPage(request, reply, meta(t.result.title, ['chart.js', 'autodiagnosi.js']), <ResultPage result={result} isStaff={!isModerator(user)} />)
  })

  // ---- the secretariat ----

  const secretariatPage = async (request: FastifyRequest, reply: FastifyReply, editionId: string | undefined, extra: Partial<SecretariatView> = {}, status?: number) => {
    const user = requireSignIn(request, reply)
    if (!user) return reply
    const moderator = requireModerator(user, 'Only the secretariat sees the self-assessment aggregates')
    const editions = await forumDays.listEditions(moderator)
    const chosen = editionId && editions.some((e) => e.id === editionId) ? editionId : editions[0]?.id
    const [aggregates, questionnaires] = await Promise.all([
      chosen ? sa.aggregates(moderator, chosen) : Promise.resolve(undefined),
      sa.listQuestionnaires(moderator, chosen ? { editionId: chosen } : {}),
    ])
    return sendPage(
      request,
      reply,
      meta(t.secretariat.title),
      <SecretariatPage editions={editions} editionId={chosen} aggregates={aggregates} questionnaires={questionnaires} {...extra} />,
      { status },
    )
  }

  app.get('/segreteria/autodiagnosi', { schema: { ...hide, querystring: z.object({ edizione: z.string().max(40).optional(), fatto: z.string().optional() }) } }, (request, reply) =>
    secretariatPage(request, reply, request.query.edizione, request.query.fatto !== undefined ? { notice: { kind: 'success', text: t.secretariat.done } } : {}),
  )

  /** A refused change shown on the page with every problem the service listed. */
  const refused = (request: FastifyRequest, reply: FastifyReply, err: unknown, editionId: string | undefined, importText?: string) => {
    const problem = problemMessage(err, request)
    const problems = Array.isArray(problem.extra.problems) ? (problem.extra.problems as Array<{ path: string; message: string }>).map((p) => `${p.path}: ${p.message}`) : undefined
    return secretariatPage(request, reply, editionId, { notice: { kind: 'error', text: problem.text, problems }, importText }, problem.status)
  }
  const parseJson = (text: string | undefined): unknown => {
    try {
      return JSON.parse(text ?? '')
    } catch {
      return undefined
    }
  }

  app.post('/segreteria/autodiagnosi/questionari', { schema: { ...hide, body: Fields } }, async (request, reply) => {
    const user = requireSignIn(request, reply)
    if (!user) return reply
    const text = request.body.content
    const parsed = QuestionnaireImport.safeParse(parseJson(text))
    if (!parsed.success) {
      return secretariatPage(request, reply, undefined, { notice: { kind: 'error', text: t.secretariat.notJson, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, importText: text }, 400)
    }
    try {
      const q = await sa.createQuestionnaire(user, parsed.data)
      return await reply.redirect(`/segreteria/autodiagnosi?edizione=${q.editionId}&fatto=1`, 303)
    } catch (err) {
      return refused(request, reply, err, parsed.data.editionId, text)
    }
  })

  app.post('/segreteria/autodiagnosi/questionari/:id', { schema: { ...hide, params: IdParams, body: Fields } }, async (request, reply) => {
    const user = requireSignIn(request, reply)
    if (!user) return reply
    const current = await sa.getQuestionnaire(user, request.params.id)
    const parsed = QuestionnaireContent.safeParse(parseJson(request.body.content))
    if (!parsed.success) {
      return secretariatPage(request, reply, current.editionId, { notice: { kind: 'error', text: t.secretariat.notJson, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) } }, 400)
    }
    try {
      await sa.updateQuestionnaire(user, request.params.id, parsed.data, Number(request.body.version))
      return await reply.redirect(`/segreteria/autodiagnosi?edizione=${current.editionId}&fatto=1`, 303)
    } catch (err) {
      return refused(request, reply, err, current.editionId)
    }
  })

  app.post('/segreteria/autodiagnosi/questionari/:id/pubblica', { schema: { ...hide, params: IdParams, body: Fields } }, async (request, reply) => {
    const user = requireSignIn(request, reply)
    if (!user) return reply
    const current = await sa.getQuestionnaire(user, request.params.id)
    try {
      await sa.publishQuestionnaire(user, request.params.id, Number(request.body.version))
      return await reply.redirect(`/segreteria/autodiagnosi?edizione=${current.editionId}&fatto=1`, 303)
    } catch (err) {
      return refused(request, reply, err, current.editionId)
    }
  })
}

export default selfAssessmentPages
