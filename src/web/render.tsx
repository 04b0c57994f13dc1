import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ComponentChildren } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { ANONYMOUS, isUser } from '../accounts/actor.js'
import { Layout, type PageMeta } from './layout.js'
import { setPageSecurityHeaders } from './security.js'
import { Site, type SiteContext } from './site-context.js'

export interface SendPageOptions {
  status?: number
  /**
   * `public`: the same for every anonymous visitor, cacheable for a few minutes and revalidated
   * with its ETag (signed-in visitors always get it `private`); `no-store`: forms and anything
   * personal.
   */
  cache?: 'public' | 'no-store'
  /** For `public`: seconds a shared cache may keep the page before asking again (default 300). */
  maxAge?: number
  /** A page that needs another Content-Security-Policy than PAGE_CSP. */
  csp?: string
  /** Pages whose URL carries a secret send no Referer at all. */
  referrerPolicy?: 'no-referrer'
}

/** Seconds a shared cache may keep a public page before asking again (with If-None-Match). */
const PUBLIC_MAX_AGE = 300

/** The whole document for a page: <!doctype html> and the layout around the content. */
export function renderDocument(context: SiteContext, meta: PageMeta, content: ComponentChildren): string {
  return `<!doctype html>${renderToString(
    <Site.Provider value={context}>
      <Layout meta={meta}>{content}</Layout>
    </Site.Provider>,
  )}`
}

export function siteContext(request: FastifyRequest): SiteContext {
  const web = request.server.web
  return { assets: web.assets, origin: web.publicOrigin, actor: request.actor ?? ANONYMOUS, path: request.url.split('?')[0] ?? '/' }
}

/**
 * Renders a page into the reply with the page security headers, caching rules and a strong ETag
 * of the document (a conditional GET with a matching If-None-Match gets 304 and no body).
 */
export function sendPage(request: FastifyRequest, reply: FastifyReply, meta: PageMeta, content: ComponentChildren, options: SendPageOptions = {}): FastifyReply {
  const html = renderDocument(siteContext(request), meta, content)
  const status = options.status ?? 200
  setPageSecurityHeaders(reply, { hsts: request.server.web.hsts, csp: options.csp, referrerPolicy: options.referrerPolicy })
  reply.status(status).type('text/html; charset=utf-8')
  if (options.cache !== 'public' || status !== 200) {
    return reply.header('cache-control', 'no-store').send(html)
  }
  const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`
  reply
    .header('etag', etag)
    .header('vary', 'cookie')
    .header('cache-control', isUser(request.actor) ? 'private, no-cache' : `public, max-age=${options.maxAge ?? PUBLIC_MAX_AGE}`)
  const ifNoneMatch = request.headers['if-none-match']
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return reply.status(304).send()
  }
  return reply.send(html)
}
