import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { createEdition, createForumDay, moderatorOf, submitQuestion, THEMES } from '../factories/forum.js'
import { build, countRows, ManualClock } from '../helper.js'

const HOUR = 3_600_000

t.test('a moderator schedules a forum day and everyone sees its state move with the server clock', async (t) => {
  const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'))
  const app = await build(t, { clock })
  const moderator = await moderatorOf(app)
  const edition = await createEdition(app)
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/forum-days',
    headers: moderator.headers,
    payload: {
      editionId: edition.id,
      title: 'Prima giornata di forum telematico',
      themes: [THEMES[0]!.code],
      opensAt: '2026-03-02T09:00:00Z',
      closesAt: '2026-03-02T17:00:00Z',
      answerDeadline: '2026-03-06T17:00:00Z',
    },
  })
  t.equal(created.statusCode, 201)
  const day = created.json()
  t.match(day, {
    title: 'Prima giornata di forum telematico',
    state: 'upcoming',
    themes: [{ code: THEMES[0]!.code, label: THEMES[0]!.label }],
    local: { opensAt: '2026-03-02T10:00:00+01:00', closesAt: '2026-03-02T18:00:00+01:00', timeZone: 'Europe/Rome' },
    counts: { questions: 0, answered: 0, open: 0 },
  })
  t.equal(created.headers.etag, '"1"')
  t.equal(created.headers.location, `/api/v1/forum-days/${day.id}`)

  const stateAt = async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/forum-days' })
    t.equal(res.statusCode, 200)
    return res.json().find((d: { id: string }) => d.id === day.id).state
  }
  t.equal(await stateAt(), 'upcoming')
  clock.set('2026-03-02T09:00:00Z')
  t.equal(await stateAt(), 'open', 'open from the opening instant')
  clock.set('2026-03-02T16:59:59.999Z')
  t.equal(await stateAt(), 'open')
  clock.set('2026-03-02T17:00:00Z')
  t.equal(await stateAt(), 'closed', 'closed at the closing instant')

  const filtered = await app.inject({ method: 'GET', url: '/api/v1/forum-days?state=closed' })
  t.same(filtered.json().map((d: { id: string }) => d.id), [day.id])
  const event = await app.ports.db.selectFrom('events').select(['type', 'payload', 'audience']).where('type', '=', 'forum_day.changed').executeTakeFirstOrThrow()
  t.match(event, { payload: { forumDayId: day.id, change: 'created' }, audience: [{ kind: 'public' }] })
})

t.test('the list counts questions and answers per day', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  await submitQuestion(app, staff, day.id)
  const q = await submitQuestion(app, staff, day.id)
  const expert = await signIn(app, { role: 'expert' })
  await app.questions.claim(expert.actor, q.id)
  await app.questions.answer(expert.actor, q.id, 'Sì, **può**.')
  const res = await app.inject({ method: 'GET', url: `/api/v1/forum-days/${day.id}` })
  t.match(res.json().counts, { questions: 2, answered: 1, open: 1 })
})

