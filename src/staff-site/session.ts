import type { FastifyReply, FastifyRequest } from 'fastify'
import { isUser, type UserActor } from '../accounts/actor.js'

export { LANDING } from '../web/landing.js'

/**
 * The `ritorno` parameter, if it is a path of this site: one leading slash, no scheme, no
 * `//host` or `/\host` (which browsers read as another site), no control characters. Anything
 * else is dropped, so the sign-in page cannot be used to send someone elsewhere.
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return undefined
  // Signing in again must not lead back to the sign-in or sign-out pages themselves.
  if (/^\/(accedi|esci)(?:[/?#]|$)/.test(value)) return undefined
  return value
}

export const signInPath = (returnTo: string) => `/accedi?ritorno=${encodeURIComponent(returnTo)}`

/**
 * The signed-in person, or a redirect to the sign-in page that brings them back here after
 * (a page whose session expired does the same). Returns undefined when it redirected.
 */
export function requireSignIn(request: FastifyRequest, reply: FastifyReply): UserActor | undefined {
  if (isUser(request.actor)) return request.actor
  void reply.redirect(signInPath(request.url), 303)
  return undefined
}
