import { readdirSync, readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, moderatorOf, submitQuestion } from '../factories/forum.js'
import { build, ManualClock } from '../helper.js'
import { LIFECYCLE, lifecycleMarkdownRows, OPEN_STATES, QUEUE_STATES, targetOf, type LifecycleAction } from '../../src/questions/lifecycle.js'
import type { QuestionState } from '../../src/questions/tables.js'

type App = Awaited<ReturnType<typeof build>>
const MINUTE = 60_000

const act = (app: App, headers: Record<string, string>, path: string, payload?: object) =>
  app.inject({ method: 'POST', url: `/api/v1/questions/${path}`, headers, ...(payload && { payload }) })

async function setup(t: Test, clock = new ManualClock()) {
  const app = await build(t, { clock })
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert', displayName: 'Esperta Rossi' })
  const colleague = await signIn(app, { role: 'expert', displayName: 'Esperto Bianchi' })
  const q = await submitQuestion(app, staff, day.id)
  return { app, clock, day, staff, expert, colleague, q }
}

const inTable = (action: string, from: QuestionState | null, to: QuestionState) => action in LIFECYCLE && targetOf(action as LifecycleAction, from) === to

t.test('every transition the code records is a row of the lifecycle table', async (t) => {
  const { app, clock, day, staff, expert, colleague, q } = await setup(t)
  const moderator = await moderatorOf(app)
  // Every path the API offers, once: claim, renew, clarification, reply, answer, edit, close...
  t.equal((await act(app, expert.headers, `${q.id}/claim`)).statusCode, 200)
  t.equal((await act(app, expert.headers, `${q.id}/renew`)).statusCode, 200)
  t.equal((await act(app, expert.headers, `${q.id}/claim`)).statusCode, 200, 'claiming what you hold renews it')
  t.equal((await act(app, expert.headers, `${q.id}/clarification`, { message: 'Può precisare?' })).statusCode, 200)
  t.equal((await act(app, staff.headers, `${q.id}/replies`, { message: 'Certo.' })).statusCode, 200)
  const answered = await act(app, expert.headers, `${q.id}/answer`, { markdown: 'La risposta.' })
  t.equal(answered.statusCode, 200)
  const edited = await app.inject({ method: 'PUT', url: `/api/v1/questions/${q.id}/answer`, headers: { ...expert.headers, 'if-match': `"${answered.json().version}"` }, payload: { markdown: 'La risposta corretta.' } })
  t.equal(edited.statusCode, 200)
  t.equal((await act(app, staff.headers, `${q.id}/close`)).statusCode, 200)
  // ...release, reassign, expiry, edit, withdraw, duplicate, reject, claim-next.
  const second = await submitQuestion(app, staff, day.id)
  await act(app, colleague.headers, `${second.id}/claim`)
  await act(app, colleague.headers, `${second.id}/release`)
  await act(app, moderator.headers, `${second.id}/reassign`, { expertId: expert.userId })
  clock.advance(31 * MINUTE)
  await app.questions.sweepExpiredLeases()
  const current = (await app.inject({ method: 'GET', url: `/api/v1/questions/${second.id}`, headers: staff.headers })).json()
  await app.inject({ method: 'PATCH', url: `/api/v1/questions/${second.id}`, headers: { ...staff.headers, 'if-match': `"${current.version}"` }, payload: { title: 'Titolo corretto dal comune' } })
  await act(app, moderator.headers, `${second.id}/reject`, { reason: 'Fuori tema per il forum' })
  const third = await submitQuestion(app, staff, day.id)
  await act(app, staff.headers, `${third.id}/withdraw`)
  await submitQuestion(app, staff, day.id)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: expert.headers })).statusCode, 200)

  const rows = await app.ports.db.selectFrom('questionTransitions').select(['action', 'fromState', 'toState']).execute()
  const seen = new Set(rows.map((r) => r.action))
  for (const action of ['submitted', 'claimed', 'renewed', 'clarification_requested', 'replied', 'answered', 'answer_edited', 'closed', 'released', 'reassigned', 'lease_expired', 'edited', 'rejected', 'withdrawn']) {
    t.ok(seen.has(action), `the flows recorded ${action}`)
  }
  for (const r of rows) t.ok(inTable(r.action, r.fromState, r.toState), `${r.action}: ${r.fromState} → ${r.toState} is in the table`)
})

