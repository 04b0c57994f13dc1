import { negotiate } from '@fastify/accept-negotiator'
import type { FastifyRequest } from 'fastify'
import type { JSX } from 'preact'
import { site } from '../i18n/site.js'
import type { PageMeta } from './layout.js'

/**
 * Browsers get errors as pages in the site's layout, API clients as problem+json. A request gets
 * a page when it is a GET (or HEAD) outside the API and its Accept header prefers text/html, as
 * every browser's navigation does; no Accept, `*\/*` or a JSON type keeps problem+json.
 */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  if (request.url.startsWith('/api/') || request.url.startsWith('/docs')) return false
  const accept = request.headers.accept
  if (!accept || !accept.includes('text/html')) return false
  return negotiate(accept, ['text/html', 'application/problem+json', 'application/json']) === 'text/html'
}

export interface ProblemForPage {
  status: number
  code: string
  detail: string
  requestId?: string
}

/** Titles and words of the error page for a problem; the body goes into the layout. */
export function errorPage(problem: ProblemForPage, path: string): { meta: PageMeta; body: JSX.Element } {
  const title = site.errors.titles[problem.status] ?? site.errors.fallbackTitle
  const aboutFaqs = path.startsWith('/domande-e-risposte/')
  return {
    meta: { title, noindex: true },
    body: (
      <div class="container my-5">
        <div class="row">
          <div class="col-lg-8">
            <p class="text-secondary mb-1">{site.errors.status(problem.status)}</p>
            <h1 class="mb-4">{title}</h1>
            <div class={`alert ${problem.status >= 500 ? 'alert-danger' : 'alert-info'}`} role={problem.status >= 500 ? 'alert' : undefined}>
              <p>{problem.code === 'FAQ_WITHDRAWN' ? site.errors.goneFaq : problem.detail}</p>
              {problem.status === 404 && aboutFaqs ? <p>{site.errors.reservedHint}</p> : null}
              {problem.status >= 500 ? <p>{site.errors.retry}</p> : null}
              {problem.status >= 500 && problem.requestId ? <p class="small mb-0">{site.errors.requestId(problem.requestId)}</p> : null}
            </div>
            <h2 class="h4 mt-5">{site.errors.whatNow}</h2>
            <ul class="link-list-plain">
              <li>
                <a href="/domande-e-risposte">{site.errors.searchFaqs}</a>
              </li>
              <li>
                <a href="/">{site.errors.goHome}</a>
              </li>
            </ul>
          </div>
        </div>
      </div>
    ),
  }
}
