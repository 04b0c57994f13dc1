import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import type { DatabaseConfig } from '../../src/config.js'
import { build, countRows, freshDatabase, onRealServer } from '../helper.js'

const SCRIPT = new URL('../../scripts/create-admin.ts', import.meta.url).pathname
const PASSWORD = 'Segreteria del forum 2026!'

/**
 * The first admin's database: a fresh server database, or an embedded one in a directory of its
 * own. Empty, or `migrated` (the embedded one then loads the migrated snapshot when first opened
 * with `first`, instead of migrating in the test).
 */
async function database(t: Test, { migrated = false } = {}): Promise<{ config: DatabaseConfig; first: DatabaseConfig; env: Record<string, string> }> {
  if (onRealServer) {
    const config = await freshDatabase(t, { migrated })
    return { config, first: config, env: { DATABASE_URL: (config as { url: string }).url } }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'ft-admin-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const config: DatabaseConfig = { kind: 'pglite', dataDir }
  const snapshot = migrated ? ((await freshDatabase(t)) as Extract<DatabaseConfig, { kind: 'pglite' }>) : undefined
  return { config, first: snapshot ? { ...snapshot, dataDir } : config, env: { DATA_DIR: dataDir } }
}

async function createAdmin(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
      env: { PATH: process.env.PATH ?? '', PUBLIC_ORIGIN: 'https://forum.example.it', _TAPJS_PROCESSINFO_COVERAGE_: '0', ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

const tokenIn = (stdout: string) => /#token=([\w-]+)/.exec(stdout)?.[1] ?? ''

t.test('on an empty database, the first admin gets a one-time link and can then run the forum', async (t) => {
  const { config, env } = await database(t)
  const first = await createAdmin(env, 'Segreteria@Forum.example.it')
  t.equal(first.code, 0, first.stderr)
  t.match(first.stdout, /https:\/\/forum\.example\.it\/invito#token=/)
  const again = await createAdmin(env, 'segreteria@forum.example.it')
  t.equal(again.code, 0, 'running it again before the link is used gives a new link')

  const app = await build(t, { database: config })
  const accept = (token: string) =>
    app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password: PASSWORD, displayName: 'Segreteria del forum' } })
  t.equal((await accept(tokenIn(first.stdout))).json().code, 'INVITATION_EXPIRED', 'the new link replaced the old one')
  t.equal((await accept(tokenIn(again.stdout))).statusCode, 201)
  const login = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'segreteria@forum.example.it', password: PASSWORD } })
  t.equal(login.json().user.role, 'admin')
  const users = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: `Bearer ${login.json().token}` } })
  t.equal(users.statusCode, 200, 'the admin can manage accounts')
  await app.close()

  const rerun = await createAdmin(env, 'segreteria@forum.example.it')
  t.equal(rerun.code, 0)
  t.match(rerun.stdout, /already an active admin: nothing changed/)
  const reset = await createAdmin(env, 'segreteria@forum.example.it', '--reset')
  t.equal(reset.code, 0)
  t.match(reset.stdout, /\/nuova-password#token=/)
})

t.test('it never turns another account into an admin, and refuses what is not an email', async (t) => {
  const { config, first, env } = await database(t, { migrated: true })
  const app = await build(t, { database: first })
  await app.accounts.createUserUnchecked({ email: 'esperto@anci.example.it', displayName: 'Esperto', role: 'expert', topics: ['anagrafe'] })
  const invitationsBefore = await countRows(app, 'invitations')
  await app.close()
  const refused = await createAdmin(env, 'esperto@anci.example.it')
  t.equal(refused.code, 1)
  t.match(refused.stderr, /belongs to an account with the expert role/)
  const bad = await createAdmin(env, 'non-una-email')
  t.equal(bad.code, 2)
  t.match(bad.stderr, /usage: npm run create-admin/)
  const reopened = await build(t, { database: config })
  t.equal(await countRows(reopened, 'invitations'), invitationsBefore, 'nothing was issued')
})
