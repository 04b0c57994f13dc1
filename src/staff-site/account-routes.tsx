import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isUser } from '../accounts/actor.js'
import { Email } from '../accounts/schemas.js'
import type { AccountsService, RequestMeta } from '../accounts/service.js'
import { staff } from '../i18n/staff.js'
import { SESSION_COOKIE, sessionCookieOptions } from '../plugins/auth.js'
import { sendPage } from '../web/render.js'
import { AccountPage, ForgotPasswordPage, SignInPage } from './account-pages.js'
import { problemMessage } from '../web/feedback.js'
import { passwordProvider } from './identity-providers.js'
import { LANDING, requireSignIn, safeReturnPath } from './session.js'

export interface AccountRoutesOptions {
  accounts: AccountsService
  cookieSecure: boolean
}

const meta = (request: FastifyRequest): RequestMeta => ({ ip: request.ip, userAgent: request.headers['user-agent'] ?? null })
const hide = { hide: true }
/** Form fields arrive as strings (or are missing); the handlers judge them and answer in Italian. */
const Field = z.string().max(10_000).optional()

/** Sign in and out, the forgotten password, the account page and the roles' landing pages. */
const accountRoutes: FastifyPluginAsyncZod<AccountRoutesOptions> = async (app, { accounts, cookieSecure }) => {
  const cookieOptions = sessionCookieOptions({ cookieSecure, maxAgeSeconds: accounts.sessionCookieMaxAgeSeconds })
  const password = passwordProvider(accounts)
  const signInMeta = { title: staff.signIn.title, description: staff.signIn.description, noindex: true }

  app.get('/accedi', { schema: { ...hide, querystring: z.object({ ritorno: Field, uscito: Field }) } }, (request, reply) => {
    const returnTo = safeReturnPath(request.query.ritorno)
    // Already signed in (a second tab, the back button): straight on.
    if (isUser(request.actor)) return reply.redirect(returnTo ?? LANDING[request.actor.role], 303)
    const info = request.query.uscito !== undefined ? staff.signIn.signedOut : returnTo ? staff.signIn.needed : undefined
    return sendPage(request, reply, signInMeta, <SignInPage returnTo={returnTo} info={info} />)
  })

  app.post('/accedi', { schema: { ...hide, body: z.object({ email: Field, password: Field, ritorno: Field }) } }, async (request, reply) => {
    const returnTo = safeReturnPath(request.body.ritorno)
    const email = (request.body.email ?? '').trim()
    const secret = request.body.password ?? ''
    const again = (status: number, error: string) =>
      sendPage(request, reply, signInMeta, <SignInPage email={email} returnTo={returnTo} error={error} />, { status })
    if (!email || !secret) return again(400, staff.signIn.missing)
    try {
      const session = await password.signIn({ email, password: secret }, meta(request))
      reply.setCookie(SESSION_COOKIE, session.token, cookieOptions)
      return reply.redirect(returnTo ?? LANDING[session.role as keyof typeof LANDING], 303)
    } catch (err) {
      const problem = problemMessage(err, request)
      const wait = problem.extra.retryAfterSeconds
      if (typeof wait === 'number') reply.header('retry-after', String(wait))
      return again(problem.status, problem.text)
    }
  })

  app.post('/esci', { schema: hide }, async (request, reply) => {
    if (isUser(request.actor)) await accounts.logout(request.actor, meta(request))
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.redirect('/accedi?uscito=1', 303)
  })

  const forgotMeta = { title: staff.forgot.title, noindex: true }
  app.get('/password-dimenticata', { schema: hide }, (request, reply) => sendPage(request, reply, forgotMeta, <ForgotPasswordPage />))

  app.post('/password-dimenticata', { schema: { ...hide, body: z.object({ email: Field }) } }, async (request, reply) => {
    const email = Email.safeParse((request.body.email ?? '').trim())
    if (!email.success) {
      return sendPage(request, reply, forgotMeta, <ForgotPasswordPage email={request.body.email} error={staff.forgot.invalid} />, { status: 400 })
    }
    // The same answer whether or not the address has an account.
    await accounts.requestPasswordReset(email.data, meta(request))
    return sendPage(request, reply, forgotMeta, <ForgotPasswordPage sent />)
  })

  const accountMeta = { title: staff.account.title, noindex: true }
  app.get('/account', { schema: { ...hide, querystring: z.object({ cambiata: Field, salvate: Field }) } }, async (request, reply) => {
    const actor = requireSignIn(request, reply)
    if (!actor) return reply
    const [me, mail] = await Promise.all([accounts.me(actor), accounts.mailPreferences(actor)])
    const page = <AccountPage me={me} reminders={mail.reminders} changed={request.query.cambiata !== undefined} mailSaved={request.query.salvate !== undefined} />
    return sendPage(request, reply, accountMeta, page)
  })

  // An unticked checkbox is not sent at all: its absence means "off".
  app.post('/account/email', { schema: { ...hide, body: z.object({ reminders: Field }) } }, async (request, reply) => {
    const actor = requireSignIn(request, reply)
    if (!actor) return reply
    await accounts.setMailPreferences(actor, { reminders: request.body.reminders !== undefined })
    return reply.redirect('/account?salvate=1#email', 303)
  })

  app.post(
    '/account/password',
    { schema: { ...hide, body: z.object({ currentPassword: Field, newPassword: Field, confirm: Field, username: Field }) } },
    async (request, reply) => {
      const actor = requireSignIn(request, reply)
      if (!actor) return reply
      const { currentPassword = '', newPassword = '', confirm = '' } = request.body
      const again = async (status: number, error: string) =>
        sendPage(request, reply, accountMeta, <AccountPage me={await accounts.me(actor)} reminders={(await accounts.mailPreferences(actor)).reminders} error={error} />, {
          status,
        })
      if (newPassword !== confirm) return again(400, staff.account.mismatch)
      try {
        await accounts.changePassword(actor, { currentPassword, newPassword }, meta(request))
      } catch (err) {
        const problem = problemMessage(err, request)
        const wait = problem.extra.retryAfterSeconds
        if (typeof wait === 'number') reply.header('retry-after', String(wait))
        return again(problem.status, problem.text)
      }
      // Post/redirect/get: a reload does not send the passwords again.
      return reply.redirect('/account?cambiata=1#password', 303)
    },
  )
}

export default accountRoutes
