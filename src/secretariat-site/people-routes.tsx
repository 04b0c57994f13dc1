import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { hasRole, type Role, type UserActor } from '../accounts/actor.js'
import { Email } from '../accounts/schemas.js'
import type { AccountsService, RequestMeta } from '../accounts/service.js'
import { AUDIT_ACTIONS, type AuditAction } from '../audit/schemas.js'
import type { AuditService } from '../audit/service.js'
import type { ComuniService } from '../comuni/service.js'
import { secretariat } from '../i18n/secretariat.js'
import { problemMessage } from '../web/feedback.js'
import { sendPage } from '../web/render.js'
import { moderatorOf } from './guard.js'
import { AuditPage, PeoplePage, PersonPage, type PeopleView } from './people-pages.js'

const hide = { hide: true }
const Field = z.string().max(2000).optional()
const Uuid = z.uuid()
const IdParams = z.object({ id: Uuid })
const FormBody = z.record(z.string(), z.string().max(2000))
const ROLES = ['staff', 'expert', 'moderator', 'admin'] as const
const t = secretariat.people
const meta = (request: FastifyRequest): RequestMeta => ({ ip: request.ip, userAgent: request.headers['user-agent'] ?? null })

export interface PeopleRoutesOptions {
  accounts: AccountsService
  comuni: Pick<ComuniService, 'getComune' | 'getOrganizations'>
  audit: AuditService
}

