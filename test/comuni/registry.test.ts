import t from 'tap'
import { importComuni, parsePopulationCsv, registryFromPackage, toImportRow, withPopulations } from '../../src/comuni/import.js'
import { build, countRows } from '../helper.js'
import { createOrganization, signIn } from '../factories/accounts.js'

t.test('comuni are found by name prefix, ignoring accents and case', async (t) => {
  const app = await build(t)
  await createOrganization(app, { name: 'Forlì', istatCode: '040012', province: 'FC', region: 'Emilia-Romagna', population: 117946 })
  await createOrganization(app, { name: 'Forlimpopoli', istatCode: '040013', province: 'FC', region: 'Emilia-Romagna', population: 13210 })
  await createOrganization(app, { name: 'Fossano', istatCode: '004089', province: 'CN', population: 24500 })
  const res = await app.inject({ method: 'GET', url: '/api/v1/comuni?prefix=FORLI' })
  t.equal(res.statusCode, 200)
  t.same(res.json().comuni.map((c: { name: string }) => c.name), ['Forlì', 'Forlimpopoli'])
  const exact = await app.inject({ method: 'GET', url: '/api/v1/comuni?prefix=forlì&limit=1' })
  t.same(exact.json().comuni.map((c: { name: string }) => c.name), ['Forlì'])
  const literal = await app.inject({ method: 'GET', url: '/api/v1/comuni?prefix=%25' })
  t.same(literal.json().comuni, [], 'LIKE wildcards in the prefix are matched literally')
})

t.test('a comune is read by ISTAT code; an unknown code is a 404 with its own code', async (t) => {
  const app = await build(t)
  await createOrganization(app, { name: 'Agliè', istatCode: '001001', province: 'TO', population: 2600 })
  const res = await app.inject({ method: 'GET', url: '/api/v1/comuni/001001' })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { kind: 'comune', name: 'Agliè', istatCode: '001001', province: 'TO', region: 'Piemonte', population: 2600, members: [], unione: null })
  const unknown = await app.inject({ method: 'GET', url: '/api/v1/comuni/999998' })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().code, 'UNKNOWN_ISTAT_CODE')
  const malformed = await app.inject({ method: 'GET', url: '/api/v1/comuni/12ab' })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.json().code, 'VALIDATION_FAILED')
})

t.test('an Unione has its members, their region and the sum of their populations', async (t) => {
  const app = await build(t)
  const unione = await createOrganization(app, { kind: 'unione', name: 'Unione Montana Valle Susa', region: 'Piemonte', memberPopulations: [1200, 800, 3000] })
  const dto = await app.comuni.getOrganization(unione.id)
  t.match(dto, { kind: 'unione', name: 'Unione Montana Valle Susa', istatCode: null, region: 'Piemonte', population: 5000 })
  t.equal(dto.members.length, 3)
  const member = await app.comuni.getOrganization(dto.members[0]!.id)
  t.same(member.unione, { id: unione.id, name: 'Unione Montana Valle Susa' })
  const res = await app.inject({ method: 'GET', url: `/api/v1/organizations/${unione.id}` })
  t.equal(res.json().population, 5000)
  const missing = await app.inject({ method: 'GET', url: '/api/v1/organizations/00000000-0000-4000-8000-000000000000' })
  t.equal(missing.json().code, 'ORGANIZATION_NOT_FOUND')
  const list = await app.inject({ method: 'GET', url: '/api/v1/unioni?prefix=unione mont' })
  t.equal(list.json().unioni.length, 1)
})

t.test('the organizations in a region include the Unioni of its comuni, and none are in an unknown region', async (t) => {
  const app = await build(t)
  const comune = await createOrganization(app, { region: 'Umbria' })
  const unione = await createOrganization(app, { kind: 'unione', region: 'Umbria' })
  const elsewhere = await createOrganization(app, { kind: 'unione', region: 'Marche' })
  const umbria = await app.comuni.organizationIdsInRegion('Umbria')
  t.same([...umbria].sort(), [comune.id, unione.id, ...unione.members.map((m) => m.id)].sort())
  t.notOk(umbria.includes(elsewhere.id))
  t.same(await app.comuni.organizationIdsInRegion('Atlantide'), [])
})