t.test('times are shown in Europe/Rome with the offset in force, across the DST change', async (t) => {
  const app = await build(t, { clock: new ManualClock(new Date('2026-03-20T09:00:00Z')) })
  const edition = await createEdition(app)
  // Italy moves to summer time at 02:00 on Sunday 29 March 2026.
  const before = await createForumDay(app, { editionId: edition.id, opensAt: '2026-03-28T09:00:00Z', closesAt: '2026-03-28T16:00:00Z' })
  const across = await createForumDay(app, { editionId: edition.id, opensAt: '2026-03-28T20:00:00Z', closesAt: '2026-03-29T08:00:00Z' })
  t.equal(before.local.opensAt, '2026-03-28T10:00:00+01:00')
  t.equal(across.local.opensAt, '2026-03-28T21:00:00+01:00')
  t.equal(across.local.closesAt, '2026-03-29T10:00:00+02:00')

  // Local times without offset are read as Rome wall-clock time on either side of the change.
  const local = await createForumDay(app, { editionId: edition.id, opensAt: '2026-03-28T10:00', closesAt: '2026-03-29T10:00' })
  t.equal(local.opensAt, '2026-03-28T09:00:00.000Z')
  t.equal(local.closesAt, '2026-03-29T08:00:00.000Z')
  t.equal(new Date(local.closesAt).getTime() - new Date(local.opensAt).getTime(), 23 * HOUR, 'the night of the change lasts 23 hours')

  const moderator = await moderatorOf(app)
  const days = await countRows(app, 'forum_days')
  const gap = await app.inject({
    method: 'POST',
    url: '/api/v1/forum-days',
    headers: moderator.headers,
    payload: { editionId: edition.id, title: 'Nel buco', themes: [THEMES[0]!.code], opensAt: '2026-03-29T02:30', closesAt: '2026-03-29T12:00' },
  })
  t.equal(gap.statusCode, 422)
  t.match(gap.json(), { code: 'NONEXISTENT_LOCAL_TIME', field: 'opensAt' })
  t.equal(await countRows(app, 'forum_days'), days)
})

t.test('once a day has opened its opening cannot move; edits are optimistic with If-Match', async (t) => {
  const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'))
  const app = await build(t, { clock })
  const moderator = await moderatorOf(app)
  const day = await createForumDay(app, { opensAt: '2026-03-02T09:00:00Z', closesAt: '2026-03-02T17:00:00Z' })
  const patch = (payload: object, ifMatch?: string) =>
    app.inject({ method: 'PATCH', url: `/api/v1/forum-days/${day.id}`, headers: { ...moderator.headers, ...(ifMatch && { 'if-match': ifMatch }) }, payload })

  const blind = await patch({ title: 'Senza versione' })
  t.equal(blind.statusCode, 428, 'an edit names the version it was made on')
  t.match(blind.json(), { code: 'PRECONDITION_REQUIRED', currentVersion: 1 })
  const beyond = await patch({ title: 'Versione impossibile' }, '"2147483648"')
  t.equal(beyond.statusCode, 400, 'a version no integer column can hold is bad input, not a 500')
  t.equal(beyond.json().code, 'VALIDATION_FAILED')
  const moved = await patch({ opensAt: '2026-03-02T09:30:00Z' }, '"1"')
  t.equal(moved.statusCode, 200, 'an upcoming day can move')
  t.equal(moved.headers.etag, '"2"')
  const stale = await patch({ title: 'Titolo nuovo' }, '"1"')
  t.equal(stale.statusCode, 412)
  t.match(stale.json(), { code: 'STALE_VERSION', currentVersion: 2 })

  clock.set('2026-03-02T10:00:00Z')
  const tooLate = await patch({ opensAt: '2026-03-02T11:00:00Z' }, '"2"')
  t.equal(tooLate.statusCode, 409)
  t.match(tooLate.json(), { code: 'FORUM_DAY_ALREADY_OPENED', state: 'open' })
  const extended = await patch({ closesAt: '2026-03-02T18:00:00Z', title: 'Giornata prolungata' }, '"2"')
  t.equal(extended.statusCode, 200, 'an open day can still close later')
  t.equal(extended.json().local.closesAt, '2026-03-02T19:00:00+01:00')

  const inverted = await patch({ closesAt: '2026-03-02T08:00:00Z' }, '"3"')
  t.equal(inverted.statusCode, 422)
  t.equal(inverted.json().code, 'INVALID_WINDOW')
  const stored = await app.forumDays.get(moderator.actor, day.id)
  t.equal(stored.title, 'Giornata prolungata', 'refused edits changed nothing')
})

