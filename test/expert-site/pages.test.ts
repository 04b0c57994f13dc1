import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { createForumDay, submitQuestion } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { build } from '../helper.js'
import { form, PAGE } from '../staff-site/pages.js'

async function setup(t: Parameters<typeof build>[0]) {
  const app = await build(t)
  const day = await createForumDay(app, { title: 'Giornata di forum di dicembre' })
  const clerk = await signIn(app, { role: 'staff', displayName: 'Ufficio Anagrafe' })
  const expert = await signIn(app, { role: 'expert', displayName: 'Esperta Rossi' })
  const colleague = await signIn(app, { role: 'expert', displayName: 'Esperto Bianchi' })
  const cookie = `ft_session=${expert.token}`
  return { app, day, clerk, expert, colleague, cookie }
}

const page = (app: Awaited<ReturnType<typeof build>>, url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { ...PAGE, cookie } })

t.test('the queue needs a session and is for experts and the secretariat', async (t) => {
  const { app, clerk } = await setup(t)
  const anonymous = await app.inject({ method: 'GET', url: '/coda', headers: PAGE })
  t.equal(anonymous.statusCode, 303)
  t.equal(anonymous.headers.location, '/accedi?ritorno=%2Fcoda')
  const refused = await page(app, '/coda', `ft_session=${clerk.token}`)
  t.equal(refused.statusCode, 403)
  t.match(refused.headers['content-type'], 'text/html')
})

t.test('the queue lists waiting questions oldest first with the claim button, and colleagues at work by name', async (t) => {
  const { app, day, clerk, colleague, cookie } = await setup(t)
  const first = await submitQuestion(app, clerk, day.id, { title: 'Prima domanda in coda' })
  const second = await submitQuestion(app, clerk, day.id, { title: 'Seconda domanda in coda' })
  const third = await submitQuestion(app, clerk, day.id, { title: 'Terza domanda presa da un collega' })
  await app.questions.claim(colleague.actor, third.id)
  const res = await page(app, '/coda', cookie)
  t.equal(res.statusCode, 200)
  t.ok(res.body.indexOf('Prima domanda in coda') < res.body.indexOf('Seconda domanda in coda'), 'oldest first')
  t.match(res.body, `action="/coda/domande/${first.id}/prendi"`)
  t.match(res.body, `action="/coda/domande/${second.id}/prendi"`)
  t.notMatch(res.body, `action="/coda/domande/${third.id}/prendi"`, 'no claim button on a colleague’s question')
  t.match(res.body, 'Esperto Bianchi sta rispondendo')
  t.match(res.body, 'Giornata di forum di dicembre')
  t.match(res.body, 'Prendi la prossima')
  const filtered = await page(app, `/coda?giornata=${(await createForumDay(app)).id}`, cookie)
  t.notMatch(filtered.body, 'Prima domanda in coda', 'filtered by forum day')
})

t.test('without JavaScript: take the next one, save a draft, preview, ask for clarification; the reply puts it on top of the desk', async (t) => {
  const { app, day, clerk, cookie } = await setup(t)
  const q = await submitQuestion(app, clerk, day.id, { title: 'Residenza di un richiedente asilo' })
  const next = await form(app, '/coda/prendi-la-prossima', { forumDayId: '', theme: '' }, { cookie })
  t.equal(next.statusCode, 303)
  t.equal(next.headers.location, `/coda/domande/${q.id}?esito=presa`)
  const desk = await page(app, `/coda/domande/${q.id}?esito=presa`, cookie)
  t.equal(desk.statusCode, 200)
  t.match(desk.body, 'Hai preso la domanda.')
  for (const button of ['Rinnova', 'Rilascia', 'Invia la risposta', 'Chiedi il chiarimento', 'Chiudi come già risposta']) t.match(desk.body, button)
  t.notMatch(desk.body, '>Prendi la domanda<', 'exactly the actions the lifecycle allows')

  const saved = await form(app, `/coda/domande/${q.id}/risposta`, { markdown: 'Sì, **con riserva**.', draftVersion: '0', azione: 'bozza' }, { cookie })
  t.equal(saved.statusCode, 303)
  t.match((await page(app, `/coda/domande/${q.id}`, cookie)).body, 'Sì, **con riserva**.', 'the draft is back in the editor')
  const stale = await form(app, `/coda/domande/${q.id}/risposta`, { markdown: 'Testo di una finestra vecchia', draftVersion: '0', azione: 'bozza' }, { cookie })
  t.equal(stale.statusCode, 412)
  t.match(stale.body, 'salvata da un’altra finestra')
  t.match(stale.body, 'Testo di una finestra vecchia', 'the text of this window is kept on the page')
  const preview = await form(app, `/coda/domande/${q.id}/risposta`, { markdown: 'Sì, **con riserva**, art. 5 D.Lgs. 142/2015.\n\n<script>x</script>', draftVersion: '1', azione: 'anteprima' }, { cookie })
  t.equal(preview.statusCode, 200)
  t.match(preview.body, '<strong>con riserva</strong>')
  t.notMatch(preview.body, '<script>x</script>')
  t.match(preview.body, 'Riferimenti normativi riconosciuti')
  t.match(preview.body, /<code>\[[^\]]*D\.Lgs\. 142\/2015\]\(https:\/\/www\.normattiva\.it\//, 'the act’s link, ready to paste')

  const asked = await form(app, `/coda/domande/${q.id}/chiarimento`, { message: 'Il richiedente è ospite di un CAS?' }, { cookie })
  t.equal(asked.statusCode, 303)
  const waiting = await page(app, '/coda', cookie)
  t.match(waiting.body, 'Aspetti il chiarimento del comune')
  await app.questions.reply(clerk.actor, q.id, 'Sì, di un CAS.')
  const back = await page(app, '/coda', cookie)
  t.match(back.body, 'Il comune ha risposto')
  const answered = await form(app, `/coda/domande/${q.id}/risposta`, { markdown: 'Sì: iscrizione con la dichiarazione del gestore.', draftVersion: '1', azione: 'invia' }, { cookie })
  t.equal(answered.statusCode, 303)
  t.equal((await app.questions.get(clerk.actor, q.id)).state, 'answered')
})

t.test('close as a duplicate of an FAQ found with the search box', async (t) => {
  const { app, day, clerk, cookie } = await setup(t)
  const faq = await publishedFaq(app)
  const q = await submitQuestion(app, clerk, day.id)
  await form(app, `/coda/domande/${q.id}/prendi`, {}, { cookie })
  const search = await page(app, `/coda/domande/${q.id}?faq=${encodeURIComponent(faq.title.split(' ').slice(0, 3).join(' '))}`, cookie)
  t.match(search.body, `value="${faq.slug}"`, 'the FAQ is offered as a choice')
  const none = await form(app, `/coda/domande/${q.id}/duplicato`, {}, { cookie })
  t.equal(none.statusCode, 400)
  const done = await form(app, `/coda/domande/${q.id}/duplicato`, { faq: faq.slug }, { cookie })
  t.equal(done.statusCode, 303)
  t.equal((await app.questions.get(clerk.actor, q.id)).state, 'duplicate')
  const later = await submitQuestion(app, clerk, day.id, { title: 'Una domanda successiva dello stesso ente' })
  const profile = await page(app, `/coda/domande/${later.id}`, cookie)
  t.match(profile.body, 'Domande precedenti dell’ente')
  t.match(profile.body, `Indirizzata alla risposta pubblicata: <a href="/domande-e-risposte/${faq.slug}"`, 'the FAQ the organization was pointed to')
})
