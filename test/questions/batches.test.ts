import { sql } from 'kysely'
import t from 'tap'
import { createOrganization, signIn, type SignedIn } from '../factories/accounts.js'
import { createForumDay, questionInput, submitQuestion, THEMES } from '../factories/forum.js'
import { build, freshDatabase, NEEDS_SERVER } from '../helper.js'
import type { App } from '../../src/app.js'

/**
 * Submissions and claim-next arriving together are written in shared transactions (one per turn
 * of the event loop, questions/submission-batch.ts). Bursts over real HTTP, to two instances on
 * one database server, compare what every client was told with what the database holds; calls
 * made in one turn check that they really share a transaction (on PGlite too).
 */

if (NEEDS_SERVER) t.comment(`skipping the bursts to two instances: ${NEEDS_SERVER}`)

interface Answer {
  status: number
  body: { id?: string; code?: string; limit?: number; claim?: { expert: { id: string } }; theme?: string }
  replayed: boolean
}

async function listening(apps: App[]): Promise<string[]> {
  return Promise.all(apps.map((app) => app.listen({ port: 0, host: '127.0.0.1' })))
}

async function post(base: string, path: string, headers: Record<string, string>, body: unknown): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  return { status: response.status, body: (await response.json()) as Answer['body'], replayed: response.headers.get('idempotent-replayed') === 'true' }
}

