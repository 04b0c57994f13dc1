import cookie from '@fastify/cookie'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ANONYMOUS, type UserActor } from '../accounts/actor.js'
import type { AccountsService } from '../accounts/service.js'
import { DomainError } from '../shared/errors.js'

export const SESSION_COOKIE = 'ft_session'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface AuthOptions {
  accounts: AccountsService
  publicOrigin: string
  cookieSecure: boolean
}

/** The origin a browser request came from: Origin, else Referer's origin; undefined when neither is sent. */
function requestOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin
  if (origin && origin !== 'null') return origin
  if (origin === 'null') return 'null'
  const referer = request.headers.referer
  if (!referer) return undefined
  try {
    return new URL(referer).origin
  } catch {
    return 'null'
  }
}

/**
 * True when the request comes from the app's own pages (or from no browser page at all when
 * `allowMissing`). Used for CSRF here and by the realtime module for the WebSocket handshake.
 */
export function isSameOrigin(request: FastifyRequest, publicOrigin: string, { allowMissing = false } = {}): boolean {
  const origin = requestOrigin(request)
  if (origin === undefined) return allowMissing && request.headers['sec-fetch-site'] !== 'cross-site'
  // The request's own origin counts too (e.g. /docs opened at 127.0.0.1 while PUBLIC_ORIGIN says
  // localhost): a cross-site page cannot make a browser send a Host that matches its Origin.
  return origin === new URL(publicOrigin).origin || origin === `${request.protocol}://${request.host}`
}

function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
  return match?.[1]
}

/**
 * Who is calling: sets `request.actor` from a Bearer token or the `ft_session` cookie (anonymous
 * when neither carries a live session). Cookie-authenticated state-changing requests must come
 * from PUBLIC_ORIGIN (Origin or Referer): a cross-site page cannot ride the browser's cookie.
 * Bearer requests are exempt, since no browser adds that header on its own.
 */
async function authPlugin(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  await app.register(cookie)
  // Set for every request by the hook below; null only as the decorator's initial shape.
  app.decorateRequest('actor', null as unknown as UserActor)

  // Callback style: most requests carry no credentials and finish here synchronously, without
  // the promise and microtask an async hook costs on every request (issue 18).
  app.addHook('onRequest', (request, reply, done) => {
    request.actor = ANONYMOUS
    const unsafe = !SAFE_METHODS.has(request.method)
    const bearer = bearerToken(request)
    const cookieToken = bearer ? undefined : request.cookies[SESSION_COOKIE]
    if (unsafe && !bearer) {
      // Anonymous requests too (login CSRF): a browser page of another site is refused outright.
      const strict = cookieToken !== undefined
      if (!isSameOrigin(request, opts.publicOrigin, { allowMissing: !strict })) {
        done(new DomainError('CSRF_REJECTED', 403, 'Cross-site request refused: send it from the forum pages, or use a Bearer token'))
        return
      }
    }
    const token = bearer ?? cookieToken
    if (!token) {
      done()
      return
    }
    opts.accounts.authenticate(token).then(
      (actor) => {
        if (actor) request.actor = actor
        done()
      },
      (err: unknown) => done(err as Error),
    )
  })

  // DomainErrors that say when to come back (login throttling) get the standard header.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode === 429 && !reply.hasHeader('retry-after') && typeof payload === 'string') {
      try {
        const seconds = (JSON.parse(payload) as { retryAfterSeconds?: unknown }).retryAfterSeconds
        if (typeof seconds === 'number') reply.header('retry-after', String(seconds))
      } catch {
        // Not JSON: nothing to read the delay from.
      }
    }
    done(null, payload)
  })
}

export default fp(authPlugin, { name: 'auth' })

/** Cookie attributes for the session: HttpOnly, SameSite=Lax, Secure when configured. */
export const sessionCookieOptions = (opts: { cookieSecure: boolean; maxAgeSeconds: number }) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: opts.cookieSecure,
  maxAge: opts.maxAgeSeconds,
})