t.test('a cancelled day refuses questions and edits', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const moderator = await moderatorOf(app)
  const day = await createForumDay(app)
  const cancel = (reason: string, ifMatch?: string) =>
    app.inject({ method: 'POST', url: `/api/v1/forum-days/${day.id}/cancel`, headers: { ...moderator.headers, ...(ifMatch && { 'if-match': ifMatch }) }, payload: { reason } })
  const blind = await cancel('Sciopero')
  t.equal(blind.statusCode, 428)
  t.equal(blind.json().code, 'PRECONDITION_REQUIRED')
  const res = await cancel('Sciopero', `"${day.version}"`)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { state: 'cancelled', cancelReason: 'Sciopero' })
  const again = await cancel('Ancora', `"${res.json().version}"`)
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'FORUM_DAY_CANCELLED')
  const staff = await signIn(app, { role: 'staff' })
  const submit = await app.inject({
    method: 'POST',
    url: `/api/v1/forum-days/${day.id}/questions`,
    headers: { ...staff.headers, 'idempotency-key': 'k-cancelled' },
    payload: { title: 'Domanda su un giorno annullato', body: 'Il testo della domanda.', theme: THEMES[0]!.code },
  })
  t.equal(submit.statusCode, 409)
  t.equal(submit.json().code, 'FORUM_DAY_CANCELLED')
  t.equal(await countRows(app, 'questions'), 0)
})

t.test('bad forum day input gets its documented code and writes nothing', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const moderator = await moderatorOf(app)
  const edition = await createEdition(app)
  const base = { editionId: edition.id, title: 'Giornata', themes: [THEMES[0]!.code], opensAt: '2026-03-03T09:00:00Z', closesAt: '2026-03-03T17:00:00Z' }
  const cases: Array<[string, object, number, string]> = [
    ['closing before opening', { ...base, closesAt: '2026-03-03T08:00:00Z' }, 422, 'INVALID_WINDOW'],
    ['deadline before closing', { ...base, answerDeadline: '2026-03-03T16:00:00Z' }, 422, 'INVALID_WINDOW'],
    ['theme not of the edition', { ...base, themes: ['astronomia'] }, 422, 'UNKNOWN_THEME'],
    ['unknown edition', { ...base, editionId: '00000000-0000-4000-8000-000000000000' }, 404, 'EDITION_NOT_FOUND'],
    ['not a date', { ...base, opensAt: 'domani' }, 400, 'VALIDATION_FAILED'],
    ['missing title', { ...base, title: undefined }, 400, 'VALIDATION_FAILED'],
  ]
  for (const [name, payload, status, code] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/forum-days', headers: moderator.headers, payload })
    t.equal(res.statusCode, status, name)
    t.equal(res.json().code, code, name)
  }
  t.equal(await countRows(app, 'forum_days'), 0)
  t.equal(await countRows(app, 'events'), 0)
})

