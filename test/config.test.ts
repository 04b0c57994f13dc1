import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('with no variables the service runs embedded on port 3000 with demo data', async (t) => {
  const config = loadConfig({})
  t.match(config, {
    http: { port: 3000, host: '127.0.0.1' },
    database: { kind: 'pglite', dataDir: './data' },
    migrateOnStart: true,
    demoData: true,
    search: {},
  })
})

t.test('DATABASE_URL switches to the PostgreSQL server and turns embedded conveniences off', async (t) => {
  const config = loadConfig({ DATABASE_URL: 'postgres://app@db:5432/forum', PORT: '8080', MEILI_HOST: 'http://meili:7700', MEILI_MASTER_KEY: 'a-master-key-of-some-length' })
  t.same(config.database, { kind: 'postgres', url: 'postgres://app@db:5432/forum', poolMax: 10 })
  t.equal(config.http.port, 8080)
  t.equal(config.migrateOnStart, false)
  t.equal(config.demoData, false)
  t.same(config.search.meilisearch, { host: 'http://meili:7700', apiKey: 'a-master-key-of-some-length' })
})

t.test('an empty variable means "use the default"', async (t) => {
  t.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).http.port, 3000)
  t.equal(loadConfig({ DATABASE_URL: '' }).database.kind, 'pglite')
})

t.test('bad values stop start-up with a message naming every variable and what it expects', async (t) => {
  const err = t.throws(() =>
    loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://root:s3cret@db/forum', LOG_LEVEL: 'loud', DEMO_DATA: 'maybe' }),
  ) as ConfigError
  t.type(err, ConfigError)
  t.match(err.message, /PORT: expected a port number \(got "eighty"\)/)
  t.match(err.message, /DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/)
  t.match(err.message, /LOG_LEVEL/)
  t.match(err.message, /DEMO_DATA: expected true or false \(got "maybe"\)/)
  t.equal(err.problems.length, 4)
  t.notMatch(err.message, /s3cret/, 'a credential in a rejected URL is not echoed')
})

t.test('out-of-range and non-numeric limits are rejected', async (t) => {
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT: expected a port between 0 and 65535/)
  t.throws(() => loadConfig({ DATABASE_POOL_MAX: '0' }), /DATABASE_POOL_MAX/)
  t.throws(() => loadConfig({ BODY_LIMIT_BYTES: 'lots' }), /BODY_LIMIT_BYTES/)
  t.throws(() => loadConfig({ MEILI_HOST: 'meili:7700' }), /MEILI_HOST: expected an http/)
})

t.test('a Meilisearch key without a host is a mistake, not a silent no-op', async (t) => {
  t.throws(() => loadConfig({ MEILI_MASTER_KEY: 'a-master-key-of-some-length' }), /MEILI_MASTER_KEY: set without MEILI_HOST/)
})
