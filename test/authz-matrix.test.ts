import t from 'tap'
import { accountsRows } from './authz/accounts-rows.js'
import { forumRows } from './authz/forum-rows.js'
import { buildWorld, CALLERS, type MatrixRow } from './authz/world.js'

/** Every module's rows; add yours here. */
const rows: MatrixRow[] = [...accountsRows, ...forumRows]

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