t.test('the code names no action the table lacks (transition calls and the hot-path SQL alike)', async (t) => {
  const dir = new URL('../../src/questions/', import.meta.url)
  const named = new Set<string>()
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'lifecycle.ts')) {
    const source = readFileSync(new URL(file, dir), 'utf8')
    for (const m of source.matchAll(/transition\(\s*trx,\s*\w+,\s*'(\w+)'/g)) named.add(m[1]!)
    // insert into question_transitions (…) select id, '<action>', '<from>' | null, '<to>', …
    for (const m of source.matchAll(/select (?:id|\$\{[^}]+\}), '(\w+)', (?:'(\w+)'|null), '(\w+)'/g)) {
      named.add(m[1]!)
      t.ok(inTable(m[1]!, (m[2] ?? null) as QuestionState | null, m[3] as QuestionState), `${file}: ${m[1]} ${m[2] ?? 'null'} → ${m[3]} is in the table`)
    }
    for (const m of source.matchAll(/step\('(\w+)', '(\w+)'/g)) named.add(m[1]!)
  }
  t.ok(named.size >= 12, `found the actions the code names (${[...named].join(', ')})`)
  for (const action of named) t.ok(action in LIFECYCLE, `${action} is in the table`)
})

t.test('the README shows the table as it is', async (t) => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  for (const row of lifecycleMarkdownRows()) t.ok(readme.includes(row), row)
})

t.test('open and queue states come from the table', async (t) => {
  t.same([...OPEN_STATES].sort(), ['awaiting_clarification', 'claimed', 'submitted'])
  t.same(QUEUE_STATES, ['submitted'])
})

t.test('a question and the queue carry the actions the caller may take now', async (t) => {
  const { app, staff, expert, colleague, q } = await setup(t)
  const moderator = await moderatorOf(app)
  const actions = async (who: { headers: Record<string, string> }) => (await app.inject({ method: 'GET', url: `/api/v1/questions/${q.id}`, headers: who.headers })).json().actions
  t.same(await actions(expert), ['claim', 'mark_duplicate'])
  t.same(await actions(staff), ['edit', 'withdraw'])
  t.same(await actions(moderator), ['edit', 'claim', 'reassign', 'mark_duplicate', 'reject'])
  const queue = (await app.inject({ method: 'GET', url: '/api/v1/queue', headers: expert.headers })).json()
  t.same(queue[0].actions, ['claim', 'mark_duplicate'])

  await act(app, expert.headers, `${q.id}/claim`)
  t.same(await actions(expert), ['renew', 'release', 'request_clarification', 'answer', 'mark_duplicate'])
  t.same(await actions(colleague), [], 'a colleague reads it but may do nothing while it is claimed')
  t.same(await actions(staff), [])
  await act(app, expert.headers, `${q.id}/clarification`, { message: 'Può precisare?' })
  t.same(await actions(staff), ['edit', 'reply'])
  t.same(await actions(expert), [])
})

t.test('claim-next takes no body, an empty JSON body or {}', async (t) => {
  const { app, day, staff, expert } = await setup(t)
  await submitQuestion(app, staff, day.id)
  await submitQuestion(app, staff, day.id)
  const none = await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: expert.headers })
  t.equal(none.statusCode, 200, 'no body')
  const empty = await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: { ...expert.headers, 'content-type': 'application/json' }, payload: '' })
  t.equal(empty.statusCode, 200, 'an empty JSON body')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: expert.headers, payload: {} })).statusCode, 200, '{}')
  const broken = await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: { ...expert.headers, 'content-type': 'application/json' }, payload: '{"forumDayId":' })
  t.equal(broken.statusCode, 400, 'broken JSON is still refused')
  t.equal(broken.json().code, 'MALFORMED_BODY')
  const proto = await app.inject({ method: 'POST', url: '/api/v1/queue/claim-next', headers: { ...expert.headers, 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1}}' })
  t.equal(proto.statusCode, 400, 'prototype poisoning is refused as elsewhere')
})

