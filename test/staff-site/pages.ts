import type { App } from '../../src/app.js'
import { TEST_ORIGIN, type SignedIn } from '../factories/accounts.js'

/** What a browser sends when it navigates to a page. */
export const PAGE = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-language': 'it-IT,it;q=0.9' }

/** A form posted from the forum's own pages, as a browser does it (urlencoded, with Origin). */
export function form(app: App, url: string, fields: Record<string, string>, options: { cookie?: string; origin?: string } = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      ...PAGE,
      'content-type': 'application/x-www-form-urlencoded',
      origin: options.origin ?? TEST_ORIGIN,
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    payload: new URLSearchParams(fields).toString(),
  })
}

/** The session cookie header of a factory-made user. */
export const sessionCookie = (_app: App, user: SignedIn) => Promise.resolve(`ft_session=${user.token}`)

/**
 * The error summary's links that lead nowhere useful: the id they jump to is not on the page, or
 * is a field not marked invalid (a fieldset carries its error line instead). Empty when every
 * link takes the person to the field to fix.
 */
export function brokenSummaryLinks(html: string): string[] {
  const summary = /<div class="alert alert-danger[^"]*" role="alert">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? ''
  const targets = [...summary.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1]!)
  return targets.flatMap((id) => {
    const element = new RegExp(`<(\\w+)\\s[^>]*\\bid="${id}"[^>]*>`).exec(html)
    if (!element) return [`#${id}: no element with this id`]
    const [tag, name] = element
    if (name === 'fieldset' || tag.includes('aria-invalid="true"')) return []
    return [`#${id}: <${name}> not marked aria-invalid`]
  })
}
