import t from 'tap'
import { createOrganization, signIn } from '../factories/accounts.js'
import { createForumDay, questionInput, THEMES } from '../factories/forum.js'
import { build, countRows, ManualClock } from '../helper.js'

const post = (app: Awaited<ReturnType<typeof build>>, dayId: string, headers: Record<string, string>, payload: object) =>
  app.inject({ method: 'POST', url: `/api/v1/forum-days/${dayId}/questions`, headers, payload })

const written = async (app: Awaited<ReturnType<typeof build>>) => ({
  questions: await countRows(app, 'questions'),
  messages: await countRows(app, 'question_messages'),
  keys: await countRows(app, 'idempotency_keys'),
  events: await countRows(app, 'events'),
})

t.test('staff of an eligible comune ask while the day is open, and the experts are told', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock })
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const input = questionInput({ title: 'Residenza del richiedente asilo' })
  const res = await post(app, day.id, { ...staff.headers, 'idempotency-key': 'k1' }, input)
  t.equal(res.statusCode, 201)
  const q = res.json()
  t.match(q, { forumDayId: day.id, organizationId: staff.organizationId, state: 'submitted', title: input.title, asker: { id: staff.userId }, version: 1 })
  t.equal(res.headers.location, `/api/v1/questions/${q.id}`)
  const events = await app.ports.db.selectFrom('events').select(['type', 'payload', 'audience', 'channels']).orderBy('position').execute()
  const submitted = events.find((e) => e.type === 'question.submitted')
  t.match(submitted, {
    payload: { questionId: q.id, forumDayId: day.id, organizationId: staff.organizationId, state: 'submitted', title: input.title },
    channels: ['queue', `organization:${staff.organizationId}`, `question:${q.id}`],
  })
  t.notOk('body' in (submitted?.payload ?? {}), 'the event never carries the question body')
  t.same(
    submitted?.audience.map((a) => a.kind),
    ['experts', 'organization', 'question'],
  )
  t.same(
    events.find((e) => e.type === 'forum_day.counters'),
    {
      type: 'forum_day.counters',
      payload: { forumDayId: day.id, questions: 1, answered: 0, open: 1, at: clock.now().toISOString() },
      audience: [{ kind: 'public' }],
      channels: [`forum-day:${day.id}`],
    },
    'the live counters count the question, as numbers',
  )
  t.same(
    events.map((e) => e.type).filter((type) => type === 'question.submitted' || type === 'forum_day.counters'),
    ['question.submitted', 'forum_day.counters'],
    'the question comes before the counters that count it',
  )
})

t.test('outside the window the question is refused with the window, checked against the server clock', async (t) => {
  // A short window: sessions expire after two idle hours.
  const clock = new ManualClock(new Date('2026-03-02T07:30:00Z'))
  const app = await build(t, { clock })
  const day = await createForumDay(app, { opensAt: '2026-03-02T08:00:00Z', closesAt: '2026-03-02T09:00:00Z' })
  const staff = await signIn(app, { role: 'staff' })
  const before = await written(app)

  const early = await post(app, day.id, { ...staff.headers, 'idempotency-key': 'early' }, questionInput())
  t.equal(early.statusCode, 409)
  t.match(early.json(), {
    code: 'FORUM_DAY_NOT_OPEN',
    state: 'upcoming',
    window: { opensAt: '2026-03-02T08:00:00.000Z', closesAt: '2026-03-02T09:00:00.000Z', opensAtLocal: '2026-03-02T09:00:00+01:00' },
  })
  clock.set('2026-03-02T09:00:00Z')
  const late = await post(app, day.id, { ...staff.headers, 'idempotency-key': 'late' }, questionInput())
  t.equal(late.statusCode, 409)
  t.match(late.json(), { code: 'FORUM_DAY_CLOSED', state: 'closed', window: { closesAtLocal: '2026-03-02T10:00:00+01:00' } })
  t.same(await written(app), before, 'nothing written, not even the idempotency key')

  clock.set('2026-03-02T08:59:59Z')
  const inTime = await post(app, day.id, { ...staff.headers, 'idempotency-key': 'late' }, questionInput())
  t.equal(inTime.statusCode, 201, 'a retry with the same key is judged afresh')
})

