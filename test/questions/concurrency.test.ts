import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, questionInput, submitQuestion } from '../factories/forum.js'
import { build, countRows, NEEDS_SERVER } from '../helper.js'

if (NEEDS_SERVER) t.comment(`skipping concurrency tests: ${NEEDS_SERVER}`)

t.test('many experts claim the same question at once: exactly one wins, the others learn who', { skip: NEEDS_SERVER }, async (t) => {
  const app = await build(t)
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const q = await submitQuestion(app, staff, day.id)
  const experts = await Promise.all(Array.from({ length: 8 }, () => signIn(app, { role: 'expert' })))
  const results = await Promise.all(experts.map((e) => app.inject({ method: 'POST', url: `/api/v1/questions/${q.id}/claim`, headers: e.headers })))
  const winners = results.filter((r) => r.statusCode === 200)
  t.equal(winners.length, 1, 'one winner')
  const winner = winners[0]!.json().claim.expert
  for (const loser of results.filter((r) => r.statusCode !== 200)) {
    t.equal(loser.statusCode, 409)
    t.match(loser.json(), { code: 'QUESTION_ALREADY_CLAIMED', holder: { id: winner.id, name: winner.name } })
  }
  const claims = await app.ports.db.selectFrom('questionTransitions').select('actorId').where('questionId', '=', q.id).where('action', '=', 'claimed').execute()
  t.equal(claims.length, 1, 'one claim recorded')
})

t.test('concurrent claim-next hands out different questions', { skip: NEEDS_SERVER }, async (t) => {
  const app = await build(t)
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  for (let i = 0; i < 5; i++) await submitQuestion(app, staff, day.id)
  const experts = await Promise.all(Array.from({ length: 5 }, () => signIn(app, { role: 'expert' })))
  const results = await Promise.all(
    experts.map((e) => app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: e.headers, payload: { forumDayId: day.id } })),
  )
  t.same(results.map((r) => r.statusCode), [200, 200, 200, 200, 200])
  t.equal(new Set(results.map((r) => r.json().id)).size, 5, 'no question handed out twice')
})

t.test('concurrent retries with one Idempotency-Key create one question and all get its response', { skip: NEEDS_SERVER }, async (t) => {
  const app = await build(t)
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const input = questionInput()
  const results = await Promise.all(
    Array.from({ length: 10 }, () =>
      app.inject({ method: 'POST', url: `/api/v1/forum-days/${day.id}/questions`, headers: { ...staff.headers, 'idempotency-key': 'retry-storm' }, payload: input }),
    ),
  )
  t.same(new Set(results.map((r) => r.statusCode)), new Set([201]))
  t.equal(new Set(results.map((r) => r.json().id)).size, 1, 'one question id for every response')
  t.equal(results.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 9)
  t.equal(await countRows(app, 'questions'), 1)
  t.equal(await countRows(app, 'question_messages'), 1)
})

t.test('concurrent submissions respect the cap on open questions', { skip: NEEDS_SERVER }, async (t) => {
  const app = await build(t)
  const day = await createForumDay(app, { maxOpenQuestionsPerOrganization: 3 })
  const staff = await signIn(app, { role: 'staff' })
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      app.inject({ method: 'POST', url: `/api/v1/forum-days/${day.id}/questions`, headers: { ...staff.headers, 'idempotency-key': `cap-${i}` }, payload: questionInput() }),
    ),
  )
  t.equal(results.filter((r) => r.statusCode === 201).length, 3)
  t.ok(results.filter((r) => r.statusCode !== 201).every((r) => r.json().code === 'OPEN_QUESTIONS_LIMIT'))
})
