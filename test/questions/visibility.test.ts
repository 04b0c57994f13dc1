import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, moderatorOf, submitQuestion } from '../factories/forum.js'
import { build, ManualClock } from '../helper.js'

t.test('staff see only their organization; experts the queue and what they handled; moderators everything', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const day = await createForumDay(app)
  const staffA = await signIn(app, { role: 'staff' })
  const staffB = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert' })
  const other = await signIn(app, { role: 'expert' })
  const moderator = await moderatorOf(app)
  const qa = await submitQuestion(app, staffA, day.id, { title: 'Domanda del comune A sulla residenza' })
  const qb = await submitQuestion(app, staffB, day.id, { title: 'Domanda del comune B sul permesso' })
  const handled = await submitQuestion(app, staffA, day.id, { title: 'Domanda già risposta' })
  await app.questions.claim(expert.actor, handled.id)
  await app.questions.answer(expert.actor, handled.id, 'Risposta')

  const ids = async (headers: Record<string, string>) =>
    (await app.inject({ method: 'GET', url: '/api/v1/questions', headers })).json().map((q: { id: string }) => q.id).sort()
  t.same(await ids(staffA.headers), [qa.id, handled.id].sort())
  t.same(await ids(staffB.headers), [qb.id])
  t.same(await ids(expert.headers), [qa.id, qb.id, handled.id].sort(), 'the queue and what they answered')
  t.same(await ids(other.headers), [qa.id, qb.id].sort(), 'not what a colleague answered')
  t.same(await ids(moderator.headers), [qa.id, qb.id, handled.id].sort())

  const cross = await app.inject({ method: 'GET', url: `/api/v1/questions/${qa.id}`, headers: staffB.headers })
  t.equal(cross.statusCode, 403)
  t.equal(cross.json().code, 'QUESTION_NOT_VISIBLE')
  t.notMatch(cross.body, /residenza/, 'nothing of the question leaks')
  const missing = await app.inject({ method: 'GET', url: '/api/v1/questions/00000000-0000-4000-8000-000000000000', headers: staffB.headers })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().code, 'QUESTION_NOT_FOUND')
  const expertDetail = await app.inject({ method: 'GET', url: `/api/v1/questions/${handled.id}`, headers: other.headers })
  t.equal(expertDetail.statusCode, 403)

  // Events of comune A's questions never admit comune B's staff.
  const events = await app.ports.db.selectFrom('events').select(['payload', 'audience']).where('type', 'like', 'question.%').execute()
  for (const e of events.filter((e) => e.payload.organizationId === staffA.organizationId)) {
    t.notOk(
      e.audience.some((a) => a.kind === 'public' || (a.kind === 'organization' && a.organizationId === staffB.organizationId)),
      'audience excludes other comuni and the public',
    )
  }
})

t.test('similar questions for a draft come only from what the caller may see', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const day = await createForumDay(app)
  const staffA = await signIn(app, { role: 'staff' })
  const staffB = await signIn(app, { role: 'staff' })
  const expert = await signIn(app, { role: 'expert' })
  const mine = await submitQuestion(app, staffA, day.id, {
    title: 'Iscrizione anagrafica dei richiedenti asilo',
    body: 'Un richiedente asilo ospitato nel centro di accoglienza chiede la residenza: come procedere con l’iscrizione anagrafica?',
  })
  const theirs = await submitQuestion(app, staffB, day.id, {
    title: 'Residenza anagrafica per richiedenti asilo',
    body: 'Come si iscrive in anagrafe un richiedente asilo accolto in un CAS?',
  })
  await submitQuestion(app, staffA, day.id, { title: 'Contributi per la mensa scolastica', body: 'Quali fondi sono disponibili per la refezione scolastica?' })

  const similar = async (headers: Record<string, string>, text: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/questions/similar', headers, payload: { text } })
    t.equal(res.statusCode, 200)
    return res.json()
  }
  const forA = await similar(staffA.headers, 'iscrizione anagrafica richiedente asilo')
  t.same(forA.questions.map((q: { id: string }) => q.id), [mine.id], "only comune A's own questions, and only the related one")
  t.same(forA.faqs, [], 'no FAQ source wired yet')
  const forExpert = await similar(expert.headers, 'iscrizione anagrafica richiedente asilo')
  t.same(forExpert.questions.map((q: { id: string }) => q.id).sort(), [mine.id, theirs.id].sort())
  const typo = await similar(expert.headers, 'Iscrizzione anagrafica dei richiedenti asilo')
  t.ok(typo.questions.some((q: { id: string }) => q.id === mine.id), 'a misspelt title still finds it')
  const injection = await similar(expert.headers, "asilo' | !& :* ) ( <-> residenza")
  t.ok(Array.isArray(injection.questions), 'tsquery operators in the draft are harmless')
  // unaccent turns these letters into punctuation ("(1)", ":", "'n"), which to_tsquery parsed as syntax.
  const oddLetters = await similar(expert.headers, 'ŉasilo richiedente⑴ anagrafica ːː ⑴⑵⑶ ŉŉŉ')
  t.ok(oddLetters.questions.some((q: { id: string }) => q.id === mine.id), 'letters that unaccent makes punctuation are harmless')
})