t.test('moderators register Unioni from ISTAT codes; bad codes store nothing', async (t) => {
  const app = await build(t)
  const moderator = await signIn(app, { role: 'moderator' })
  const a = await createOrganization(app, { population: 1000 })
  const b = await createOrganization(app, { population: 2000 })
  const far = await createOrganization(app, { region: 'Sicilia', population: 900 })
  const bad = async (payload: object, status: number, code: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/unioni', headers: moderator.headers, payload })
    t.equal(res.statusCode, status, code)
    t.equal(res.json().code, code)
  }
  await bad({ name: 'Unione X', memberIstatCodes: [a.istatCode, '999997'] }, 422, 'UNKNOWN_ISTAT_CODE')
  await bad({ name: 'Unione X', memberIstatCodes: [a.istatCode, far.istatCode] }, 422, 'UNIONE_REGIONS_DIFFER')
  await bad({ name: 'Unione X', memberIstatCodes: [a.istatCode, a.istatCode] }, 422, 'UNIONE_TOO_SMALL')
  t.equal(await countRows(app, 'organizations'), 3, 'nothing half-written')

  const ok = await app.inject({ method: 'POST', url: '/api/v1/unioni', headers: moderator.headers, payload: { name: 'Unione X', memberIstatCodes: [a.istatCode, b.istatCode] } })
  t.equal(ok.statusCode, 201)
  t.match(ok.json(), { kind: 'unione', population: 3000, region: 'Piemonte' })
  await bad({ name: 'Unione Y', memberIstatCodes: [a.istatCode, b.istatCode] }, 409, 'COMUNE_ALREADY_IN_UNIONE')

  const c = await createOrganization(app, { population: 500 })
  const renamed = await app.inject({
    method: 'PATCH',
    url: `/api/v1/unioni/${ok.json().id}`,
    headers: moderator.headers,
    payload: { name: 'Unione dei Comuni X', memberIstatCodes: [a.istatCode, b.istatCode, c.istatCode] },
  })
  t.equal(renamed.statusCode, 200)
  t.match(renamed.json(), { name: 'Unione dei Comuni X', population: 3500 })
})

t.test('the package list yields thousands of comuni with six-digit codes and known regions', async (t) => {
  const { rows, rejected } = registryFromPackage()
  t.ok(rows.length > 7800, `${rows.length} comuni`)
  t.same(rejected, [])
  t.match(rows.find((r) => r.istatCode === '040012'), { name: 'Forlì', province: 'FC', region: 'Emilia-Romagna', population: null })
  t.equal(toImportRow('NOWHERE', { name: 'x', province: 'TO', region: 'Piemonte' }), 'no six-digit ISTAT code in "NOWHERE"')
  t.equal(toImportRow('X_001001', { name: ' ', province: 'TO', region: 'Piemonte' }), 'empty name')
  t.match(toImportRow('X_001001', { name: 'X', province: 'TO', region: 'Atlantide' }), /unknown region/)
})

t.test('the population file is parsed with its rejected lines and reasons', async (t) => {
  const csv = '\uFEFFcodice;denominazione;popolazione\n040012;Forlì;117.946\n1001;Agliè;2600\nabc;Boh;10\n001002;Airasca;n/d\n040012;Forlì;1\nsolo-una-colonna\n'
  const { populations, rejected } = parsePopulationCsv(csv, 'pop.csv')
  t.same([...populations], [['040012', 117946], ['001001', 2600]])
  t.same(rejected.map((r) => [r.line, r.reason]), [
    [4, 'invalid ISTAT code "abc"'],
    [5, 'invalid population "n/d"'],
    [6, 'ISTAT code repeated in the file'],
    [7, 'expected code;name;population, got "solo-una-colonna"'],
  ])
  const merged = withPopulations([{ istatCode: '001001', name: 'Agliè', province: 'TO', region: 'Piemonte', population: null }], new Map([['001001', 2600], ['999999', 5]]))
  t.equal(merged.rows[0]?.population, 2600)
  t.match(merged.rejected, [{ istatCode: '999999', reason: /unknown ISTAT code/ }])
})

t.test('importing is idempotent: re-running updates what changed and never duplicates', async (t) => {
  const app = await build(t)
  const rows = registryFromPackage().rows.filter((r) => r.region === 'Molise')
  const progress: number[] = []
  const first = await importComuni(app.comuni, rows, (done) => progress.push(done), 50)
  t.same(first, { inserted: rows.length, updated: 0, unchanged: 0 })
  t.equal(progress.at(-1), rows.length)
  const again = await importComuni(app.comuni, rows)
  t.same(again, { inserted: 0, updated: 0, unchanged: rows.length })
  const [one] = rows
  const withPopulation = await importComuni(app.comuni, [{ ...one!, population: 1234 }])
  t.same(withPopulation, { inserted: 0, updated: 1, unchanged: 0 })
  await importComuni(app.comuni, [one!])
  t.equal((await app.comuni.getComune(one!.istatCode)).population, 1234, 'a run without populations keeps them')
  t.equal(await app.comuni.countComuni(), rows.length)
})

t.test('the API description says which registry routes need a session: only the changes', async (t) => {
  const app = await build(t)
  const paths = (await app.inject({ method: 'GET', url: '/docs/json' })).json().paths
  for (const [path, method] of [['/api/v1/comuni', 'get'], ['/api/v1/unioni', 'get'], ['/api/v1/organizations/{id}', 'get']] as const) {
    t.equal(paths[path][method].security, undefined, `${method} ${path} is public`)
  }
  t.same(paths['/api/v1/unioni'].post.security, [{ bearer: [] }, { cookie: [] }])
  t.same(paths['/api/v1/unioni/{id}'].patch.security, [{ bearer: [] }, { cookie: [] }])
  const anonymous = await app.inject({ method: 'GET', url: `/api/v1/organizations/${(await createOrganization(app)).id}` })
  t.equal(anonymous.statusCode, 200, 'an organization is public data, like the lists')
})