t.test('eligibility follows the edition rule and each decision is stored with its reason', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const moderator = await moderatorOf(app)
  const { createOrganization } = await import('../factories/accounts.js')
  const piccolo = await createOrganization(app, { region: 'Puglia', population: 2000 })
  const grande = await createOrganization(app, { region: 'Puglia', population: 60000 })
  const lontano = await createOrganization(app, { region: 'Lombardia', population: 2000 })
  const unione = await createOrganization(app, { kind: 'unione', region: 'Toscana', memberPopulations: [4000, 4500] })
  const edition = await createEdition(app)
  const verdict = async (organizationId: string, editionId = edition.id) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/editions/${editionId}/eligibility/${organizationId}`, headers: moderator.headers })
    t.equal(res.statusCode, 200)
    return res.json()
  }
  t.match(await verdict(piccolo.id), { eligible: true, reason: 'ELIGIBLE_BY_RULE', registryDate: '2026-01-01' })
  t.match(await verdict(grande.id), { eligible: false, reason: 'NOT_ELIGIBLE_POPULATION' })
  t.match(await verdict(lontano.id), { eligible: false, reason: 'NOT_ELIGIBLE_REGION' })
  t.match(await verdict(unione.id), { eligible: true, reason: 'ELIGIBLE_BY_RULE' }, 'an Unione of 8,500 inhabitants qualifies: the range is for comuni')
  t.equal(await countRows(app, 'eligibility_decisions'), 4)

  // CO-AliZIONE: comuni of 5,000-150,000, enrolled only.
  const coalizione = await createEdition(app, {
    programme: 'CO-AliZIONE',
    eligibility: { kinds: ['comune'], populationMin: 5000, populationMax: 150000, regions: null, enrollment: 'required' },
  })
  t.match(await verdict(grande.id, coalizione.id), { eligible: false, reason: 'NOT_ENROLLED' })
  const enrolled = await app.inject({ method: 'PUT', url: `/api/v1/editions/${coalizione.id}/enrollments/${grande.id}`, headers: moderator.headers })
  t.equal(enrolled.statusCode, 200)
  t.same(enrolled.json().enrolledOrganizationIds, [grande.id])
  t.match(await verdict(grande.id, coalizione.id), { eligible: true, reason: 'ELIGIBLE_BY_RULE' }, 'enrolling remakes the decision')
  await app.inject({ method: 'PUT', url: `/api/v1/editions/${coalizione.id}/enrollments/${unione.id}`, headers: moderator.headers })
  t.match(await verdict(unione.id, coalizione.id), { eligible: false, reason: 'NOT_ELIGIBLE_KIND' })

  const staff = await signIn(app, { role: 'staff', organizationId: piccolo.id })
  const own = await app.inject({ method: 'GET', url: `/api/v1/editions/${edition.id}/eligibility/${piccolo.id}`, headers: staff.headers })
  t.equal(own.statusCode, 200, 'staff see their own organization')
  const other = await app.inject({ method: 'GET', url: `/api/v1/editions/${edition.id}/eligibility/${grande.id}`, headers: staff.headers })
  t.equal(other.statusCode, 403)
  t.equal(other.json().code, 'NOT_YOUR_ORGANIZATION')
})

t.test('a rehearsal is wiped afterwards without touching real data', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const moderator = await moderatorOf(app)
  const edition = await createEdition(app)
  const real = await createForumDay(app, { editionId: edition.id })
  const rehearsal = await createForumDay(app, { editionId: edition.id, rehearsal: true, title: 'Prova generale' })
  const staff = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert' })
  const kept = await submitQuestion(app, staff, real.id)
  const practice = await submitQuestion(app, staff, rehearsal.id)
  await app.questions.claim(expert.actor, practice.id)
  await app.questions.saveDraft(expert.actor, practice.id, 'bozza', 0)
  await app.questions.answer(expert.actor, practice.id, 'Risposta di prova')

  const anonymous = await app.inject({ method: 'GET', url: '/api/v1/forum-days' })
  t.same(anonymous.json().map((d: { id: string }) => d.id), [real.id], 'the public never sees rehearsals')
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/forum-days/${rehearsal.id}` })).statusCode, 404)

  const notRehearsal = await app.inject({ method: 'POST', url: `/api/v1/forum-days/${real.id}/rehearsal/wipe`, headers: moderator.headers })
  t.equal(notRehearsal.statusCode, 409)
  t.equal(notRehearsal.json().code, 'NOT_A_REHEARSAL')

  const wiped = await app.inject({ method: 'POST', url: `/api/v1/forum-days/${rehearsal.id}/rehearsal/wipe`, headers: moderator.headers })
  t.equal(wiped.statusCode, 200)
  t.match(wiped.json(), { forumDayId: rehearsal.id, questionsDeleted: 1 })
  t.ok(wiped.json().eventsDeleted >= 3)
  t.equal(await countRows(app, 'questions'), 1)
  t.ok(await app.ports.db.selectFrom('questions').select('id').where('id', '=', kept.id).executeTakeFirst(), 'the real question stays')
  t.equal(await countRows(app, 'question_messages'), 1)
  t.equal(await countRows(app, 'idempotency_keys'), 1)
  const leftovers = await app.ports.db.selectFrom('events').select('type').where('type', 'like', 'question.%').execute()
  t.equal(leftovers.length, 1, "only the real question's event remains")
})

