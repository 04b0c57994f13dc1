import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { SESSION_COOKIE, sessionCookieOptions } from '../plugins/auth.js'
import { Problem } from '../shared/problem.js'
import {
  ChangePassword,
  AcceptInvitation,
  CompletePasswordReset,
  MailPreferences,
  RequestPasswordReset,
  InvitationDto,
  LoginBody,
  LoginResult,
  MeDto,
  NewInvitation,
  PendingInvitationDto,
  NewPasswordReset,
  PasswordResetDto,
  UserDto,
  UserParams,
  UsersQuery,
  UserUpdate,
} from './schemas.js'
import type { AccountsService, RequestMeta } from './service.js'

const tags = ['accounts']
const security: { [scheme: string]: string[] }[] = [{ bearer: [] }, { cookie: [] }]
const meta = (req: FastifyRequest): RequestMeta => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null })

const accountsRoutes: FastifyPluginAsyncZod<{ accounts: AccountsService; cookieSecure: boolean }> = async (app, { accounts, cookieSecure }) => {
  const cookieOptions = sessionCookieOptions({ cookieSecure, maxAgeSeconds: accounts.sessionCookieMaxAgeSeconds })

  app.post(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'Sign in with email and password',
        description:
          'Returns a session token (for `Authorization: Bearer`) and sets it as the HttpOnly `ft_session` cookie. ' +
          'Past a few failures, attempts for that account from that address wait ever longer (429 LOGIN_THROTTLED with Retry-After); see the README.',
        body: LoginBody,
        response: { 201: LoginResult, 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (req, reply) => {
      const result = await accounts.login(req.body, meta(req))
      reply.setCookie(SESSION_COOKIE, result.token, cookieOptions)
      return reply.status(201).send(result)
    },
  )

  app.delete(
    '/sessions/current',
    {
      schema: {
        tags,
        summary: 'Sign out: revokes the current session',
        security,
        response: { 204: z.null().describe('Signed out'), 401: Problem, 403: Problem },
      },
    },
    async (req, reply) => {
      await accounts.logout(req.actor, meta(req))
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/me',
    { schema: { tags, summary: 'Who the caller is', security, response: { 200: MeDto, 401: Problem } } },
    (req) => accounts.me(req.actor),
  )

  app.post(
    '/me/password',
    {
      schema: {
        tags,
        summary: 'Change your own password; keeps this session and ends every other one',
        description: 'A wrong current password is 403 WRONG_PASSWORD and counts as a failed login (429 LOGIN_THROTTLED after too many).',
        security,
        body: ChangePassword,
        response: { 204: z.null().describe('Password changed'), 400: Problem, 401: Problem, 403: Problem, 422: Problem, 429: Problem },
      },
    },
    async (req, reply) => {
      await accounts.changePassword(req.actor, req.body, meta(req))
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/invitations',
    {
      schema: {
        tags,
        summary: 'Invite someone (admins: any role; moderators: staff and experts)',
        description: 'There is no mail server: the single-use link is returned to the inviter, who passes it on.',
        security,
        body: NewInvitation,
        response: { 201: InvitationDto, 400: Problem, 401: Problem, 403: Problem, 409: Problem, 422: Problem },
      },
    },
    async (req, reply) => reply.status(201).send(await accounts.invite(req.actor, req.body, meta(req))),
  )

  app.get(
    '/invitations',
    {
      schema: {
        tags,
        summary: 'Invitations not accepted yet, newest first: who has not activated (admins and moderators)',
        security,
        response: { 200: z.array(PendingInvitationDto), 401: Problem, 403: Problem },
      },
    },
    (req) => accounts.pendingInvitations(req.actor),
  )

  app.post(
    '/invitations/:id/resend',
    {
      schema: {
        tags,
        summary: 'Mail an invitation again with a new link and a new expiry; the old link stops working',
        security,
        params: z.object({ id: z.uuid() }),
        response: { 200: InvitationDto, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    (req) => accounts.resendInvitation(req.actor, req.params.id, meta(req)),
  )

  app.post(
    '/invitations/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation: choose a password and a display name',
        body: AcceptInvitation,
        response: { 201: UserDto, 400: Problem, 404: Problem, 409: Problem, 410: Problem, 422: Problem },
      },
    },
    async (req, reply) => reply.status(201).send(await accounts.acceptInvitation(req.body, meta(req))),
  )

  app.post(
    '/password-resets',
    {
      schema: {
        tags,
        summary: "Issue a password-reset link for someone's account (admins; moderators for staff and experts)",
        security,
        body: NewPasswordReset,
        response: { 201: PasswordResetDto, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req, reply) => reply.status(201).send(await accounts.issuePasswordReset(req.actor, req.body.userId, meta(req))),
  )

  app.get(
    '/me/mail-preferences',
    { schema: { tags, summary: 'Your e-mail choices', security, response: { 200: MailPreferences, 401: Problem } } },
    async (req) => accounts.mailPreferences(req.actor),
  )

  app.put(
    '/me/mail-preferences',
    {
      schema: {
        tags,
        summary: 'Turn the optional e-mail reminders on or off',
        security,
        body: MailPreferences,
        response: { 200: MailPreferences, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req) => accounts.setMailPreferences(req.actor, req.body),
  )

  app.post(
    '/password-resets/request',
    {
      schema: {
        tags,
        summary: 'Forgotten password: e-mail a reset link to this address if it has an account',
        description:
          'Always 202, whether or not the address has an account, so the answer never tells. ' +
          'At most one link is mailed per account every few minutes; the link replaces earlier ones.',
        body: RequestPasswordReset,
        response: { 202: z.null().describe('If the address has an account, a link is on its way'), 400: Problem },
      },
    },
    async (req, reply) => {
      await accounts.requestPasswordReset(req.body.email, meta(req))
      return reply.status(202).send(null)
    },
  )

  app.post(
    '/password-resets/complete',
    {
      schema: {
        tags,
        summary: 'Set a new password with a reset link; ends every session of the account',
        body: CompletePasswordReset,
        response: { 204: z.null().describe('Password changed'), 400: Problem, 404: Problem, 409: Problem, 410: Problem, 422: Problem },
      },
    },
    async (req, reply) => {
      await accounts.completePasswordReset(req.body, meta(req))
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'List accounts (admins and moderators)',
        security,
        querystring: UsersQuery,
        response: { 200: z.object({ users: z.array(UserDto) }), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req) => ({ users: await accounts.listUsers(req.actor, req.query) }),
  )

  app.get(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'One account (admins, moderators, and the account itself)',
        security,
        params: UserParams,
        response: { 200: UserDto, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    (req) => accounts.getUser(req.actor, req.params.id),
  )

  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Change role, organization, topics or name, or (de)activate an account (admins)',
        description: 'Deactivating ends every session of the account at once.',
        security,
        params: UserParams,
        body: UserUpdate,
        response: { 200: UserDto, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem },
      },
    },
    (req) => accounts.updateUser(req.actor, req.params.id, req.body, meta(req)),
  )
}

export default accountsRoutes

declare module 'fastify' {
  interface FastifyInstance {
    /** The accounts service (built in buildApp), for modules and tests that need it. */
    accounts: AccountsService
  }
}