/** People and invitations (moderators and admins), role and activation changes and the audit log (admins). */
const peopleRoutes: FastifyPluginAsyncZod<PeopleRoutesOptions> = async (app, { accounts, comuni, audit }) => {
  /** Admins invite anyone; moderators staff and experts (the accounts policy says the same). */
  const invitableRoles = (user: UserActor): Role[] => (hasRole(user, 'admin') ? [...ROLES] : ['staff', 'expert'])

  async function showPeople(request: FastifyRequest, reply: FastifyReply, user: UserActor, extra: Pick<PeopleView, 'info' | 'invite'> = {}, status = 200) {
    const query = request.query as { ruolo?: string; stato?: string }
    const role = ROLES.find((r) => r === query.ruolo)
    const active = query.stato === 'attivi' ? true : query.stato === 'disattivati' ? false : undefined
    const [people, invitations] = await Promise.all([
      accounts.listUsers(user, { role, active, limit: 500, offset: 0 }),
      accounts.pendingInvitations(user),
    ])
    const page = (
      <PeoplePage people={people} invitations={invitations} invitableRoles={invitableRoles(user)} filters={{ ruolo: role, stato: query.stato }} {...extra} />
    )
    return sendPage(request, reply, { title: t.title, noindex: true }, page, { status })
  }

  app.get(
    '/segreteria/persone',
    { schema: { ...hide, querystring: z.object({ ruolo: Field, stato: Field, invitata: Field, reinvitata: Field }) } },
    async (request, reply) => {
      const user = moderatorOf(request, reply)
      if (!user) return reply
      const { invitata, reinvitata } = request.query
      const info = invitata ? t.invited(invitata) : reinvitata ? t.resent(reinvitata) : undefined
      return showPeople(request, reply, user, { info })
    },
  )

  /** A comune by its ISTAT code, or an Unione (or comune) by its id; undefined when there is none. */
  async function organizationId(text: string): Promise<string | undefined> {
    if (z.uuid().safeParse(text).success) return text
    if (!/^\d{6}$/.test(text)) return undefined
    return (await comuni.getComune(text).catch(() => undefined))?.id
  }

  app.post('/segreteria/persone/inviti', { schema: { ...hide, body: FormBody } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const values = {
      email: (request.body.email ?? '').trim(),
      role: request.body.role ?? '',
      organization: (request.body.organization ?? '').trim(),
      topics: request.body.topics ?? '',
    }
    const fieldErrors: Record<string, string> = {}
    const email = Email.safeParse(values.email)
    if (!email.success) fieldErrors.email = t.errors.email!
    const role = ROLES.find((r) => r === values.role)
    if (!role) fieldErrors.role = t.errors.role!
    const orgId = values.organization ? await organizationId(values.organization) : undefined
    if (values.organization && !orgId) fieldErrors.organizationId = t.errors.organizationId!
    const again = (status: number, error?: string, errors = fieldErrors) => showPeople(request, reply, user, { invite: { values, fieldErrors: errors, error } }, status)
    if (!email.success || !role || Object.keys(fieldErrors).length > 0) return again(400)
    const topics = values.topics
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
    try {
      await accounts.invite(user, { email: email.data, role, ...(orgId ? { organizationId: orgId } : {}), ...(topics.length > 0 ? { topics } : {}) }, meta(request))
    } catch (err) {
      const problem = problemMessage(err, request)
      return again(problem.status, problem.text, {})
    }
    return reply.redirect(`/segreteria/persone?invitata=${encodeURIComponent(email.data)}`, 303)
  })

  app.post('/segreteria/persone/inviti/:id/reinvia', { schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    try {
      const invitation = await accounts.resendInvitation(user, request.params.id, meta(request))
      return reply.redirect(`/segreteria/persone?reinvitata=${encodeURIComponent(invitation.email)}`, 303)
    } catch (err) {
      const problem = problemMessage(err, request)
      return showPeople(request, reply, user, { invite: { values: { email: '', role: '', organization: '', topics: '' }, fieldErrors: {}, error: problem.text } }, problem.status)
    }
  })

  async function showPerson(request: FastifyRequest, reply: FastifyReply, user: UserActor, id: string, extra: { info?: string; error?: string } = {}, status = 200) {
    const person = await accounts.getUser(user, id)
    const page = <PersonPage person={person} canManage={hasRole(user, 'admin')} isSelf={user.userId === person.id} {...extra} />
    return sendPage(request, reply, { title: person.displayName, noindex: true }, page, { status })
  }

  const DONE: Record<string, string> = {
    ruolo: secretariat.person.roleChanged,
    disattivato: secretariat.person.deactivated,
    riattivato: secretariat.person.reactivated,
  }

  app.get('/segreteria/persone/:id', { schema: { ...hide, params: IdParams, querystring: z.object({ fatto: Field }) } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    return showPerson(request, reply, user, request.params.id, { info: DONE[request.query.fatto ?? ''] })
  })

  app.post('/segreteria/persone/:id/ruolo', { schema: { ...hide, params: IdParams, body: FormBody } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const role = ROLES.find((r) => r === request.body.role)
    if (!role) return showPerson(request, reply, user, request.params.id, { error: t.errors.role }, 400)
    try {
      await accounts.updateUser(user, request.params.id, { role }, meta(request))
    } catch (err) {
      const problem = problemMessage(err, request)
      return showPerson(request, reply, user, request.params.id, { error: problem.text }, problem.status)
    }
    return reply.redirect(`/segreteria/persone/${request.params.id}?fatto=ruolo`, 303)
  })

  app.post('/segreteria/persone/:id/attivazione', { schema: { ...hide, params: IdParams, body: FormBody } }, async (request, reply) => {
    const user = moderatorOf(request, reply)
    if (!user) return reply
    const active = request.body.active === 'si'
    try {
      await accounts.updateUser(user, request.params.id, { active }, meta(request))
    } catch (err) {
      const problem = problemMessage(err, request)
      return showPerson(request, reply, user, request.params.id, { error: problem.text }, problem.status)
    }
    return reply.redirect(`/segreteria/persone/${request.params.id}?fatto=${active ? 'riattivato' : 'disattivato'}`, 303)
  })

  app.get(
    '/segreteria/registro',
    { schema: { ...hide, querystring: z.object({ attivita: Field, persona: Field, prima: Field }) } },
    async (request, reply) => {
      const user = moderatorOf(request, reply)
      if (!user) return reply
      const { attivita, persona, prima } = request.query
      const action = AUDIT_ACTIONS.find((a): a is AuditAction => a === attivita)
      const userId = persona && z.uuid().safeParse(persona).success ? persona : undefined
      const before = Number(prima)
      // The audit service refuses anyone but admins (403 page).
      const page = await audit.list(user, { action, userId, before: Number.isInteger(before) && before > 0 ? before : undefined, limit: 100 })
      const people = await accounts.listUsers(user, { limit: 500, offset: 0 })
      const names = new Map(people.map((u) => [u.id, `${u.displayName} (${u.email})`]))
      // The organizations the entries' details name (an invitation's, a change's from and to).
      const organizationIds = page.entries.flatMap((e) => [e.details.organizationId, e.details.from, e.details.to].filter((v): v is string => typeof v === 'string' && Uuid.safeParse(v).success))
      const organizations = new Map((organizationIds.length ? await comuni.getOrganizations(organizationIds) : []).map((o) => [o.id, o.name]))
      return sendPage(
        request,
        reply,
        { title: secretariat.audit.title, noindex: true },
        <AuditPage
          entries={page.entries}
          actions={AUDIT_ACTIONS}
          people={people.map((u) => ({ id: u.id, label: names.get(u.id)! })).sort((a, b) => a.label.localeCompare(b.label, 'it'))}
          filters={{ attivita: action, persona: userId }}
          nextBefore={page.nextBefore}
          nameOf={(id) => (id ? (names.get(id) ?? id) : '')}
          organizationOf={(id) => organizations.get(id)}
        />,
      )
    },
  )
}

export default peopleRoutes
