import t, { type Test } from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, moderatorOf, submitQuestion } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { build, countRows, ManualClock } from '../helper.js'

type App = Awaited<ReturnType<typeof build>>
const MINUTE = 60_000

const act = (app: App, headers: Record<string, string>, path: string, payload?: object, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: `/api/v1/questions/${path}`, headers: { ...headers, ...extra }, ...(payload && { payload }) })

async function setup(t: Test, clock = new ManualClock()) {
  const app = await build(t, { clock })
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert', displayName: 'Esperta Rossi' })
  const colleague = await signIn(app, { role: 'expert', displayName: 'Esperto Bianchi' })
  const q = await submitQuestion(app, staff, day.id)
  return { app, clock, day, staff, expert, colleague, q }
}

t.test('submitted, claimed, answered, closed: every step recorded with actor and time', async (t) => {
  const { app, staff, expert, q } = await setup(t)
  const claim = await act(app, expert.headers, `${q.id}/claim`)
  t.equal(claim.statusCode, 200)
  t.match(claim.json(), { state: 'claimed', claim: { expert: { id: expert.userId, name: 'Esperta Rossi' } } })
  const answer = await act(app, expert.headers, `${q.id}/answer`, { markdown: 'Sì: **art. 5** del D.Lgs. 142/2015.\n\n<script>alert(1)</script>' })
  t.equal(answer.statusCode, 200)
  const answered = answer.json()
  t.equal(answered.state, 'answered')
  t.equal(answered.answer.markdown, 'Sì: **art. 5** del D.Lgs. 142/2015.\n\n<script>alert(1)</script>', 'stored as written')
  t.notMatch(answered.answer.html, /<script/, 'no script survives rendering')
  t.equal(answered.answer.late, false)
  t.equal(answered.claim, null)

  const close = await act(app, staff.headers, `${q.id}/close`)
  t.equal(close.statusCode, 200)
  t.equal(close.json().state, 'closed')

  const detail = await app.inject({ method: 'GET', url: `/api/v1/questions/${q.id}`, headers: staff.headers })
  t.equal(detail.statusCode, 200)
  t.equal(detail.headers.etag, `"${detail.json().version}"`)
  t.same(
    detail.json().transitions.map((tr: { action: string; from: string | null; to: string }) => [tr.action, tr.from, tr.to]),
    [
      ['submitted', null, 'submitted'],
      ['claimed', 'submitted', 'claimed'],
      ['answered', 'claimed', 'answered'],
      ['closed', 'answered', 'closed'],
    ],
  )
  t.same(detail.json().messages.map((m: { kind: string }) => m.kind), ['question', 'answer'])
  t.equal(detail.json().transitions[1].actorId, null, "staff do not see which expert did what")
  const types = (await app.ports.db.selectFrom('events').select('type').where('type', 'like', 'question.%').orderBy('position').execute()).map((e) => e.type)
  t.same(types, ['question.submitted', 'question.claimed', 'question.answered', 'question.closed'])
})

t.test('a second claim is 409 naming the holder; only the holder answers', async (t) => {
  const { app, expert, colleague, q } = await setup(t)
  await act(app, expert.headers, `${q.id}/claim`)
  const second = await act(app, colleague.headers, `${q.id}/claim`)
  t.equal(second.statusCode, 409)
  t.match(second.json(), { code: 'QUESTION_ALREADY_CLAIMED', state: 'claimed', holder: { id: expert.userId, name: 'Esperta Rossi' } })
  const answer = await act(app, colleague.headers, `${q.id}/answer`, { markdown: 'Risposta abusiva' })
  t.equal(answer.statusCode, 403)
  t.match(answer.json(), { code: 'NOT_CLAIM_HOLDER', holder: { id: expert.userId } })
  t.equal(await countRows(app, 'question_messages'), 1)
  const again = await act(app, expert.headers, `${q.id}/claim`)
  t.equal(again.statusCode, 200, 'claiming what you hold renews it')
})