/** Transactions that wrote more than one event of this type: requests batched, not written one by one. */
async function sharedTransactions(app: App, type: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (select txid from events where type = ${type} group by txid having count(*) > 1) shared
  `.execute(app.ports.db)
  return rows[0]!.n
}

t.test('a burst of submissions from many comuni to two instances: every answer is what the database holds, caps included', { skip: NEEDS_SERVER }, async (t) => {
  const database = await freshDatabase(t)
  const a = await build(t, { database })
  const b = await build(t, { database })
  const bases = await listening([a, b])
  const day = await createForumDay(a, { maxOpenQuestionsPerOrganization: 3 })
  const organizations = await Promise.all(Array.from({ length: 4 }, () => createOrganization(a)))
  const staff = await Promise.all(organizations.flatMap((o) => [signIn(a, { role: 'staff', organizationId: o.id }), signIn(a, { role: 'staff', organizationId: o.id })]))

  // Each member of staff: four questions (eight per comune against a cap of three), one with a
  // theme the day does not cover, and one of the four sent twice at once with its key.
  const sent: Array<{ who: SignedIn; key: string; title: string; theme: string; answer?: Answer }> = []
  staff.forEach((who, s) => {
    for (let i = 0; i < 4; i++) sent.push({ who, key: `burst-${s}-${i}`, title: `Domanda ${s}-${i} sulla residenza`, theme: THEMES[0]!.code })
    sent.push({ who, key: `burst-${s}-bad`, title: `Domanda ${s} fuori tema`, theme: 'non-esiste' })
    sent.push({ ...sent.at(-2)! })
  })
  await Promise.all(
    sent.map(async (r, i) => {
      r.answer = await post(bases[i % 2]!, `/api/v1/forum-days/${day.id}/questions`, { ...r.who.headers, 'idempotency-key': r.key }, questionInput({ title: r.title, theme: r.theme }))
    }),
  )
  const answers = sent.map((r) => ({ ...r, answer: r.answer! }))

  const stored = await a.ports.db.selectFrom('questions').select(['id', 'title', 'askedBy', 'organizationId', 'state']).where('forumDayId', '=', day.id).execute()
  const byId = new Map(stored.map((q) => [q.id, q]))
  const created = answers.filter((r) => r.answer.status === 201 && !r.answer.replayed)
  t.equal(new Set(created.map((r) => r.answer.body.id)).size, created.length, 'no two requests were told the same new question')
  t.same(
    created.filter((r) => byId.get(r.answer.body.id!)?.title !== r.title || byId.get(r.answer.body.id!)?.askedBy !== r.who.userId).map((r) => r.key),
    [],
    'every question a client was told about is stored, with its title and asker',
  )
  t.equal(stored.length, created.length, 'nothing stored that no client was told about')
  for (const organization of organizations) {
    t.equal(stored.filter((q) => q.organizationId === organization.id).length, 3, 'each comune has exactly its cap of open questions, across both instances')
  }
  const overCap = answers.filter((r) => r.answer.status === 409)
  t.ok(
    overCap.every((r) => r.answer.body.code === 'OPEN_QUESTIONS_LIMIT' && r.answer.body.limit === 3),
    'the others were told the cap',
  )
  t.equal(overCap.filter((r) => r.theme !== 'non-esiste').length + created.length + answers.filter((r) => r.answer.replayed).length, answers.filter((r) => r.theme !== 'non-esiste').length)
  t.ok(
    answers.filter((r) => r.theme === 'non-esiste').every((r) => r.answer.status === 422 && r.answer.body.code === 'UNKNOWN_THEME'),
    'a theme outside the day is refused',
  )
  // The key sent twice at once: the second waits for the first. Created, it replays the same
  // question; refused (the cap), nothing was kept under the key and it is judged afresh.
  const twins = staff.map((who) => answers.filter((r) => r.who === who && r.key.endsWith('-3')))
  t.same(
    twins.filter(([one, two]) => {
      const same = one!.answer.status === two!.answer.status && one!.answer.body.id === two!.answer.body.id
      return !same || (one!.answer.status === 201 && one!.answer.replayed === two!.answer.replayed)
    }).map(([one, two]) => [one!.answer, two!.answer]),
    [],
    'a key sent twice at once: the same question once, replayed to the other, or the same refusal',
  )

  const keys = await a.ports.db.selectFrom('idempotencyKeys').select(['key', 'status']).where('userId', 'in', staff.map((s) => s.userId)).execute()
  t.same(
    keys.filter((k) => k.status !== 201).map((k) => k.key),
    [],
    'the keys of refused requests are gone, as after a rollback: a retry is judged afresh',
  )
  t.equal(keys.length, created.length, 'one stored key per created question')

  const perQuestion = await sql<{ id: string; messages: number; transitions: number; events: number }>`
    select q.id,
      (select count(*)::int from question_messages m where m.question_id = q.id) as messages,
      (select count(*)::int from question_transitions x where x.question_id = q.id and x.action = 'submitted') as transitions,
      (select count(*)::int from events e where e.type = 'question.submitted' and e.payload->>'questionId' = q.id::text) as events
    from questions q where q.forum_day_id = ${day.id}
  `.execute(a.ports.db)
  t.same(
    perQuestion.rows.filter((q) => q.messages !== 1 || q.transitions !== 1 || q.events !== 1),
    [],
    'each question has one message, one transition and one event',
  )
  const counts = await sql<{ organizationId: string; open: number }>`select organization_id, open from forum_day_counts where forum_day_id = ${day.id}`.execute(a.ports.db)
  t.same(new Set(counts.rows.map((c) => c.open)), new Set([3]), 'the maintained counters agree')
})

t.test('submissions made in the same turn share one transaction, each judged on its own', async (t) => {
  const app = await build(t)
  const day = await createForumDay(app, { maxOpenQuestionsPerOrganization: 2 })
  const [first, second] = await Promise.all([signIn(app, { role: 'staff' }), signIn(app, { role: 'staff' })])
  // Each comune's eligibility is decided with its first question of the edition.
  for (const who of [first, second]) await submitQuestion(app, who, day.id)
  const submit = (who: SignedIn, key: string, overrides: Parameters<typeof questionInput>[0] = {}) =>
    app.questions.submit(who.actor, day.id, questionInput({ title: `Domanda ${key}`, ...overrides }), key).then(
      (result) => ({ status: result.status, id: result.body.id, replayed: result.replayed }),
      (err: { status?: number; code?: string }) => ({ status: err.status, code: err.code }),
    )
  // All in one turn of the event loop: one batch.
  const answers = await Promise.all([
    submit(first, 'a-1'),
    submit(first, 'a-2'),
    submit(first, 'a-1'),
    submit(second, 'b-1'),
    submit(second, 'b-2', { theme: 'non-esiste' }),
  ])
  t.match(answers, [{ status: 201 }, { status: 409, code: 'OPEN_QUESTIONS_LIMIT' }, { status: 201, replayed: true }, { status: 201 }, { status: 422, code: 'UNKNOWN_THEME' }])
  t.equal((answers[2] as { id: string }).id, (answers[0] as { id: string }).id, 'the key sent twice replays the first answer')
  const { rows } = await sql<{ txids: number; events: number }>`
    select count(distinct txid)::int as txids, count(*)::int as events from events
    where type = 'question.submitted' and payload->>'questionId' = any(${[(answers[0] as { id: string }).id, (answers[3] as { id: string }).id]}::text[])
  `.execute(app.ports.db)
  t.same(rows[0], { txids: 1, events: 2 }, 'the two questions created were written in one transaction')
})

t.test('a submission the database refuses fails alone: its batch neighbours are stored', { skip: NEEDS_SERVER }, async (t) => {
  const app = await build(t)
  const [base] = await listening([app])
  const day = await createForumDay(app)
  const staff = await Promise.all(Array.from({ length: 6 }, () => signIn(app, { role: 'staff' })))
  // A fault in the middle of a batch: the database rejects one row of it.
  await sql`
    create function refuse_one() returns trigger language plpgsql as $$
    begin
      if new.title like '%rifiutata%' then raise exception 'refused for the test'; end if;
      return new;
    end $$
  `.execute(app.ports.db)
  await sql`create trigger refuse_one before insert on questions for each row execute function refuse_one()`.execute(app.ports.db)

  const requests = staff.flatMap((who, s) =>
    [0, 1, 2].map((i) => ({ who, key: `k-${s}-${i}`, title: s === 3 && i === 1 ? 'Domanda rifiutata dal database' : `Domanda ${s}-${i}` })),
  )
  const answers = await Promise.all(
    requests.map((r) => post(base!, `/api/v1/forum-days/${day.id}/questions`, { ...r.who.headers, 'idempotency-key': r.key }, questionInput({ title: r.title }))),
  )
  const refused = requests.findIndex((r) => r.title.includes('rifiutata'))
  t.equal(answers[refused]!.status, 500, 'the refused one fails')
  t.same(
    answers.filter((_, i) => i !== refused).map((a) => a.status),
    requests.slice(1).map(() => 201),
    'every other one is created',
  )
  const titles = (await app.ports.db.selectFrom('questions').select('title').execute()).map((q) => q.title).sort()
  t.same(titles, requests.filter((_, i) => i !== refused).map((r) => r.title).sort(), 'and stored; the refused one is not')
  const key = await app.ports.db.selectFrom('idempotencyKeys').select('key').where('key', '=', requests[refused]!.key).executeTakeFirst()
  t.equal(key, undefined, 'its key is not kept: a retry is a new attempt')
})

t.test('a burst of claim-next to two instances: each expert gets a different question, as the database records it', { skip: NEEDS_SERVER }, async (t) => {
  const database = await freshDatabase(t)
  const a = await build(t, { database })
  const b = await build(t, { database })
  const bases = await listening([a, b])
  const day = await createForumDay(a)
  const staff = await signIn(a, { role: 'staff' })
  const [first, second] = [THEMES[0]!.code, THEMES[1]!.code]
  for (let i = 0; i < 15; i++) await submitQuestion(a, staff, day.id, { theme: i % 3 === 0 ? second : first })
  const experts = await Promise.all(Array.from({ length: 24 }, () => signIn(a, { role: 'expert' })))

  // Two thirds ask for anything of the day, one third for the second theme only.
  const asks = experts.map((who, i) => ({ who, filter: i % 3 === 2 ? { forumDayId: day.id, theme: second } : { forumDayId: day.id } }))
  const answers = await Promise.all(asks.map((r, i) => post(bases[i % 2]!, '/api/v1/queue/claim-next', r.who.headers, r.filter)))

  const won = asks.map((r, i) => ({ ...r, answer: answers[i]! })).filter((r) => r.answer.status === 200)
  t.equal(won.length, 15, 'every waiting question went to someone')
  t.equal(new Set(won.map((r) => r.answer.body.id)).size, 15, 'no question was handed out twice')
  t.ok(
    answers.filter((x) => x.status !== 200).every((x) => x.status === 404 && x.body.code === 'QUEUE_EMPTY'),
    'the others were told the queue is empty',
  )
  t.ok(
    won.filter((r) => r.filter.theme).every((r) => r.answer.body.theme === second),
    'an expert asking for a theme got a question of that theme',
  )
  const stored = await a.ports.db.selectFrom('questions').select(['id', 'state', 'claimedBy']).where('forumDayId', '=', day.id).execute()
  const holder = new Map(stored.map((q) => [q.id, q.claimedBy]))
  t.same(
    won.filter((r) => holder.get(r.answer.body.id!) !== r.who.userId || r.answer.body.claim?.expert.id !== r.who.userId).map((r) => r.who.email),
    [],
    'each question is held by the expert who was told so',
  )
  const recorded = await sql<{ id: string; transitions: number; events: number }>`
    select q.id,
      (select count(*)::int from question_transitions x where x.question_id = q.id and x.action = 'claimed' and x.actor_id = q.claimed_by) as transitions,
      (select count(*)::int from events e where e.type = 'question.claimed' and e.payload->>'questionId' = q.id::text
        and e.payload->'claimedBy'->>'id' = q.claimed_by::text) as events
    from questions q where q.forum_day_id = ${day.id}
  `.execute(a.ports.db)
  t.same(
    recorded.rows.filter((q) => q.transitions !== 1 || q.events !== 1),
    [],
    'each claim has its transition and its event, naming its expert',
  )
})

t.test('claim-next requests made in the same turn share one statement', async (t) => {
  const app = await build(t)
  const day = await createForumDay(app)
  const staff = await signIn(app, { role: 'staff' })
  for (let i = 0; i < 4; i++) await submitQuestion(app, staff, day.id)
  const experts = await Promise.all(Array.from({ length: 5 }, () => signIn(app, { role: 'expert' })))
  // All in one turn of the event loop: one batch.
  const answers = await Promise.all(
    experts.map((e) =>
      app.questions.claimNext(e.actor, { forumDayId: day.id }).then(
        (q) => ({ id: q.id, holder: q.claim?.expert.id }),
        (err: { code?: string }) => ({ code: err.code }),
      ),
    ),
  )
  t.same(answers.map((a) => ('id' in a ? a.holder : a.code)), [...experts.slice(0, 4).map((e) => e.userId), 'QUEUE_EMPTY'], 'the oldest four to the first four, in order; the fifth is told the queue is empty')
  t.equal((await sharedTransactions(app, 'question.claimed')), 1, 'their four claims were one statement')
})
