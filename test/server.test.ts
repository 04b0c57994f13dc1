import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import t from 'tap'
import { migratedClusterDir } from '../src/db/pglite-template.js'

const LAUNCHER = new URL('../scripts/start.mjs', import.meta.url).pathname

/** Starts the service as `npm start` does (compiled from the current sources), with only the given environment. */
function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [LAUNCHER], {
    // No coverage from this child: its code is compiled apart from tap's plugin, and merging its
    // byte ranges into the report zeroed counts of files the other tests cover.
    env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', _TAPJS_PROCESSINFO_COVERAGE_: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stdout}\n${stderr}`)), 60_000)
    child.stdout.on('data', () => {
      const match = /Server listening at (http:\/\/[\d.:]+)/.exec(stdout)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    void exited.then(() => clearTimeout(timer))
  })
  return { child, exited, listening, output: () => ({ stdout, stderr }) }
}

t.test('the server starts embedded, serves health and docs, and shuts down cleanly on SIGTERM', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ft-server-'))
  const server = startServer({ PORT: '0', DATA_DIR: dataDir, DEMO_DATA: 'false' })
  t.teardown(() => void server.child.kill('SIGKILL'))
  const base = await server.listening

  t.equal((await fetch(`${base}/healthz`)).status, 200)
  const ready = await fetch(`${base}/readyz`)
  t.equal(ready.status, 200)
  t.match(await ready.json(), { checks: { database: 'up' } })
  t.equal((await fetch(`${base}/docs`)).status, 200)
  // Left out of the launcher's bundle: the Swagger UI serves files from its own package folder.
  // Read whole: a large body left unread holds its connection open past the shutdown below.
  const explorer = await fetch(`${base}/docs/static/swagger-ui.css`)
  t.equal(explorer.status, 200)
  t.match(await explorer.text(), /\.swagger-ui/, 'the API explorer finds its files')
  const css = /href="(\/assets\/site\.[0-9a-f]+\.css)"/.exec(await (await fetch(`${base}/`)).text())?.[1]
  t.ok(css, 'the home page links the site stylesheet')
  t.equal((await fetch(`${base}${css}`)).status, 200, 'static files are found beside the compiled code')

  server.child.kill('SIGTERM')
  const [code] = await server.exited
  t.equal(code, 0, 'exits 0 after a graceful shutdown')
  t.match(server.output().stdout, /shutting down/)
})

t.test('with demo data, a fresh embedded start finds the demo files and the kept migrated cluster', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ft-server-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const server = startServer({ PORT: '0', DATA_DIR: dataDir, DEMO_DATA: 'true' })
  t.teardown(() => void server.child.kill('SIGKILL'))
  const base = await server.listening

  const faqs = await fetch(`${base}/api/v1/faqs?q=rinnovo%20pds`)
  t.equal(faqs.status, 200)
  t.ok(((await faqs.json()) as { total: number }).total > 0, 'the demo FAQs (a JSON file beside the sources) are loaded')
  const signIn = await fetch(`${base}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'esperta.demografici@demo.anci.example', password: 'demo-esperta-Anci-2026' }),
  })
  t.equal(signIn.status, 201, 'a demo login signs in: Argon2, a native addon, hashed and verified its password')
  // The postinstall's cluster is named after the TypeScript migrations: the compiled ones match it.
  if (existsSync(join(await migratedClusterDir(), 'PG_VERSION'))) t.notMatch(server.output().stdout, /migrations applied/, 'no migration ran')
  server.child.kill('SIGTERM')
  await server.exited
})

t.test('a bad configuration stops start-up with a message naming the variable', async (t) => {
  const server = startServer({ PORT: 'eighty', LOG_LEVEL: 'chatty' })
  const [code] = await server.exited
  t.equal(code, 1)
  const { stderr } = server.output()
  t.match(stderr, /PORT: expected a port number/)
  t.match(stderr, /LOG_LEVEL/)
})

t.test('a database that stays unreachable stops start-up after the configured wait, saying so', async (t) => {
  // Port 1 on loopback: nothing listens there, every attempt is refused.
  const server = startServer({ PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere', DATABASE_STARTUP_WAIT_SECONDS: '1' })
  const [code] = await server.exited
  t.equal(code, 1)
  const { stdout, stderr } = server.output()
  t.ok((stdout.match(/waiting for the database/g) ?? []).length >= 2, 'each attempt is logged')
  t.match(stderr, /cannot start: the database did not become reachable within 1 s \(DATABASE_STARTUP_WAIT_SECONDS\)/)
  t.notMatch(stderr, /\n\s+at /, 'no stack trace')
})