t.test('an expired lease returns the question to the queue and keeps the draft', async (t) => {
  const { app, clock, expert, colleague, q } = await setup(t)
  await act(app, expert.headers, `${q.id}/claim`)
  const blind = await app.inject({ method: 'PUT', url: `/api/v1/questions/${q.id}/draft`, headers: expert.headers, payload: { markdown: 'Prima bozza' } })
  t.equal(blind.statusCode, 428, 'a draft save names the version it replaces ("0" for none)')
  t.equal(blind.json().code, 'PRECONDITION_REQUIRED')
  const draft = await app.inject({ method: 'PUT', url: `/api/v1/questions/${q.id}/draft`, headers: { ...expert.headers, 'if-match': '"0"' }, payload: { markdown: 'Prima bozza' } })
  t.equal(draft.statusCode, 200)
  t.equal(draft.headers.etag, '"1"')
  const watching = await app.inject({ method: 'GET', url: '/api/v1/queue?includeClaimed=true', headers: colleague.headers })
  t.match(watching.json()[0], { id: q.id, activity: { holder: { name: 'Esperta Rossi' }, drafting: [{ name: 'Esperta Rossi' }] } }, 'a colleague sees who is working')

  clock.advance(20 * MINUTE)
  const renewed = await act(app, expert.headers, `${q.id}/renew`)
  t.equal(renewed.statusCode, 200)
  t.equal(renewed.json().claim.leaseExpiresAt, new Date(clock.now().getTime() + 30 * MINUTE).toISOString())
  clock.advance(29 * MINUTE)
  const queueBefore = await app.inject({ method: 'GET', url: '/api/v1/queue', headers: colleague.headers })
  t.same(queueBefore.json().map((i: { id: string }) => i.id), [], 'still held')

  clock.advance(2 * MINUTE)
  const queue = await app.inject({ method: 'GET', url: '/api/v1/queue', headers: colleague.headers })
  t.match(queue.json(), [{ id: q.id, state: 'submitted', claim: null }], 'back in the queue once the lease ran out')
  const event = await app.ports.db.selectFrom('events').select('payload').where('type', '=', 'question.lease_expired').executeTakeFirstOrThrow()
  t.match(event.payload, { questionId: q.id, state: 'submitted', previousHolder: { id: expert.userId } })

  const kept = await app.inject({ method: 'GET', url: `/api/v1/questions/${q.id}/draft`, headers: expert.headers })
  t.equal(kept.statusCode, 200)
  t.equal(kept.json().markdown, 'Prima bozza', 'the draft survives the expiry')
  const stale = await app.inject({ method: 'PUT', url: `/api/v1/questions/${q.id}/draft`, headers: { ...expert.headers, 'if-match': '"0"' }, payload: { markdown: 'x' } })
  t.equal(stale.statusCode, 412, 'If-Match "0" means "create": over an existing draft it is stale, never an overwrite')
  t.match(stale.json(), { code: 'STALE_VERSION', currentVersion: 1, draft: { markdown: 'Prima bozza' } })
  const next = await app.inject({ method: 'PUT', url: `/api/v1/questions/${q.id}/draft`, headers: { ...expert.headers, 'if-match': '"1"' }, payload: { markdown: 'y' } })
  t.equal(next.statusCode, 200)
  t.equal(next.headers.etag, '"2"')

  const claimed = await act(app, colleague.headers, `${q.id}/claim`)
  t.equal(claimed.statusCode, 200, 'a colleague can take it over')
  t.equal(await app.questions.sweepExpiredLeases(), 0)
})

t.test('the sweeper expires leases for a scheduler', async (t) => {
  const { app, clock, expert, q } = await setup(t)
  await app.questions.claim(expert.actor, q.id)
  clock.advance(31 * MINUTE)
  t.equal(await app.questions.sweepExpiredLeases(), 1)
  t.equal(await app.questions.sweepExpiredLeases(), 0)
  const row = await app.ports.db.selectFrom('questions').select(['state', 'claimedBy']).where('id', '=', q.id).executeTakeFirstOrThrow()
  t.same(row, { state: 'submitted', claimedBy: null })
})

t.test('release and moderator reassignment', async (t) => {
  const { app, expert, colleague, q } = await setup(t)
  const moderator = await moderatorOf(app)
  await act(app, expert.headers, `${q.id}/claim`)
  const notYours = await act(app, colleague.headers, `${q.id}/release`)
  t.equal(notYours.statusCode, 403)
  t.equal(notYours.json().code, 'NOT_CLAIM_HOLDER')
  const released = await act(app, expert.headers, `${q.id}/release`)
  t.match(released.json(), { state: 'submitted', claim: null })
  const reassigned = await act(app, moderator.headers, `${q.id}/reassign`, { expertId: colleague.userId })
  t.equal(reassigned.statusCode, 200)
  t.match(reassigned.json(), { state: 'claimed', claim: { expert: { id: colleague.userId } } })
  const staffTarget = await signIn(app, { role: 'staff' })
  const bad = await act(app, moderator.headers, `${q.id}/reassign`, { expertId: staffTarget.userId })
  t.equal(bad.statusCode, 422)
  t.equal(bad.json().code, 'NOT_AN_EXPERT')
  const byExpert = await act(app, expert.headers, `${q.id}/reassign`, { expertId: expert.userId })
  t.equal(byExpert.statusCode, 403)
})

