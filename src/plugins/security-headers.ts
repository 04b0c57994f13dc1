import helmet from '@fastify/helmet'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isUser, type Actor } from '../accounts/actor.js'

export interface SecurityHeadersOptions {
  /** COOKIE_SECURE: the service is reached over HTTPS, so every response sends HSTS. */
  hsts: boolean
}

/**
 * Security headers on every response (API, /docs, pages, errors) with @fastify/helmet: nosniff,
 * no framing, a strict referrer policy, and a CSP that lets a JSON answer load nothing. Pages
 * replace the CSP with their own (`src/web/security.ts`) and the API docs with Swagger UI's.
 */
async function securityHeadersPlugin(app: FastifyInstance, options: SecurityHeadersOptions): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // The open data (JSON, CSV, Atom) is meant to be fetched by other sites.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    hsts: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  })

  // What answers a signed-in caller, or carries a session token or cookie, is personal: no cache
  // (browser, proxy) may keep it. Pages choose their own policy (`private, no-cache` when signed in).
  app.addHook('onSend', async (request, reply, payload) => {
    if (carriesPersonalData(request, reply)) reply.header('cache-control', 'no-store')
    return payload
  })
}

function carriesPersonalData(request: FastifyRequest, reply: FastifyReply): boolean {
  if (!request.url.startsWith('/api/')) return false
  // `actor` is unset when the request failed before authentication ran.
  const actor = request.actor as Actor | null
  return (actor !== null && isUser(actor)) || reply.hasHeader('set-cookie') || request.routeOptions.url === '/api/v1/sessions'
}

export default fp(securityHeadersPlugin, { name: 'security-headers' })
