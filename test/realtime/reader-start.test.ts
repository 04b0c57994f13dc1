import t from 'tap'
import { appendEvent } from '../../src/events/event-log.js'
import { createEventReader } from '../../src/realtime/event-reader.js'
import { realtimeRepository, type RealtimeRepository, type StoredEvent } from '../../src/realtime/repository.js'
import { build } from '../helper.js'

t.test('a reader whose database fails at start retries, then delivers, instead of dying', async (t) => {
  const app = await build(t)
  const repo = realtimeRepository(app.ports.db)
  let failures = 0
  const flaky: RealtimeRepository = {
    ...repo,
    async head() {
      if (failures++ === 0) throw new Error('connection refused')
      return repo.head()
    },
  }
  const warnings: string[] = []
  const log = Object.assign(Object.create(app.log) as typeof app.log, { warn: (_entry: unknown, msg: string) => warnings.push(msg) })
  const delivered: StoredEvent[] = []
  const reader = createEventReader({ repo: flaky, deliver: (events) => delivered.push(...events), log, pollMs: 3_600_000 })
  t.teardown(() => reader.stop())
  reader.wake() // a notification before the start is done must not turn the failure into a crash

  await reader.ready
  t.equal(failures, 2, 'the start was tried again')
  t.same(warnings, ['event reader could not start; retrying'])
  const position = await app.ports.db.transaction().execute((trx) =>
    appendEvent(trx, { type: 'test.tick', payload: {}, channels: ['queue'], audience: [{ kind: 'experts' }] }),
  )
  await reader.catchUp()
  t.same(delivered.map((e) => e.position), [position], 'and it delivers what comes after')
})