t.test('clarification: the expert asks, the comune replies, the question returns to the expert who asked', async (t) => {
  const { app, staff, expert, q } = await setup(t)
  await act(app, expert.headers, `${q.id}/claim`)
  const asked = await act(app, expert.headers, `${q.id}/clarification`, { message: 'Il richiedente è ospite di un CAS o di un SAI?' })
  t.equal(asked.statusCode, 200)
  t.match(asked.json(), { state: 'awaiting_clarification', claim: { expert: { id: expert.userId }, leaseExpiresAt: null } })
  const early = await act(app, expert.headers, `${q.id}/answer`, { markdown: 'Prima del chiarimento' })
  t.equal(early.statusCode, 409)
  t.match(early.json(), { code: 'INVALID_TRANSITION', state: 'awaiting_clarification' })
  const replied = await act(app, staff.headers, `${q.id}/replies`, { message: 'È ospite di un CAS.' })
  t.equal(replied.statusCode, 200)
  t.match(replied.json(), { state: 'claimed', claim: { expert: { id: expert.userId } } })
  const detail = await app.inject({ method: 'GET', url: `/api/v1/questions/${q.id}`, headers: expert.headers })
  t.same(detail.json().messages.map((m: { kind: string }) => m.kind), ['question', 'clarification_request', 'reply'])
  const types = (await app.ports.db.selectFrom('events').select('type').where('type', 'like', 'question.%').orderBy('position').execute()).map((e) => e.type)
  t.same(types.slice(-2), ['question.clarification_requested', 'question.replied'])
})

t.test('duplicate, reject and withdraw', async (t) => {
  const { app, day, staff, expert, q } = await setup(t)
  const moderator = await moderatorOf(app)
  const unknown = await act(app, expert.headers, `${q.id}/duplicate`, { faq: 'nessuna-faq-con-questo-nome' })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().code, 'FAQ_NOT_FOUND', 'a duplicate must point at a published FAQ')
  for (const faq of ['-'.repeat(36), 'a'.repeat(36), '00000000-0000-0000-0000-00000000000g']) {
    const notAnId = await act(app, expert.headers, `${q.id}/duplicate`, { faq })
    t.equal(notAnId.statusCode, 404, `${faq}: looks like an id, is not one: a 404, not a 500`)
  }
  const faq = await publishedFaq(app)
  const dup = await act(app, expert.headers, `${q.id}/duplicate`, { faq: faq.slug })
  t.equal(dup.statusCode, 200)
  t.match(dup.json(), { state: 'duplicate', duplicateOfFaq: faq.slug })

  const q2 = await submitQuestion(app, staff, day.id)
  const notMod = await act(app, expert.headers, `${q2.id}/reject`, { reason: 'Fuori tema' })
  t.equal(notMod.statusCode, 403)
  const rejected = await act(app, moderator.headers, `${q2.id}/reject`, { reason: 'Fuori tema: riguarda i tributi locali' })
  t.equal(rejected.statusCode, 200)
  const seen = await app.inject({ method: 'GET', url: `/api/v1/questions/${q2.id}`, headers: staff.headers })
  t.match(seen.json(), { state: 'rejected', rejectionReason: 'Fuori tema: riguarda i tributi locali' }, 'the asker sees the reason')

  const q3 = await submitQuestion(app, staff, day.id)
  const colleague = await signIn(app, { role: 'staff', organizationId: staff.organizationId! })
  const notOwn = await act(app, colleague.headers, `${q3.id}/withdraw`)
  t.equal(notOwn.statusCode, 403)
  t.equal(notOwn.json().code, 'NOT_YOUR_QUESTION')
  await app.questions.claim(expert.actor, q3.id)
  const tooLate = await act(app, staff.headers, `${q3.id}/withdraw`)
  t.equal(tooLate.statusCode, 409)
  t.match(tooLate.json(), { code: 'INVALID_TRANSITION', state: 'claimed' })
  const q4 = await submitQuestion(app, staff, day.id)
  const withdrawn = await act(app, staff.headers, `${q4.id}/withdraw`)
  t.equal(withdrawn.json().state, 'withdrawn')
  const reopen = await act(app, moderator.headers, `${q4.id}/claim`)
  t.equal(reopen.statusCode, 409)
  t.match(reopen.json(), { code: 'INVALID_TRANSITION', state: 'withdrawn' })
})

