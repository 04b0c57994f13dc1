import type { FastifyReply } from 'fastify'

/**
 * Security headers of the HTML pages. Every script and stylesheet is a file of ours under
 * /assets/, so the policy needs no 'unsafe-inline', no nonce and no hash. JSON-LD data blocks are
 * not executed and need no permission.
 *
 * Set per response by the page renderer (and the HTML error page), after any global defaults
 * (`src/plugins/security-headers.ts`): a page's own `Content-Security-Policy` replaces a global one,
 * the other headers carry the same values.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // data: for the icon font embedded in Bootstrap Italia's stylesheet (video player controls).
  "font-src 'self' data:",
  // The live counters' WebSocket is same-origin ('self' covers ws:/wss: of this host).
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** HSTS: a year, subdomains included; sent only when the service runs behind HTTPS (COOKIE_SECURE). */
export const HSTS = 'max-age=31536000; includeSubDomains'

export interface SecurityOptions {
  hsts: boolean
  /** A page that needs a different policy says so (none does today). */
  csp?: string
  referrerPolicy?: 'no-referrer'
}

export function setPageSecurityHeaders(reply: FastifyReply, options: SecurityOptions): FastifyReply {
  reply
    .header('content-security-policy', options.csp ?? PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', options.referrerPolicy ?? 'strict-origin-when-cross-origin')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('permissions-policy', 'camera=(), microphone=(), geolocation=()')
  if (options.hsts) reply.header('strict-transport-security', HSTS)
  return reply
}