t.test('openings and closings are announced once, including those missed while down', async (t) => {
  const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'))
  const app = await build(t, { clock })
  const day = await createForumDay(app, { opensAt: '2026-03-02T09:00:00Z', closesAt: '2026-03-02T17:00:00Z' })
  t.same(await app.forumDays.announceDueTransitions(), [])
  t.equal((await app.forumDays.nextTransitionAfter(clock.now()))?.toISOString(), '2026-03-02T09:00:00.000Z')
  clock.set('2026-03-02T09:00:01Z')
  t.equal((await app.forumDays.nextTransitionAfter(clock.now()))?.toISOString(), '2026-03-02T17:00:00.000Z', 'once open, its closing is next')
  t.same(await app.forumDays.announceDueTransitions(), [{ forumDayId: day.id, kind: 'opened' }])
  t.same(await app.forumDays.announceDueTransitions(), [], 'never twice')
  clock.set('2026-03-03T00:00:00Z')
  const missed = await createForumDay(app, { opensAt: '2026-03-02T10:00:00Z', closesAt: '2026-03-02T12:00:00Z' })
  const announced = await app.forumDays.announceDueTransitions()
  t.same(
    announced.filter((a) => a.forumDayId === missed.id),
    [
      { forumDayId: missed.id, kind: 'opened' },
      { forumDayId: missed.id, kind: 'closed' },
    ],
  )
  t.ok(announced.some((a) => a.forumDayId === day.id && a.kind === 'closed'))
  const types = await app.ports.db.selectFrom('events').select('type').where('type', 'in', ['forum_day.opened', 'forum_day.closed']).execute()
  t.equal(types.length, 4)
  t.equal(await app.forumDays.nextTransitionAfter(clock.now()), undefined, 'nothing left to announce')
})

t.test('editing an edition: themes in use stay, a new rule remakes the decisions', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const moderator = await moderatorOf(app)
  const { createOrganization } = await import('../factories/accounts.js')
  const comune = await createOrganization(app, { region: 'Puglia', population: 4000 })
  const edition = await createEdition(app)
  await createForumDay(app, { editionId: edition.id, themes: [THEMES[1]!.code] })
  t.match(await app.forumDays.eligibility(moderator.actor, edition.id, comune.id), { eligible: true })

  const patch = (payload: object, ifMatch?: string) =>
    app.inject({ method: 'PATCH', url: `/api/v1/editions/${edition.id}`, headers: { ...moderator.headers, ...(ifMatch && { 'if-match': ifMatch }) }, payload })
  const dropUsed = await patch({ themes: [THEMES[0]] }, '"1"')
  t.equal(dropUsed.statusCode, 409)
  t.match(dropUsed.json(), { code: 'THEME_IN_USE', used: [THEMES[1]!.code] })
  const dupe = await patch({ themes: [THEMES[1], THEMES[1]] }, '"1"')
  t.equal(dupe.statusCode, 422)
  t.equal(dupe.json().code, 'DUPLICATE_THEME')
  const stale = await patch({ name: 'Nome nuovo' }, '"7"')
  t.equal(stale.statusCode, 412)

  const stricter = await patch({ eligibility: { ...edition.eligibility, populationMax: 3000 } }, '"1"')
  t.equal(stricter.statusCode, 200)
  t.equal(stricter.headers.etag, '"2"')
  t.equal(await countRows(app, 'eligibility_decisions'), 0, 'old decisions are forgotten')
  t.match(await app.forumDays.eligibility(moderator.actor, edition.id, comune.id), { eligible: false, reason: 'NOT_ELIGIBLE_POPULATION' })

  const bad = await app.inject({
    method: 'POST',
    url: '/api/v1/editions',
    headers: moderator.headers,
    payload: { programme: 'CO-AliZIONE', name: 'CO-AliZIONE 2017', themes: THEMES, eligibility: { populationMin: 150000, populationMax: 5000 }, registryDate: '2017-01-01' },
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'body.eligibility.populationMin' }] })
  t.equal(await countRows(app, 'programme_editions'), 1)
})
