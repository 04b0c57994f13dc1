import compress from '@fastify/compress'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { z } from 'zod'
import { italianDetail } from '../i18n/problems.js'
import { PROBLEM_CONTENT_TYPE } from '../shared/problem.js'
import { assetManifest, type AssetManifest } from './assets.js'
import { errorPage, wantsHtml, type ProblemForPage } from './error-page.js'
import { renderDocument, siteContext } from './render.js'
import { HSTS, setPageSecurityHeaders } from './security.js'

export interface WebOptions {
  publicOrigin: string
  /** COOKIE_SECURE: the service is reached over HTTPS, so pages and assets send HSTS. */
  hsts: boolean
}

/** What page routes need from the web layer (`app.web`). */
export interface Web {
  assets: AssetManifest
  publicOrigin: string
  hsts: boolean
}

const YEAR_MS = 365 * 86_400_000

/** A path of plain segments (letters, digits, `-._~`, percent escapes) that a trailing slash may be dropped from. */
const PAGE_PATH = /^[/\w.~%-]+$/

/** /assets/<name>.<hash>.<ext>: cached for a year, never revalidated (a change makes a new name). */
const assetRoutes: FastifyPluginAsync<{ assets: AssetManifest; hsts: boolean }> = async (app, { assets, hsts }) => {
  // Encapsulated: sendFile is decorated here only (the API docs register their own copy).
  await app.register(fastifyStatic, { serve: false })
  app.get('/assets/:file', { schema: { hide: true, params: z.object({ file: z.string().max(200) }) } }, async (request, reply) => {
    const asset = assets.lookup((request.params as { file: string }).file)
    if (!asset) return reply.callNotFound()
    reply.header('x-content-type-options', 'nosniff').header('cross-origin-resource-policy', 'same-origin')
    if (hsts) reply.header('strict-transport-security', HSTS)
    if (asset.file) return reply.sendFile(asset.file.path, asset.file.root, { maxAge: YEAR_MS, immutable: true, lastModified: false })
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type(asset.contentType).send(asset.body)
  })
}

/**
 * The web layer every page stands on: compression of text responses, the hashed static assets,
 * `app.web` for page routes, and HTML error pages for browsers. Register it before any route, so
 * compression applies to all of them.
 */
async function webPlugin(app: FastifyInstance, options: WebOptions): Promise<void> {
  // Brotli or gzip for every text response above 1 KB (pages, JSON, CSS, JS, SVG, Atom, CSV).
  await app.register(compress, { global: true, encodings: ['br', 'gzip'], threshold: 1024 })
  const assets = await assetManifest()
  const web: Web = { assets, publicOrigin: options.publicOrigin, hsts: options.hsts }
  app.decorate('web', web)
  await app.register(assetRoutes, { assets, hsts: options.hsts })

  // One address per page: "/forum/" or "/domande-e-risposte/" (typed, or linked from elsewhere)
  // is redirected to the page rather than answered "not found" or, where a page takes a last
  // segment, "invalid request". Only plain paths: leading slashes are collapsed, so that
  // "//other.example/" cannot become a redirect to another host, and the API keeps its exact paths.
  app.addHook('onRequest', (request, reply, done) => {
    const url = request.url
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    if (path.length > 1 && path.endsWith('/') && (request.method === 'GET' || request.method === 'HEAD') && PAGE_PATH.test(path) && !path.startsWith('/api/')) {
      const target = `/${path.replace(/^\/+|\/+$/g, '')}${q < 0 ? '' : url.slice(q)}`
      void reply.redirect(target, 301)
      return
    }
    done()
  })

  // Problems become pages for browsers: the errors plugin writes problem+json for every error,
  // and this turns the ones a browser navigated to into an Italian page in the site's layout.
  // Callback style: it runs for every response and returns at once for all but browser errors.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith(PROBLEM_CONTENT_TYPE) || !wantsHtml(request)) {
      done(null, payload)
      return
    }
    let page: string
    try {
      page = problemPage(request, reply, payload, options.hsts)
    } catch (err) {
      done(err as Error)
      return
    }
    done(null, page)
  })
}

/** The HTML page for a problem+json answer a browser navigated to (the JSON itself when unreadable). */
function problemPage(request: FastifyRequest, reply: FastifyReply, payload: string, hsts: boolean): string {
  let problem: ProblemForPage & Record<string, unknown>
  try {
    problem = JSON.parse(payload) as ProblemForPage & Record<string, unknown>
  } catch {
    return payload
  }
  // Pages are Italian whatever the browser's language (the JSON detail follows Accept-Language).
  const path = request.url.split('?')[0] ?? '/'
  problem.detail = italianDetail(problem.code, problem, { id: request.id, method: request.method, path }) ?? problem.detail
  const page = errorPage(problem, path)
  setPageSecurityHeaders(reply, { hsts })
  reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').removeHeader('content-length')
  return renderDocument(siteContext(request), page.meta, page.body)
}

export default fp(webPlugin, { name: 'web', dependencies: ['errors'] })

declare module 'fastify' {
  interface FastifyInstance {
    web: Web
  }
}
