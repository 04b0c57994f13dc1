import { Writable } from 'node:stream'
import t from 'tap'
import { build } from '../helper.js'

t.test('when the search engine fails, visitors get a 503 and the cause is logged for the operator', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>)
      done()
    },
  })
  // A real Meilisearch client pointed where nothing listens: the engine is down, not faked.
  const app = await build(t, { env: { MEILI_HOST: 'http://127.0.0.1:1', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, logStream })
  const res = await app.inject({ method: 'GET', url: '/api/v1/faqs?q=permesso' })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'SEARCH_UNAVAILABLE')
  t.ok(
    lines.some((line) => line.code === 'SEARCH_UNAVAILABLE' && typeof line.cause === 'string' && line.cause.length > 0),
    'the engine error is in the log',
  )
})
