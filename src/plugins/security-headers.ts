import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, onSendHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { isUser, type Actor } from '../accounts/actor.js'
import { HSTS } from '../web/security.js'

export interface SecurityHeadersOptions {
  /** COOKIE_SECURE: the service is reached over HTTPS, so every response sends HSTS. */
  hsts: boolean
}

/** A JSON answer may load nothing, be framed by no one, and post nowhere. */
export const API_CSP = "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'"

/**
 * The headers @fastify/helmet sent with this project's options (helmet 8 defaults, frameguard
 * DENY, strict referrer policy, cross-origin CORP for the open data), written out once. The
 * plugin rebuilt the whole helmet middleware (parsing the CSP directives again) on every request,
 * the largest cost of the app's per-request overhead; the values never change within a process.
 */
export function securityHeaders(options: SecurityHeadersOptions): ReadonlyArray<readonly [string, string]> {
  const headers: Array<readonly [string, string]> = [
    ['Content-Security-Policy', API_CSP],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    // The open data (JSON, CSV, Atom) is meant to be fetched by other sites.
    ['Cross-Origin-Resource-Policy', 'cross-origin'],
    ['Origin-Agent-Cluster', '?1'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-DNS-Prefetch-Control', 'off'],
    ['X-Download-Options', 'noopen'],
    ['X-Frame-Options', 'DENY'],
    ['X-Permitted-Cross-Domain-Policies', 'none'],
    // The legacy XSS auditor is itself a source of leaks: disabled, as helmet does.
    ['X-XSS-Protection', '0'],
  ]
  if (options.hsts) headers.push(['Strict-Transport-Security', HSTS])
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
