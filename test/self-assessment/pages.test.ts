import t from 'tap'
import { createOrganization, signIn } from '../factories/accounts.js'
import { moderatorOf } from '../factories/forum.js'
import { answersAt, publishedQuestionnaire, smallQuestionnaire, submittedAssessment } from '../factories/self-assessment.js'
import { build } from '../helper.js'
import { form, PAGE } from '../staff-site/pages.js'

t.test('without JavaScript: start, fill in an area, a stale save shows what a colleague saved, submit', async (t) => {
  const app = await build(t)
  const org = await createOrganization(app)
  const [anna, bruno] = [await signIn(app, { role: 'staff', organizationId: org.id }), await signIn(app, { role: 'staff', organizationId: org.id })]
  const [annaCookie, brunoCookie] = [`ft_session=${anna.token}`, `ft_session=${bruno.token}`]
  const q = await publishedQuestionnaire(app, smallQuestionnaire())

  const home = await app.inject({ method: 'GET', url: '/autodiagnosi', headers: { ...PAGE, cookie: annaCookie } })
  t.equal(home.statusCode, 200)
  t.match(home.body, 'Questionario di prova')
  const started = await form(app, '/autodiagnosi/avvia', { questionnaireId: q.id }, { cookie: annaCookie })
  t.equal(started.statusCode, 303)
  const path = started.headers.location as string
  t.match(path, /^\/autodiagnosi\/[0-9a-f-]{36}$/)
  const again = await form(app, '/autodiagnosi/avvia', { questionnaireId: q.id }, { cookie: brunoCookie })
  t.equal(again.headers.location, path, 'a colleague starting again continues the same one')

  const areaForm = await app.inject({ method: 'GET', url: `${path}/aree/organizzazione`, headers: { ...PAGE, cookie: annaCookie } })
  const version = /name="version" value="(\d+)"/.exec(areaForm.body)![1]!
  t.match(areaForm.body, '<legend')
  const saved = await form(app, `${path}/aree/organizzazione`, { version, 'q:o1': '2', 'q:o2': '1', then: 'aree/accoglienza' }, { cookie: annaCookie })
  t.equal(saved.statusCode, 303)
  t.equal(saved.headers.location, `${path}/aree/accoglienza`)

  // Bruno had the form open at the same version: his save is refused and he sees Anna's answers.
  const stale = await form(app, `${path}/aree/organizzazione`, { version, 'q:o1': '0', then: '' }, { cookie: brunoCookie })
  t.equal(stale.statusCode, 412)
  t.match(stale.body, 'Un collega ha salvato nel frattempo')
  t.match(stale.body, 'Livello 0', 'his refused choice is listed')
  t.match(stale.body, /id="q-o1-2"[^>]*checked|checked[^>]*id="q-o1-2"/, "the form shows Anna's saved answer")

  const fresh = /name="version" value="(\d+)"/.exec(stale.body)![1]!
  t.equal((await form(app, `${path}/aree/accoglienza`, { version: fresh, 'q:a1': 'na', 'q:a2': '3' }, { cookie: brunoCookie })).statusCode, 303)
  const review = await app.inject({ method: 'GET', url: `${path}/riepilogo`, headers: { ...PAGE, cookie: annaCookie } })
  t.match(review.body, 'Tutte le domande hanno una risposta.')
  const last = /name="version" value="(\d+)"/.exec(review.body)![1]!
  const submitted = await form(app, `${path}/invia`, { version: last }, { cookie: annaCookie })
  t.equal(submitted.headers.location, `${path}/risultato`)
  const result = await app.inject({ method: 'GET', url: `${path}/risultato`, headers: { ...PAGE, cookie: annaCookie } })
  t.equal(result.statusCode, 200)
  t.match(result.body, 'id="sa-table"')
  t.match(result.body, 'data-chart=')
  t.match(result.body, /\/assets\/chart\.umd\.[0-9a-f]+\.js/, 'chart.js from our own assets')
  t.match(result.body, 'in linea con il modello')
})

t.test("another organization's staff get no result page; the secretariat does", async (t) => {
  const app = await build(t)
  const [orgA, orgB] = [await createOrganization(app), await createOrganization(app)]
  const staffA = await signIn(app, { role: 'staff', organizationId: orgA.id })
  const staffB = await signIn(app, { role: 'staff', organizationId: orgB.id })
  const moderator = await moderatorOf(app)
  const q = await publishedQuestionnaire(app, smallQuestionnaire())
  const a = await submittedAssessment(app, staffA, q, answersAt(q.content, 0))
  const page = (token: string) => app.inject({ method: 'GET', url: `/autodiagnosi/${a.id}/risultato`, headers: { ...PAGE, cookie: `ft_session=${token}` } })
  t.equal((await page(staffB.token)).statusCode, 403)
  t.equal((await page(moderator.token)).statusCode, 200)
  const aggregates = await app.inject({ method: 'GET', url: '/segreteria/autodiagnosi', headers: { ...PAGE, cookie: `ft_session=${moderator.token}` } })
  t.equal(aggregates.statusCode, 200)
  t.match(aggregates.body, '&lt; 5')
  t.equal((await app.inject({ method: 'GET', url: '/segreteria/autodiagnosi', headers: { ...PAGE, cookie: `ft_session=${staffA.token}` } })).statusCode, 403)
})

t.test('the secretariat imports a questionnaire from JSON; a broken one comes back with every problem', async (t) => {
  const app = await build(t)
  const moderator = await moderatorOf(app)
  const cookie = `ft_session=${moderator.token}`
  const q = await publishedQuestionnaire(app, smallQuestionnaire())
  const bad = smallQuestionnaire()
  bad.areas[0]!.questions[0]!.levels = [{ score: 1, label: 'uno' }]
  const refused = await form(app, '/segreteria/autodiagnosi/questionari', { content: JSON.stringify({ ...bad, editionId: q.editionId }) }, { cookie })
  t.equal(refused.statusCode, 422)
  t.match(refused.body, 'areas[0].questions[0].levels: at least two levels')
  const imported = await form(app, '/segreteria/autodiagnosi/questionari', { content: JSON.stringify({ ...smallQuestionnaire({ title: 'Importato' }), editionId: q.editionId }) }, { cookie })
  t.equal(imported.statusCode, 303)
  t.match((await app.selfAssessment.listQuestionnaires(moderator.actor, {})).map((x) => x.title), ['Importato'])
})
