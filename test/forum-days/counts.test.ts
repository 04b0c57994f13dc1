import { sql } from 'kysely'
import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, moderatorOf, submitQuestion } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { build, ManualClock } from '../helper.js'
import { forumDayQuestions } from '../../src/questions/forum-day-questions.js'
import { OPEN_STATES } from '../../src/questions/lifecycle.js'
import { QUESTION_STATES } from '../../src/questions/tables.js'

type App = Awaited<ReturnType<typeof build>>

const countsOf = async (app: App, dayId: string) => (await app.inject({ method: 'GET', url: '/api/v1/forum-days' })).json().find((d: { id: string }) => d.id === dayId).counts

/** The last counters event of the day, as live subscribers of the day's channel got it. */
async function lastCounters(app: App, dayId: string) {
  const row = await app.ports.db
    .selectFrom('events')
    .select('payload')
    .where('type', '=', 'forum_day.counters')
    .where(sql<boolean>`${`forum-day:${dayId}`} = any(channels)`)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  const { questions, answered, open } = row.payload as { questions: number; answered: number; open: number }
  return { questions, answered, open }
}

t.test("a day's counters follow every question through its lifecycle, in the list and in the live counters", async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const day = await createForumDay(app)
  const other = await createForumDay(app)
  const moderator = await moderatorOf(app)
  const [staffA, staffB] = [await signIn(app, { role: 'staff' }), await signIn(app, { role: 'staff' })]
  const expert = await signIn(app, { role: 'expert' })

  const answered = await submitQuestion(app, staffA, day.id)
  const withdrawn = await submitQuestion(app, staffA, day.id)
  const rejected = await submitQuestion(app, staffB, day.id)
  const duplicate = await submitQuestion(app, staffB, day.id)
  const waiting = await submitQuestion(app, staffB, day.id)
  await submitQuestion(app, staffA, other.id)
  t.same(await countsOf(app, day.id), { questions: 5, answered: 0, open: 5 })
  t.same(await lastCounters(app, day.id), { questions: 5, answered: 0, open: 5 }, 'the counters event of a submission counts it')

  await app.questions.claim(expert.actor, answered.id)
  t.same(await countsOf(app, day.id), { questions: 5, answered: 0, open: 5 }, 'a claimed question is still open')
  await app.questions.answer(expert.actor, answered.id, 'Sì.')
  await app.questions.close(staffA.actor, answered.id)
  await app.questions.withdraw(staffA.actor, withdrawn.id)
  await app.questions.reject(moderator.actor, rejected.id, 'Fuori tema')
  const faq = await publishedFaq(app)
  await app.questions.markDuplicate(expert.actor, duplicate.id, { faq: faq.slug })
  t.same(await countsOf(app, day.id), { questions: 4, answered: 1, open: 1 }, 'withdrawn questions no longer count; closed ones count as answered')
  t.same(await lastCounters(app, day.id), { questions: 4, answered: 1, open: 1 })
  t.same(await countsOf(app, other.id), { questions: 1, answered: 0, open: 1 }, 'the other day is untouched')

  await app.questions.requestClarification(expert.actor, (await app.questions.claim(expert.actor, waiting.id)).id, 'Quale centro?')
  t.same(await countsOf(app, day.id), { questions: 4, answered: 1, open: 1 }, 'awaiting clarification is open')
})

t.test('a wiped rehearsal counts nothing again', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const rehearsal = await createForumDay(app, { rehearsal: true })
  const staff = await signIn(app, { role: 'staff' })
  await submitQuestion(app, staff, rehearsal.id)
  await submitQuestion(app, staff, rehearsal.id)
  const moderator = await moderatorOf(app)
  const list = async () => (await app.inject({ method: 'GET', url: '/api/v1/forum-days', headers: moderator.headers })).json().find((d: { id: string }) => d.id === rehearsal.id).counts
  t.same(await list(), { questions: 2, answered: 0, open: 2 })
  await app.forumDays.wipeRehearsal(moderator.actor, rehearsal.id)
  t.same(await list(), { questions: 0, answered: 0, open: 0 })
  await submitQuestion(app, staff, rehearsal.id)
  t.same(await list(), { questions: 1, answered: 0, open: 1 }, 'counting starts again after the wipe')
})

t.test("a day's open counter counts exactly the lifecycle's open states", async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const question = await submitQuestion(app, staff, day.id)
  // The counters are kept by a trigger whose states are written in its migration: this keeps them
  // equal to lifecycle.ts, where the questions module defines what "open" means.
  for (const state of QUESTION_STATES) {
    // The table allows a claim's holder and lease on a claimed question only.
    const claim = state === 'claimed' ? { claimedBy: staff.actor.userId, leaseExpiresAt: app.ports.clock.now() } : { claimedBy: null, leaseExpiresAt: null }
    await app.ports.db.updateTable('questions').set({ state, ...claim }).where('id', '=', question.id).execute()
    const counts = (await forumDayQuestions.countsByDay(app.ports.db, [day.id])).get(day.id)
    t.same(
      counts,
      { questions: state === 'withdrawn' ? 0 : 1, answered: state === 'answered' || state === 'closed' ? 1 : 0, open: OPEN_STATES.includes(state) ? 1 : 0 },
      state,
    )
  }
})
