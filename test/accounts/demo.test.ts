import { Writable } from 'node:stream'
import t from 'tap'
import { DEMO_ACCOUNTS } from '../../src/accounts/demo.js'
import { hashPassword } from '../../src/accounts/passwords.js'
import { build } from '../helper.js'

t.test('the demo data has comuni, Unioni and one login per role, printed at start', async (t) => {
  let logged = ''
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString()
      done()
    },
  })
  const app = await build(t, { env: { DEMO_DATA: 'true', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, logStream })
  t.match(logged, /demo logins/)

  const unioni = (await app.inject({ method: 'GET', url: '/api/v1/unioni' })).json().unioni
  t.equal(unioni.length, 2)
  const garfagnana = unioni.find((u: { name: string }) => u.name.includes('Garfagnana'))
  t.match(garfagnana, { region: 'Toscana', population: 11900 })
  t.ok(garfagnana.members.every((m: { population: number }) => m.population < 6000))
  const forli = (await app.inject({ method: 'GET', url: '/api/v1/comuni?prefix=forli' })).json().comuni
  t.match(forli, [{ name: 'Forlì', istatCode: '040012', population: 117000 }])

  const logins = [...logged.matchAll(/(\S+@\S+) \/ (\S+)/g)].map((m) => ({ email: m[1], password: m[2] }))
  t.ok(logins.length >= 5)
  const roles = new Set<string>()
  for (const login of logins) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: login })
    t.equal(res.statusCode, 201, String(login.email))
    roles.add(res.json().user.role)
  }
  t.same([...roles].sort(), ['admin', 'expert', 'moderator', 'staff'])
})

t.test("the demo logins' stored hashes are made with today's Argon2 parameters", async (t) => {
  // Written into the source to spare every fresh start the hashing: when the parameters change,
  // these must be made again, or the demo would keep weaker hashes than any other account.
  const parameters = (passwordHash: string) => passwordHash.split('$').slice(1, 4).join('$')
  const current = parameters(await hashPassword('any password at all'))
  for (const account of DEMO_ACCOUNTS) t.equal(parameters(account.passwordHash), current, account.email)
})
