import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, submitQuestion, THEMES } from '../factories/forum.js'
import { build, ManualClock } from '../helper.js'
import { findQuestion } from '../../src/questions/repository.js'
import { questionEvent } from '../../src/questions/question-events.js'

const MINUTE = 60_000

t.test('claim-next hands out the oldest waiting question of the day and theme, recorded and announced like a claim', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock })
  const day = await createForumDay(app)
  const otherDay = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert', displayName: 'Esperta Verdi' })
  await submitQuestion(app, staff, otherDay.id)
  clock.advance(MINUTE)
  const oldestOtherTheme = await submitQuestion(app, staff, day.id, { theme: THEMES[0]!.code })
  clock.advance(MINUTE)
  const oldest = await submitQuestion(app, staff, day.id)
  clock.advance(MINUTE)
  const newer = await submitQuestion(app, staff, day.id)

  const claim = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: expert.headers, payload })
  const first = await claim({ forumDayId: day.id, theme: THEMES[1]!.code })
  t.equal(first.statusCode, 200)
  t.match(first.json(), {
    id: oldest.id,
    state: 'claimed',
    version: 2,
    claim: { expert: { id: expert.userId, name: 'Esperta Verdi' }, claimedAt: clock.now().toISOString(), leaseExpiresAt: new Date(clock.now().getTime() + 30 * MINUTE).toISOString() },
  })
  const detail = await app.inject({ method: 'GET', url: `/api/v1/questions/${oldest.id}`, headers: expert.headers })
  t.match(detail.json().transitions, [{ action: 'submitted' }, { action: 'claimed', from: 'submitted', to: 'claimed', actorId: expert.userId, actorRole: 'expert' }])
  const event = await app.ports.db.selectFrom('events').select(['payload', 'channels']).where('type', '=', 'question.claimed').executeTakeFirstOrThrow()
  t.match(event, { payload: { questionId: oldest.id, state: 'claimed', claimedBy: { id: expert.userId } }, channels: ['queue', `organization:${staff.organizationId}`, `question:${oldest.id}`] })

  t.equal((await claim({ forumDayId: day.id })).json().id, oldestOtherTheme.id, 'without a theme: the oldest of the day')
  t.equal((await claim({ forumDayId: day.id })).json().id, newer.id)
  const empty = await claim({ forumDayId: day.id })
  t.equal(empty.statusCode, 404)
  t.equal(empty.json().code, 'QUEUE_EMPTY')
})

t.test('claim-next takes over an expired claim when no question waits', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock })
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const [expert, colleague] = [await signIn(app, { role: 'expert' }), await signIn(app, { role: 'expert' })]
  const q = await submitQuestion(app, staff, day.id)
  await app.questions.claim(expert.actor, q.id)
  clock.advance(31 * MINUTE)
  const next = await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: colleague.headers, payload: { forumDayId: day.id } })
  t.equal(next.statusCode, 200)
  t.match(next.json(), { id: q.id, claim: { expert: { id: colleague.userId } } })
  const detail = await app.inject({ method: 'GET', url: `/api/v1/questions/${q.id}`, headers: colleague.headers })
  t.match(
    detail.json().transitions.map((tr: { action: string }) => tr.action),
    ['submitted', 'claimed', 'lease_expired', 'claimed'],
  )
})

t.test('claim-next announces its claim exactly as any other claim of that question would', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock })
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  // Quotes, a backslash and accents: the event is built in SQL here, in JavaScript elsewhere.
  const asked = await submitQuestion(app, staff, day.id, { title: 'Il "bonus" sull\'IMU \\ è dovuto? 🏠' })
  const expert = await signIn(app, { role: 'expert', displayName: 'Dott.ssa "Anna" D\'Amico' })
  clock.advance(MINUTE)

  const claimed = await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: expert.headers, payload: { forumDayId: day.id } })
  t.equal(claimed.statusCode, 200)
  const stored = await app.ports.db
    .selectFrom('events')
    .select(['type', 'payload', 'channels', 'audience'])
    .where('type', '=', 'question.claimed')
    .executeTakeFirstOrThrow()
  const row = await findQuestion(app.ports.db, asked.id)
  t.same(stored, questionEvent('question.claimed', row!, clock.now()))
})
