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
