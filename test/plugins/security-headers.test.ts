import helmet from '@fastify/helmet'
import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { PAGE_CSP } from '../../src/web/security.js'
import { build } from '../helper.js'
import { signIn } from '../factories/accounts.js'

const BASELINE = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'strict-origin-when-cross-origin' }

t.test('API answers, errors and the API docs carry the security headers', async (t) => {
  const app = await build(t)
  for (const url of ['/api/v1/faqs', '/api/v1/nessuna-rotta', '/api/v1/faqs/a%00b', '/healthz']) {
    const res = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } })
    t.match(res.headers, BASELINE, url)
    t.match(res.headers['content-security-policy'], /default-src 'none'.*frame-ancestors 'none'/, `${url}: a JSON answer may load nothing`)
  }
  for (const url of ['/docs', '/docs/json']) {
    const docs = await app.inject({ method: 'GET', url })
    t.equal(docs.statusCode, 200)
    t.match(docs.headers, BASELINE, url)
  }
  const docs = await app.inject({ method: 'GET', url: '/docs' })
  t.match(docs.headers['content-security-policy'], /script-src 'self'/, 'Swagger UI runs under its own policy')
  t.notMatch(docs.headers['content-security-policy'], /upgrade-insecure-requests/, '/docs keeps working on http://localhost')
})

t.test('pages keep their own Content-Security-Policy', async (t) => {
  const app = await build(t)
  const home = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } })
  t.equal(home.statusCode, 200)
  t.equal(home.headers['content-security-policy'], PAGE_CSP)
  t.match(home.headers, BASELINE)
})

t.test('what carries a token or personal data is never stored by a cache', async (t) => {
  const app = await build(t)
  const staff = await signIn(app, { role: 'staff' })
  const login = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: staff.email, password: staff.password } })
  t.equal(login.statusCode, 201)
  t.equal(login.headers['cache-control'], 'no-store', 'the login answer holds the token')
  const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: staff.headers })
  t.equal(me.headers['cache-control'], 'no-store')
  const signedInSearch = await app.inject({ method: 'GET', url: '/api/v1/faqs', headers: staff.headers })
  t.equal(signedInSearch.headers['cache-control'], 'no-store', 'every answer to a signed-in caller')
  const publicSearch = await app.inject({ method: 'GET', url: '/api/v1/faqs' })
  t.not(publicSearch.headers['cache-control'], 'no-store', 'public answers stay cacheable')
})

/** What @fastify/helmet sent with the options the app used before writing the headers out itself. */
async function helmetHeaders(t: Test, hsts: boolean): Promise<Record<string, unknown>> {
  const reference = Fastify()
  t.teardown(() => reference.close())
  await reference.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    hsts: hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  })
  reference.get('/healthz', async () => ({ status: 'ok' }))
  const { headers } = await reference.inject({ method: 'GET', url: '/healthz' })
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !['content-type', 'content-length', 'date', 'connection'].includes(name)))
}

t.test('the API sends exactly the headers helmet sent, HSTS only behind HTTPS', async (t) => {
  for (const cookieSecure of [false, true]) {
    const app = await build(t, { env: { COOKIE_SECURE: String(cookieSecure) } })
    const res = await app.inject({ method: 'GET', url: '/healthz' })
    const expected = await helmetHeaders(t, cookieSecure)
    t.ok(Object.keys(expected).length >= 11, 'the reference sends the full set')
    t.match(res.headers, expected, `COOKIE_SECURE=${cookieSecure}`)
    const sent = Object.keys(res.headers).filter((name) => !['content-type', 'content-length', 'date', 'connection', 'x-request-id'].includes(name))
    t.same(sent.sort(), Object.keys(expected).sort(), 'and no other header')
  }
})
