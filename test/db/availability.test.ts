import { Writable } from 'node:stream'
import pino from 'pino'
import t from 'tap'
import type { FastifyBaseLogger } from 'fastify'
import { CONNECTION_BEGUN_AT, createDatabaseAvailability, quietDuringOutage } from '../../src/db/unavailable.js'

function capture(): { log: FastifyBaseLogger; messages: () => string[] } {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  const log = pino({ level: 'info' }, stream) as unknown as FastifyBaseLogger
  return { log, messages: () => lines.map((l) => String((JSON.parse(l) as { msg: unknown }).msg)) }
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })

t.test('an outage is logged once when it starts and once when it ends, however many failures meet it', async (t) => {
  const { log, messages } = capture()
  let clock = 1_000
  const availability = createDatabaseAvailability(log, () => clock)
  for (let i = 0; i < 50; i++) t.ok(availability.report(refused()))
  t.ok(availability.down)
  // A connection begun before the outage was noticed, finishing its handshake during a shutdown.
  availability.up(999)
  t.ok(availability.down, 'a connection begun before the outage proves nothing')
  clock = 2_000
  availability.up(1_500)
  availability.up(1_600)
  t.notOk(availability.down)
  t.notOk(availability.report(new Error('duplicate key')), 'a bug is not an outage')
  t.same(messages(), ['database unreachable; answering 503 until it is back', 'database reachable again'])
})

t.test('a connection begun before the database came back, failing after, is not a new outage', async (t) => {
  const { log, messages } = capture()
  let clock = 1_000
  const availability = createDatabaseAvailability(log, () => clock)
  t.ok(availability.report(refused()))
  clock = 2_000
  // Refused while the server was still starting (57P03), its answer read after a later connection succeeded.
  const starting = () => Object.assign(new Error('the database system is starting up'), { code: '57P03', [CONNECTION_BEGUN_AT]: 1_800 })
  availability.up(1_900)
  t.ok(availability.report(starting()), 'still answered with a 503')
  t.notOk(availability.down, 'the database is back')
  // A connection begun after it came back, refused: a new outage.
  clock = 3_000
  t.ok(availability.report(Object.assign(refused(), { [CONNECTION_BEGUN_AT]: 2_500 })))
  t.ok(availability.down)
  t.same(messages(), ['database unreachable; answering 503 until it is back', 'database reachable again', 'database unreachable; answering 503 until it is back'])
})

t.test("background jobs' retries during an outage are absorbed; their other lines pass through", async (t) => {
  const { log, messages } = capture()
  const availability = createDatabaseAvailability(log)
  const quiet = quietDuringOutage(log, availability).child({ job: 'reader' })
  for (let i = 0; i < 20; i++) quiet.warn({ err: refused() }, 'event log read failed; retrying')
  quiet.error({ err: new TypeError('x is undefined') }, 'search outbox drain failed')
  quiet.info('indexed')
  t.same(messages(), ['database unreachable; answering 503 until it is back', 'search outbox drain failed', 'indexed'])
})
