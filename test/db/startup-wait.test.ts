import { Writable } from 'node:stream'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { freshDatabase, NEEDS_SERVER, testConfig } from '../helper.js'
import { startTcpProxy } from './tcp-proxy.js'

function logLines(): { stream: Writable; messages: () => string[] } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    },
  })
  const messages = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => String((JSON.parse(line) as { msg?: unknown }).msg))
  return { stream, messages }
}

async function unreachableDatabase(t: Test) {
  const database = await freshDatabase(t)
  if (database.kind !== 'postgres') throw new Error('unreachable: skipped without a server')
  const target = new URL(database.url)
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
  t.teardown(() => proxy.close())
  await proxy.cut()
  const viaProxy = new URL(database.url)
  viaProxy.port = String(proxy.port)
  return { proxy, database: { ...database, url: viaProxy.toString() } }
}

t.test('started before its database is reachable, the app waits, says so, and starts once it is', { skip: NEEDS_SERVER }, async (t) => {
  const { proxy, database } = await unreachableDatabase(t)
  const { stream, messages } = logLines()
  const config = { ...testConfig({ LOG_LEVEL: 'info', DATABASE_STARTUP_WAIT_SECONDS: '120' }), database, migrateOnStart: true }
  const starting = buildApp(config, { logStream: stream })

  // Three attempts refused (with growing delays), then the database comes up.
  while (messages().filter((m) => m === 'waiting for the database').length < 3) await new Promise((resolve) => setTimeout(resolve, 50))
  await proxy.restore()
  const app = await starting
  t.teardown(() => app.close())

  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'ready once the database is')
  t.ok(messages().includes('database reachable; starting'))
})

t.test('past DATABASE_STARTUP_WAIT_SECONDS start-up gives up, naming the setting', { skip: NEEDS_SERVER }, async (t) => {
  const { database } = await unreachableDatabase(t)
  const config = { ...testConfig({ DATABASE_STARTUP_WAIT_SECONDS: '1' }), database, migrateOnStart: true }
  await t.rejects(buildApp(config), { name: 'DatabaseWaitError', message: /DATABASE_STARTUP_WAIT_SECONDS/ })
})
