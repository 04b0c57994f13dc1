import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { UserActor } from '../accounts/actor.js'
import type { ForumDaysService } from '../forum-days/service.js'
import { secretariat } from '../i18n/secretariat.js'
import { problemMessage } from '../web/feedback.js'
import { sendPage } from '../web/render.js'
import { dayFieldsFromForm, dayFieldsOf, dayInput, emptyDayFields, type DayFields } from './day-form.js'
import { DayFormPage, DaysPage } from './days-pages.js'
import { moderatorOf } from './guard.js'

const hide = { hide: true }
const Field = z.string().max(2000).optional()
const IdParams = z.object({ id: z.uuid() })
const FormBody = z.record(z.string(), z.string().max(2000))
const t = secretariat.days
const DONE: Record<string, string> = { creata: t.created, salvata: t.saved, annullata: t.cancelled }

/** Italian messages for the fields in error (a service refusal names its field too). */
const errorsOf = (fields: string[]) => Object.fromEntries(fields.map((field) => [field, t.form.errors[field] ?? t.form.invalid]))

/** The secretariat's forum days: the list by edition, create, edit, cancel, wipe a rehearsal. */
const daysRoutes: FastifyPluginAsyncZod<{ forumDays: ForumDaysService }> = async (app, { forumDays }) => {
  const meta = (title: string) => ({ title, noindex: true })

  app.get('/segreteria/giornate', { schema: { ...hide, querystring: z.object({ fatto: Field, cancellate: Field }) } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const [editions, days] = await Promise.all([forumDays.listEditions(user), forumDays.list(user, {})])
    const wiped = Number(request.query.cancellate)
    const info = request.query.fatto === 'svuotata' && Number.isInteger(wiped) ? t.wiped(wiped) : DONE[request.query.fatto ?? '']
    return sendPage(request, reply, meta(t.title), <DaysPage editions={editions} days={days} info={info} />)
  })

  /** The form again, with what went wrong; a service refusal is placed on its field when it names one. */
  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    user: UserActor,
    view: { editionId: string; dayId?: string; fields?: DayFields; fieldErrors?: Record<string, string>; error?: string; info?: string },
    status = 200,
  ) {
    const day = view.dayId ? await forumDays.get(user, view.dayId) : undefined
    const edition = await forumDays.getEdition(user, day?.editionId ?? view.editionId)
    const fields = view.fields ?? (day ? dayFieldsOf(day) : emptyDayFields(edition.themes.map((th) => th.code)))
    const title = day ? t.form.titleEdit(day.title) : t.form.titleNew
    const page = <DayFormPage edition={edition} day={day} fields={fields} fieldErrors={view.fieldErrors} error={view.error} info={view.info} />
    return sendPage(request, reply, meta(title), page, { status })
  }

  /** A refusal of the forum-days service, on the form. */
  function refused(err: unknown, request: FastifyRequest) {
    const problem = problemMessage(err, request)
    const field = typeof problem.extra.field === 'string' ? problem.extra.field : problem.code === 'UNKNOWN_THEME' ? 'themes' : undefined
    return { status: problem.status, ...(field ? { fieldErrors: { [field]: problem.text } } : { error: problem.text }) }
  }

  app.get('/segreteria/giornate/nuova', { schema: { ...hide, querystring: z.object({ edizione: z.uuid() }) } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    return showForm(request, reply, user, { editionId: request.query.edizione })
  })

  app.post('/segreteria/giornate', { schema: { ...hide, body: FormBody } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const editionId = request.body.editionId ?? ''
    if (!z.uuid().safeParse(editionId).success) return reply.redirect('/segreteria/giornate', 303)
    const edition = await forumDays.getEdition(user, editionId)
    const fields = dayFieldsFromForm(request.body, edition.themes.map((th) => th.code))
    const input = dayInput(fields)
    if (!input.ok) return showForm(request, reply, user, { editionId, fields, fieldErrors: errorsOf(input.errors) }, 400)
    try {
      const day = await forumDays.create(user, { editionId, ...input.value, rehearsal: fields.rehearsal })
      return reply.redirect(`/segreteria/giornate?fatto=creata#giornata-${day.id}`, 303)
    } catch (err) {
      const { status, ...feedback } = refused(err, request)
      return showForm(request, reply, user, { editionId, fields, ...feedback }, status)
    }
  })

  app.get('/segreteria/giornate/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    return showForm(request, reply, user, { editionId: '', dayId: request.params.id })
  })

  app.post('/segreteria/giornate/:id', { schema: { ...hide, params: IdParams, body: FormBody } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const day = await forumDays.get(user, request.params.id)
    const edition = await forumDays.getEdition(user, day.editionId)
    const fields = { ...dayFieldsFromForm(request.body, edition.themes.map((th) => th.code)), rehearsal: day.rehearsal }
    const input = dayInput(fields)
    const view = { editionId: day.editionId, dayId: day.id, fields }
    if (!input.ok) return showForm(request, reply, user, { ...view, fieldErrors: errorsOf(input.errors) }, 400)
    // The version the form was made from: a colleague's change in between is not overwritten.
    const version = Number(fields.version)
    // Only what changed: the form shows minutes, and an open day's opening (to the second) must not move.
    const before = dayFieldsOf(day)
    const same = (a: keyof DayFields, b: keyof DayFields) => fields[a] === before[a] && fields[b] === before[b]
    const { opensAt, closesAt, answerDeadline, ...rest } = input.value
    const changes = {
      ...rest,
      ...(same('opensDate', 'opensTime') ? {} : { opensAt }),
      ...(same('closesDate', 'closesTime') ? {} : { closesAt }),
      ...(same('deadlineDate', 'deadlineTime') || !answerDeadline ? {} : { answerDeadline }),
    }
    try {
      await forumDays.update(user, day.id, changes, Number.isInteger(version) ? version : undefined)
    } catch (err) {
      const { status, ...feedback } = refused(err, request)
      return showForm(request, reply, user, { ...view, ...feedback }, status)
    }
    return reply.redirect(`/segreteria/giornate?fatto=salvata#giornata-${day.id}`, 303)
  })

  app.post('/segreteria/giornate/:id/annulla', { schema: { ...hide, params: IdParams, body: FormBody } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const reason = (request.body.reason ?? '').trim()
    const view = { editionId: '', dayId: request.params.id }
    if (reason.length < 3) return showForm(request, reply, user, { ...view, fieldErrors: errorsOf(['reason']) }, 400)
    const version = Number(request.body.version)
    try {
      await forumDays.cancel(user, request.params.id, reason, Number.isInteger(version) ? version : undefined)
    } catch (err) {
      const { status, ...feedback } = refused(err, request)
      return showForm(request, reply, user, { ...view, ...feedback }, status)
    }
    return reply.redirect(`/segreteria/giornate?fatto=annullata#giornata-${request.params.id}`, 303)
  })

  app.post('/segreteria/giornate/:id/svuota', { schema: { ...hide, params: IdParams, body: FormBody } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const view = { editionId: '', dayId: request.params.id }
    if (request.body.confirm === undefined) return showForm(request, reply, user, { ...view, error: t.form.wipeUnconfirmed }, 400)
    try {
      const result = await forumDays.wipeRehearsal(user, request.params.id)
      return reply.redirect(`/segreteria/giornate?fatto=svuotata&cancellate=${result.questionsDeleted}#giornata-${request.params.id}`, 303)
    } catch (err) {
      const { status, ...feedback } = refused(err, request)
      return showForm(request, reply, user, { ...view, ...feedback }, status)
    }
  })
}

export default daysRoutes
