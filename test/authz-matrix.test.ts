import t from 'tap'
import { accountsRows } from './authz/accounts-rows.js'
import { forumRows } from './authz/forum-rows.js'
import { knowledgeBaseRows } from './authz/knowledge-base-rows.js'
import { reportsRows } from './authz/reports-rows.js'
import { selfAssessmentRows } from './authz/self-assessment-rows.js'
import { buildWorld, CALLERS, type MatrixRow } from './authz/world.js'

/** Every module's rows; add yours here. */
const rows: MatrixRow[] = [...accountsRows, ...forumRows, ...knowledgeBaseRows, ...selfAssessmentRows, ...reportsRows]

// One world (app, organizations, callers) for the whole matrix: every request builds what it needs.
const world = await buildWorld(t)

for (const row of rows) {
  const denied = CALLERS.filter((c) => !row.allow.includes(c))
  t.test(`${row.name}: allowed for ${row.allow.join(', ') || 'nobody'}; denied for ${denied.join(', ') || 'nobody'}`, async (t) => {
    for (const caller of CALLERS) {
      const res = await world.app.inject(await row.request(world, caller))
      if (row.allow.includes(caller)) {
        t.ok(res.statusCode < 400, `${caller} is allowed (got ${res.statusCode} ${res.statusCode >= 400 ? res.json().code : ''})`)
      } else {
        t.ok([401, 403].includes(res.statusCode), `${caller} is denied (got ${res.statusCode})`)
        if (caller === 'anonymous' || caller === 'deactivated') {
          const ok = res.statusCode === 401 || res.json().code === 'CSRF_REJECTED'
          t.ok(ok, `${caller} is told to sign in`)
        }
      }
    }
  })
}

/** Served by other means than the matrix's HTTP requests, and where their authorization is tested. */
const ELSEWHERE: Record<string, string> = {
  'GET /ws': 'WebSocket: channel authorization in test/realtime/access.test.ts and delivery.test.ts',
}

t.test('every endpoint in the OpenAPI document has a row (or says where it is tested)', async (t) => {
  const document = world.app.swagger() as { paths: Record<string, Record<string, unknown>> }
  // Rows say "GET /users/{id} (…)" or "GET /users/:id (…)", some with a query string.
  const named = rows.map((r) => r.name.replace(/\{(\w+)\}/g, ':$1').replace(/\?\S*/, ''))
  for (const [path, operations] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/v1/')) continue
    for (const method of Object.keys(operations)) {
      const endpoint = `${method.toUpperCase()} ${path.slice('/api/v1'.length).replace(/\{(\w+)\}/g, ':$1')}`
      const covered = named.some((name) => name === endpoint || name.startsWith(`${endpoint} `)) || endpoint in ELSEWHERE
      t.ok(covered, endpoint)
    }
  }
})

t.test('the OpenAPI document declares a session exactly where the matrix refuses anonymous callers', async (t) => {
  const document = world.app.swagger() as { paths: Record<string, Record<string, { security?: unknown }>> }
  let checked = 0
  for (const row of rows) {
    const [method, path] = row.name.split(' ') as [string, string]
    const operation = document.paths[`/api/v1${path.replace(/:(\w+)/g, '{$1}').replace(/\?\S*/, '')}`]?.[method.toLowerCase()]
    if (!operation) continue
    checked++
    t.equal(operation.security !== undefined, !row.allow.includes('anonymous'), row.name)
  }
  t.ok(checked > 35, `the rows name operations of the document (${checked})`)
})