t.test('the same Idempotency-Key replays the first response; another body with it is refused', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock })
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const headers = { ...staff.headers, 'idempotency-key': '"d1f2e3"' }
  const input = questionInput()
  const first = await post(app, day.id, headers, input)
  t.equal(first.statusCode, 201)
  clock.advance(60_000)
  const retry = await post(app, day.id, headers, input)
  t.equal(retry.statusCode, 201)
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.same(retry.json(), first.json(), 'same id, state and body')
  t.equal(await countRows(app, 'questions'), 1)

  const before = await written(app)
  const reused = await post(app, day.id, headers, { ...input, title: 'Un altro titolo per la domanda' })
  t.equal(reused.statusCode, 422)
  t.equal(reused.json().code, 'IDEMPOTENCY_KEY_REUSED')
  const missing = await post(app, day.id, staff.headers, input)
  t.equal(missing.statusCode, 400)
  t.equal(missing.json().code, 'IDEMPOTENCY_KEY_MISSING')
  const bad = await post(app, day.id, { ...staff.headers, 'idempotency-key': 'spazi non ammessi' }, input)
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().code, 'IDEMPOTENCY_KEY_INVALID')
  t.same(await written(app), before)

  // Keys belong to their user: a colleague's identical key is a new question.
  const colleague = await signIn(app, { role: 'staff', organizationId: staff.organizationId! })
  const other = await post(app, day.id, { ...colleague.headers, 'idempotency-key': '"d1f2e3"' }, input)
  t.equal(other.statusCode, 201)
  t.not(other.json().id, first.json().id)

  t.equal(await app.questions.purgeIdempotencyKeys(), 0, 'kept for a day')
  clock.advance(25 * 3_600_000)
  t.equal(await app.questions.purgeIdempotencyKeys(), 2)
})

t.test('an organization that is not eligible gets 403 with the reason as its code', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const day = await createForumDay(app)
  const cases: Array<[string, Parameters<typeof createOrganization>[1], string]> = [
    ['too many inhabitants', { region: 'Puglia', population: 12000 }, 'NOT_ELIGIBLE_POPULATION'],
    ['region not covered', { region: 'Lombardia', population: 1200 }, 'NOT_ELIGIBLE_REGION'],
    ['population unknown', { region: 'Sicilia', population: null }, 'POPULATION_UNKNOWN'],
  ]
  for (const [name, org, code] of cases) {
    const organization = await createOrganization(app, org)
    const staff = await signIn(app, { role: 'staff', organizationId: organization.id })
    const res = await post(app, day.id, { ...staff.headers, 'idempotency-key': `k-${code}` }, questionInput())
    t.equal(res.statusCode, 403, name)
    t.match(res.json(), { code, reason: code, editionId: day.editionId, registryDate: '2026-01-01' }, name)
  }
  t.equal(await countRows(app, 'questions'), 0)
  t.equal(await countRows(app, 'idempotency_keys'), 0)
})

t.test('bad submissions get their documented code and write nothing', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const day = await createForumDay(app, { themes: [THEMES[0]!.code] })
  const staff = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert' })
  const before = await written(app)
  const cases: Array<[string, string, Record<string, string>, object, number, string]> = [
    ['theme out of scope', day.id, { ...staff.headers, 'idempotency-key': 'a' }, questionInput({ theme: THEMES[1]!.code }), 422, 'UNKNOWN_THEME'],
    ['title too short', day.id, { ...staff.headers, 'idempotency-key': 'b' }, { ...questionInput(), title: 'ab' }, 400, 'VALIDATION_FAILED'],
    ['no body', day.id, { ...staff.headers, 'idempotency-key': 'c' }, { title: 'Titolo valido', theme: THEMES[0]!.code }, 400, 'VALIDATION_FAILED'],
    ['unknown day', '00000000-0000-4000-8000-000000000000', { ...staff.headers, 'idempotency-key': 'd' }, questionInput(), 404, 'FORUM_DAY_NOT_FOUND'],
    ['not a uuid', 'oggi', { ...staff.headers, 'idempotency-key': 'e' }, questionInput(), 400, 'VALIDATION_FAILED'],
    ['expert asking', day.id, { ...expert.headers, 'idempotency-key': 'f' }, questionInput({ theme: THEMES[0]!.code }), 403, 'STAFF_ONLY'],
    ['anonymous', day.id, { 'idempotency-key': 'g' }, questionInput({ theme: THEMES[0]!.code }), 401, 'UNAUTHENTICATED'],
  ]
  for (const [name, dayId, headers, payload, status, code] of cases) {
    const res = await post(app, dayId, headers, payload)
    t.equal(res.statusCode, status, name)
    t.equal(res.json().code, code, name)
  }
  t.same(await written(app), before)
})

t.test('a cap on open questions per organization is enforced', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const day = await createForumDay(app, { maxOpenQuestionsPerOrganization: 2 })
  const staff = await signIn(app, { role: 'staff' })
  t.equal((await post(app, day.id, { ...staff.headers, 'idempotency-key': '1' }, questionInput())).statusCode, 201)
  const second = await post(app, day.id, { ...staff.headers, 'idempotency-key': '2' }, questionInput())
  t.equal(second.statusCode, 201)
  const third = await post(app, day.id, { ...staff.headers, 'idempotency-key': '3' }, questionInput())
  t.equal(third.statusCode, 409)
  t.match(third.json(), { code: 'OPEN_QUESTIONS_LIMIT', limit: 2, open: 2 })
  await app.questions.withdraw(staff.actor, second.json().id)
  t.equal((await post(app, day.id, { ...staff.headers, 'idempotency-key': '3' }, questionInput())).statusCode, 201, 'a withdrawn question frees a place')
  const otherOrg = await signIn(app, { role: 'staff' })
  t.equal((await post(app, day.id, { ...otherOrg.headers, 'idempotency-key': '1' }, questionInput())).statusCode, 201, 'the cap is per organization')
})