t.test('a draft save without If-Match is refused, a stale one is refused with the newer draft', async (t) => {
  const { app, expert, q } = await setup(t)
  const save = (markdown: string, ifMatch?: string) =>
    app.inject({ method: 'PUT', url: `/api/v1/questions/${q.id}/draft`, headers: { ...expert.headers, ...(ifMatch && { 'if-match': ifMatch }) }, payload: { markdown } })
  const blind = await save('Senza versione')
  t.equal(blind.statusCode, 428)
  t.equal(blind.json().code, 'PRECONDITION_REQUIRED')
  t.equal((await save('Prima bozza', '"0"')).statusCode, 200)
  const second = await save('Seconda bozza', '"1"')
  t.equal(second.headers.etag, '"2"')
  // A tab opened before the first save still thinks there is no draft, another one is at version 1.
  for (const stale of ['"0"', '"1"']) {
    const refused = await save('Testo vecchio', stale)
    t.equal(refused.statusCode, 412, `If-Match ${stale}`)
    t.match(refused.json(), { code: 'STALE_VERSION', currentVersion: 2, draft: { markdown: 'Seconda bozza', version: 2 } }, 'the newer draft comes with the refusal')
  }
  const kept = await app.inject({ method: 'GET', url: `/api/v1/questions/${q.id}/draft`, headers: expert.headers })
  t.equal(kept.json().markdown, 'Seconda bozza', 'never overwritten')
})

