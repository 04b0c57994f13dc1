import t from 'tap'
import { DEMO_ACCOUNTS } from '../../src/accounts/demo.js'
import type { App } from '../../src/app.js'
import { build } from '../helper.js'
import { PAGE } from '../staff-site/pages.js'

/**
 * Every link of the demo site leads somewhere: crawled from the home page as a visitor and as each
 * demo role, every page, script, stylesheet and image a page names answers, every `#fragment` is
 * an id on the page it names, ids are unique and every id a label or ARIA attribute names is on
 * the page, every page of the forum has its frame (lang="it", a title, a <main>, one <h1>), and
 * every POST form goes to a route.
 * Search and list pages make endless query variants: a few of each path are followed, enough to
 * reach every kind of page.
 */
const PER_PATH = 6
const MAX_PAGES = 400

interface Crawl {
  pages: number
  problems: string[]
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>' }
const attribute = (value: string) => value.replace(/&(?:amp|quot|#39|lt|gt);/g, (e) => ENTITIES[e] ?? e)

/** The links and resources a page names (`href`, `src`). */
function references(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => attribute(m[1]!))
}

/** Where a page's POST forms send. */
function postActions(html: string): string[] {
  return [...html.matchAll(/<form\s[^>]*>/g)].flatMap(([tag]) => (/\smethod="post"/i.test(tag) ? [attribute(/\saction="([^"]*)"/.exec(tag)?.[1] ?? '')] : []))
}

/**
 * What a page must be on its own: the forum's frame (lang="it", a title, a <main>, one <h1>),
 * unique ids, and every id a label or an ARIA attribute names present.
 */
function pageProblems(url: string, body: string): string[] {
  const problems: string[] = []
  const h1 = body.match(/<h1[\s>]/g)?.length ?? 0
  // The API explorer (/docs) is Swagger UI's own page, for developers: not one of the forum's.
  if (!url.startsWith('/docs') && (!/<html lang="it"/.test(body) || !/<title>[^<]*\S[^<]*<\/title>/.test(body) || !/<main[\s>]/.test(body) || h1 !== 1)) {
    problems.push(`${url} lacks the page's frame: lang="it", a title, a <main> and one <h1> (it has ${h1})`)
  }
  const ids = [...body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)
  const twice = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]
  if (twice.length > 0) problems.push(`${url} has ids used twice: ${twice.join(', ')}`)
  const named = new Set(ids)
  const refs = [...body.matchAll(/\s(for|aria-(?:describedby|labelledby|controls|errormessage))="([^"]+)"/g)]
  const dangling = refs.flatMap(([, attr, value]) => value!.split(/\s+/).filter((id) => !named.has(id)).map((id) => `${attr}="${id}"`))
  if (dangling.length > 0) problems.push(`${url} refers to ids not on the page: ${[...new Set(dangling)].join(', ')}`)
  return problems
}

async function crawl(app: App, cookie?: string): Promise<Crawl> {
  const origin = 'http://forum.test'
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { ...PAGE, ...(cookie ? { cookie } : {}) } })
  const html = new Map<string, string>()
  const status = new Map<string, number>()
  const perPath = new Map<string, number>()
  const fragments: Array<{ page: string; id: string; from: string }> = []
  const actions = new Map<string, string>()
  const problems: string[] = []
  const queue: Array<{ url: string; from: string }> = [{ url: '/', from: '(start)' }]

  const visit = async (url: string, from: string): Promise<void> => {
    let res = await get(url)
    for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 3; hops++) {
      const location = new URL(String(res.headers.location), origin + url)
      if (location.origin !== origin) return
      res = await get(location.pathname + location.search)
    }
    status.set(url, res.statusCode)
    if (res.statusCode !== 200) problems.push(`${url} answers ${res.statusCode} (linked from ${from})`)
    else if (String(res.headers['content-type']).startsWith('text/html')) html.set(url, res.body)
  }

  while (queue.length > 0 && html.size < MAX_PAGES) {
    const { url, from } = queue.shift()!
    if (status.has(url)) continue
    await visit(url, from)
    // A <template> is filled in by a script (a row that arrives live): its empty links are not links yet.
    const body = html.get(url)?.replace(/<template[\s\S]*?<\/template>/g, '')
    if (!body) continue
    problems.push(...pageProblems(url, body))
    for (const action of postActions(body)) if (!actions.has(action)) actions.set(action, url)
    for (const ref of references(body)) {
      if (/^(?:mailto|tel|javascript|data):/.test(ref)) continue
      const target = new URL(ref, origin + url)
      if (target.origin !== origin) continue
      const path = target.pathname + target.search
      if (target.hash.length > 1) fragments.push({ page: ref.startsWith('#') ? url : path, id: decodeURIComponent(target.hash.slice(1)), from: url })
      if (status.has(path) || queue.some((q) => q.url === path)) continue
      const seen = perPath.get(target.pathname) ?? 0
      if (seen >= PER_PATH) continue
      perPath.set(target.pathname, seen + 1)
      queue.push({ url: path, from: url })
    }
  }

  for (const { page, id, from } of fragments) {
    if (!status.has(page)) await visit(page, from)
    const body = html.get(page)
    if (body === undefined) continue // its status is already reported
    if (!body.includes(` id="${id}"`)) problems.push(`${from} links to ${page === from ? '' : page}#${id}, which is not on that page`)
  }
  // Sent empty and without a session, a form's POST is refused (400, 401, 403...) and changes
  // nothing; only a form whose action no route serves answers 404.
  for (const [action, from] of actions) {
    const path = new URL(action || from, origin + from)
    const res = await app.inject({ method: 'POST', url: path.pathname + path.search, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' })
    if (res.statusCode === 404) problems.push(`${from} has a form sent to ${path.pathname}, which no route serves`)
  }
  return { pages: html.size, problems: [...new Set(problems)] }
}

async function signedIn(app: App, account: { email: string; password: string }): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: account.email, password: account.password } })
  return `ft_session=${res.json().token}`
}

t.test('the demo site crawled as a visitor and as each role: links, fragments, ids, pages and forms hold', async (t) => {
  const app = await build(t, { env: { DEMO_DATA: 'true', SEARCH_INDEXING_INTERVAL_MS: '3600000' } })
  await app.kb.drainIndex()
  const visitor = await crawl(app)
  t.ok(visitor.pages >= 20, `a visitor reaches the public pages (${visitor.pages})`)
  t.same(visitor.problems, [], 'as a visitor')
  for (const role of ['staff', 'expert', 'moderator', 'admin'] as const) {
    const account = DEMO_ACCOUNTS.find((a) => a.role === role)!
    const crawled = await crawl(app, await signedIn(app, account))
    t.ok(crawled.pages > visitor.pages, `${role}: more pages than a visitor (${crawled.pages})`)
    t.same(crawled.problems, [], `as ${account.email}`)
  }
})