t.test('edits of questions and answers need a fresh If-Match', async (t) => {
  const { app, staff, expert, q } = await setup(t)
  const patch = (headers: Record<string, string>, payload: object) => app.inject({ method: 'PATCH', url: `/api/v1/questions/${q.id}`, headers, payload })
  const missing = await patch(staff.headers, { title: 'Titolo corretto dalla comune' })
  t.equal(missing.statusCode, 428)
  t.equal(missing.json().code, 'PRECONDITION_REQUIRED')
  const ok = await patch({ ...staff.headers, 'if-match': '"1"' }, { title: 'Titolo corretto dalla comune' })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers.etag, '"2"')
  const stale = await patch({ ...staff.headers, 'if-match': '"1"' }, { title: 'Modifica su versione vecchia' })
  t.equal(stale.statusCode, 412)
  t.match(stale.json(), { code: 'STALE_VERSION', currentVersion: 2 })

  await app.questions.claim(expert.actor, q.id)
  const lockedForStaff = await patch({ ...staff.headers, 'if-match': '"3"' }, { title: 'Troppo tardi per modificare' })
  t.equal(lockedForStaff.statusCode, 409)
  const answered = await app.questions.answer(expert.actor, q.id, 'Prima versione')
  const put = (ifMatch: string | undefined, markdown: string) =>
    app.inject({ method: 'PUT', url: `/api/v1/questions/${q.id}/answer`, headers: { ...expert.headers, ...(ifMatch && { 'if-match': ifMatch }) }, payload: { markdown } })
  t.equal((await put(undefined, 'Senza If-Match')).statusCode, 428)
  const fixed = await put(`"${answered.version}"`, 'Seconda versione')
  t.equal(fixed.statusCode, 200)
  t.equal(fixed.json().answer.markdown, 'Seconda versione')
  const lost = await put(`"${answered.version}"`, 'Versione persa')
  t.equal(lost.statusCode, 412)
  const detail = await app.questions.get(expert.actor, q.id)
  t.equal(detail.answer?.markdown, 'Seconda versione', 'never a silent overwrite')
})

t.test('the queue is oldest first with waiting time, filters, claim-next and the answer deadline', async (t) => {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'))
  const app = await build(t, { clock })
  const day = await createForumDay(app, { closesAt: '2026-03-02T10:00:00Z', answerDeadline: '2026-03-02T10:30:00Z' })
  const other = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert' })
  const a = await submitQuestion(app, staff, day.id, { theme: 'servizi-demografici' })
  clock.advance(5 * MINUTE)
  const b = await submitQuestion(app, staff, day.id, { theme: 'modelli-organizzativi' })
  clock.advance(5 * MINUTE)
  const c = await submitQuestion(app, staff, other.id)
  const queue = await app.inject({ method: 'GET', url: '/api/v1/queue', headers: expert.headers })
  t.same(queue.json().map((i: { id: string }) => i.id), [a.id, b.id, c.id])
  t.match(queue.json()[0], { waitingSeconds: 600, overdue: false, answerDeadline: '2026-03-02T10:30:00.000Z' })
  const byDay = await app.inject({ method: 'GET', url: `/api/v1/queue?forumDayId=${day.id}&theme=modelli-organizzativi`, headers: expert.headers })
  t.same(byDay.json().map((i: { id: string }) => i.id), [b.id])

  const next = await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: expert.headers, payload: { forumDayId: day.id } })
  t.equal(next.statusCode, 200)
  t.equal(next.json().id, a.id, 'the oldest first')
  const again = await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: expert.headers, payload: { theme: 'servizi-demografici', forumDayId: day.id } })
  t.equal(again.statusCode, 404)
  t.equal(again.json().code, 'QUEUE_EMPTY')

  clock.set('2026-03-02T10:30:01Z')
  const late = await app.inject({ method: 'GET', url: `/api/v1/queue?forumDayId=${day.id}`, headers: expert.headers })
  t.same(late.json().map((i: { id: string; overdue: boolean }) => [i.id, i.overdue]), [[a.id, true], [b.id, true]], 'the expired claim on a is back too')
  await app.questions.renew(expert.actor, a.id).catch(() => undefined)
  const claimedAgain = await app.questions.claim(expert.actor, a.id)
  const answered = await app.questions.answer(expert.actor, claimedAgain.id, 'Risposta dopo la scadenza')
  t.equal(answered.answer?.late, true, 'answers after the deadline are accepted and marked late')
})