t.test('clarification keeps the expert: the reply returns the question to them first, by e-mail and event', async (t) => {
  const { app, clock, staff, expert, colleague, q } = await setup(t)
  await act(app, expert.headers, `${q.id}/claim`)
  const asked = await act(app, expert.headers, `${q.id}/clarification`, { message: 'Il richiedente è ospite di un CAS?' })
  t.match(asked.json(), { state: 'awaiting_clarification', claim: { expert: { id: expert.userId }, leaseExpiresAt: null } })
  clock.advance(90 * MINUTE)
  await app.questions.sweepExpiredLeases()
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/questions/${q.id}`, headers: expert.headers })).json().state, 'awaiting_clarification', 'no lease runs while the comune writes')
  const stolen = await act(app, colleague.headers, `${q.id}/claim`)
  t.ok(stolen.statusCode >= 400, 'a colleague cannot take it meanwhile')

  const replied = await act(app, staff.headers, `${q.id}/replies`, { message: 'Sì, di un CAS.' })
  t.equal(replied.statusCode, 200)
  t.match(replied.json(), { state: 'claimed', claim: { expert: { id: expert.userId, name: 'Esperta Rossi' }, leaseExpiresAt: new Date(clock.now().getTime() + 30 * MINUTE).toISOString() } })
  const event = await app.ports.db.selectFrom('events').select(['payload', 'channels']).where('type', '=', 'question.replied').executeTakeFirstOrThrow()
  t.match(event, { payload: { questionId: q.id, state: 'claimed', claimedBy: { id: expert.userId } }, channels: ['queue'] }, 'announced on the queue with the holder: the desk shows a notice')
  const mail = await app.ports.db.selectFrom('mailOutbox').select(['recipient', 'subject', 'textBody']).where('subject', '=', 'Il comune ha risposto al tuo chiarimento').execute()
  t.equal(mail.length, 1, 'the expert gets one e-mail')
  t.match(mail[0]!.textBody, `/coda/domande/${q.id}`)

  const queue = (await app.inject({ method: 'GET', url: '/api/v1/queue', headers: colleague.headers })).json()
  t.notOk(queue.some((item: { id: string }) => item.id === q.id), 'not in the shared queue')
  const desk = (await app.inject({ method: 'GET', url: '/api/v1/queue/mine', headers: expert.headers })).json()
  t.match(desk[0], { id: q.id, returned: true, actions: ['renew', 'release', 'request_clarification', 'answer', 'mark_duplicate'] }, 'on top of their desk')

  // Not taken up within the lease: it goes to the shared queue.
  clock.advance(31 * MINUTE)
  const after = (await app.inject({ method: 'GET', url: '/api/v1/queue', headers: colleague.headers })).json()
  t.ok(after.some((item: { id: string }) => item.id === q.id), 'back in the shared queue after the lease')
})

t.test('taken up in time, the returned question stays and is answered by the expert who asked', async (t) => {
  const { app, clock, staff, expert, q } = await setup(t)
  await act(app, expert.headers, `${q.id}/claim`)
  await act(app, expert.headers, `${q.id}/clarification`, { message: 'Può precisare?' })
  await act(app, staff.headers, `${q.id}/replies`, { message: 'Ecco.' })
  clock.advance(10 * MINUTE)
  t.equal((await act(app, expert.headers, `${q.id}/claim`)).statusCode, 200, 'taking it up renews the lease')
  const desk = (await app.inject({ method: 'GET', url: '/api/v1/queue/mine', headers: expert.headers })).json()
  t.match(desk[0], { id: q.id, returned: false })
  clock.advance(25 * MINUTE)
  t.equal((await act(app, expert.headers, `${q.id}/answer`, { markdown: 'La risposta.' })).json().state, 'answered')
})

t.test('a moderator reassigns a returned question', async (t) => {
  const { app, staff, expert, colleague, q } = await setup(t)
  const moderator = await moderatorOf(app)
  await act(app, expert.headers, `${q.id}/claim`)
  await act(app, expert.headers, `${q.id}/clarification`, { message: 'Può precisare?' })
  await act(app, staff.headers, `${q.id}/replies`, { message: 'Ecco.' })
  const moved = await act(app, moderator.headers, `${q.id}/reassign`, { expertId: colleague.userId })
  t.match(moved.json(), { state: 'claimed', claim: { expert: { id: colleague.userId } } })
})

t.test('renewing a lease is a recorded transition with its event', async (t) => {
  const { app, expert, q } = await setup(t)
  await act(app, expert.headers, `${q.id}/claim`)
  t.equal((await act(app, expert.headers, `${q.id}/renew`)).statusCode, 200)
  const detail = (await app.inject({ method: 'GET', url: `/api/v1/questions/${q.id}`, headers: expert.headers })).json()
  t.match(detail.transitions.at(-1), { action: 'renewed', from: 'claimed', to: 'claimed', actorId: expert.userId })
  const events = await app.ports.db.selectFrom('events').select('type').where('type', '=', 'question.renewed').execute()
  t.equal(events.length, 1)
})

t.test('the answer preview renders like the public site, for experts only', async (t) => {
  const { app, staff, expert } = await setup(t)
  const preview = await app.inject({ method: 'POST', url: '/api/v1/answers/preview', headers: expert.headers, payload: { markdown: '**Sì**\n\n<script>alert(1)</script>' } })
  t.equal(preview.statusCode, 200)
  t.match(preview.json().html, '<strong>Sì</strong>')
  t.notMatch(preview.json().html, '<script')
  const cited = await app.inject({ method: 'POST', url: '/api/v1/answers/preview', headers: expert.headers, payload: { markdown: 'Si veda l’art. 5 del D.Lgs. 142/2015.' } })
  t.match(cited.json().legalReferences, [{ text: /D\.Lgs\. 142\/2015/, url: /^https:\/\/www\.normattiva\.it\/.*2015-08-18;142/ }], 'the act is recognised, with its link')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/answers/preview', headers: staff.headers, payload: { markdown: 'x' } })).statusCode, 403)
})
