import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet from 'helmet'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, onSendHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { isUser, type Actor } from '../accounts/actor.js'

export interface SecurityHeadersOptions {
  /** COOKIE_SECURE: the service is reached over HTTPS, so every response sends HSTS. */
  hsts: boolean
}

/**
 * helmet's headers for this project's options (helmet 8 defaults, a CSP that lets a JSON answer
 * load nothing, frameguard DENY, strict referrer policy, cross-origin CORP for the open data),
 * taken once from helmet itself. @fastify/helmet rebuilt the whole helmet middleware (parsing the
 * CSP directives again) on every request, the largest cost of the app's per-request overhead;
 * the values never change within a process.
 */
export function securityHeaders(options: SecurityHeadersOptions): ReadonlyArray<readonly [string, string]> {
  const middleware = helmet({
    // A JSON answer may load nothing, be framed by no one, and post nowhere.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // The open data (JSON, CSV, Atom) is meant to be fetched by other sites.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    strictTransportSecurity: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  })
  const headers: Array<readonly [string, string]> = []
  const response = {
    setHeader: (name: string, value: string | number) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
  }
  // helmet sets its headers synchronously and calls next(); none of them depends on the request.
  middleware({} as IncomingMessage, response as unknown as ServerResponse, () => undefined)
  return headers
}

/**
 * Security headers on every response (API, /docs, pages, errors): nosniff, no framing, a strict
 * referrer policy, and a CSP that lets a JSON answer load nothing. Pages replace the CSP with
 * their own (`src/web/security.ts`) and the API docs with Swagger UI's: these are set on the raw
 * response, as helmet did, so a value set later on the reply wins.
 */
async function securityHeadersPlugin(app: FastifyInstance, options: SecurityHeadersOptions): Promise<void> {
  const headers = securityHeaders(options)
  // Callback style: no promise per request for a hook that never waits.
  const setHeaders: onRequestHookHandler = (request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value)
    done()
  }
  app.addHook('onRequest', setHeaders)

  // What answers a signed-in caller, or carries a session token or cookie, is personal: no cache
  // (browser, proxy) may keep it. Pages choose their own policy (`private, no-cache` when signed in).
  const noStore: onSendHookHandler = (request, reply, payload, done) => {
    if (carriesPersonalData(request, reply)) reply.header('cache-control', 'no-store')
    done(null, payload)
  }
  app.addHook('onSend', noStore)
}

function carriesPersonalData(request: FastifyRequest, reply: FastifyReply): boolean {
  if (!request.url.startsWith('/api/')) return false
  // `actor` is unset when the request failed before authentication ran.
  const actor = request.actor as Actor | null
  return (actor !== null && isUser(actor)) || reply.hasHeader('set-cookie') || request.routeOptions.url === '/api/v1/sessions'
}

export default fp(securityHeadersPlugin, { name: 'security-headers' })
