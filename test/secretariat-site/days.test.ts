import t from 'tap'
import { signIn } from '../factories/accounts.js'
import { createEdition, createForumDay, moderatorOf, PICCOLI_COMUNI_RULE, submitQuestion } from '../factories/forum.js'
import { build, ManualClock } from '../helper.js'
import { eligibilityInWords } from '../../src/i18n/secretariat.js'
import { brokenSummaryLinks, form, PAGE } from '../staff-site/pages.js'

async function desk(t: Parameters<typeof build>[0]) {
  // Winter in Rome (UTC+1), before the change to summer time on 29 March 2026.
  const app = await build(t, { clock: new ManualClock(new Date('2026-03-02T09:00:00Z')) })
  const edition = await createEdition(app, { name: 'Piano di Azione di prova' })
  const moderator = await moderatorOf(app)
  return { app, edition, moderator, cookie: `ft_session=${moderator.token}` }
}

const DAY_FORM = {
  title: 'Giornata del cambio d’ora',
  'theme-servizi-demografici': '1',
  opensDate: '2026-03-29',
  opensTime: '10:00',
  closesDate: '2026-03-29',
  closesTime: '18:00',
  deadlineDate: '',
  deadlineTime: '',
  maxOpen: '',
}

t.test('the eligibility rule in words', async (t) => {
  t.equal(
    eligibilityInWords(PICCOLI_COMUNI_RULE),
    'Possono fare domande i comuni fino a 5000 abitanti e le Unioni di comuni di qualsiasi popolazione, delle regioni Piemonte, Toscana, Puglia e Sicilia.',
  )
  t.equal(
    eligibilityInWords({ kinds: ['comune'], populationMin: 5000, populationMax: 150000, populationAppliesTo: ['comune'], regions: null, enrollment: 'required' }),
    'Possono fare domande i comuni da 5000 a 150.000 abitanti, di tutte le regioni. Serve anche l’iscrizione all’edizione.',
  )
  t.equal(
    eligibilityInWords({ kinds: ['comune', 'unione'], populationAppliesTo: ['comune'], regions: ['Sardegna'], enrollment: 'admits' }),
    'Possono fare domande i comuni e le Unioni di comuni, della regione Sardegna. Possono fare domande anche gli enti iscritti all’edizione che non rientrano nella regola.',
  )
})

t.test('the days page shows each edition with its rule in words and its days in Rome time', async (t) => {
  const { app, edition, cookie } = await desk(t)
  await createForumDay(app, { editionId: edition.id, title: 'Giornata di marzo', opensAt: '2026-03-02T08:00:00Z', closesAt: '2026-03-02T16:00:00Z' })
  await createForumDay(app, { editionId: edition.id, title: 'Giornata di prova', rehearsal: true })
  const page = await app.inject({ method: 'GET', url: '/segreteria/giornate', headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Piano di Azione di prova')
  t.match(page.body, 'Possono fare domande i comuni fino a 5000 abitanti')
  t.match(page.body, 'Giornata di marzo')
  t.match(page.body, 'lunedì 2 marzo 2026, ore 09:00 – lunedì 2 marzo 2026, ore 17:00', 'Rome time (UTC+1 in March)')
  t.match(page.body, 'Giornata di prova')
  t.match(page.body, `href="/segreteria/giornate/nuova?edizione=${edition.id}"`)
})

t.test('the new-day form: the deadline\'s date and time are described by their help line', async (t) => {
  const { app, edition, cookie } = await desk(t)
  const page = await app.inject({ method: 'GET', url: `/segreteria/giornate/nuova?edizione=${edition.id}`, headers: { ...PAGE, cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, /<small id="deadline-help"[^>]*>Se vuota, coincide con la chiusura\.<\/small>/)
  t.match(page.body, /id="deadline-date"[^>]*aria-describedby="deadline-help"/)
  t.match(page.body, /id="deadline-time"[^>]*aria-describedby="deadline-help"/)
  t.notMatch(page.body, /id="opens-date"[^>]*aria-describedby/, 'no help, nothing to describe')
})

t.test('a day is created from Rome wall-clock times, correct across the change to summer time', async (t) => {
  const { app, edition, cookie, moderator } = await desk(t)
  const created = await form(app, '/segreteria/giornate', { ...DAY_FORM, editionId: edition.id }, { cookie })
  t.equal(created.statusCode, 303)
  const id = /giornata-([0-9a-f-]{36})/.exec(String(created.headers.location))![1]!
  const day = await app.forumDays.get(moderator.actor, id)
  t.equal(day.opensAt, '2026-03-29T08:00:00.000Z', '10:00 on the day summer time starts is UTC+2')
  t.equal(day.closesAt, '2026-03-29T16:00:00.000Z')
  t.equal(day.answerDeadline, day.closesAt, 'no deadline: the closing')
  t.same(day.themes.map((th) => th.code), ['servizi-demografici'])

  const winter = await form(app, '/segreteria/giornate', { ...DAY_FORM, editionId: edition.id, opensDate: '2026-03-28', closesDate: '2026-03-28' }, { cookie })
  const winterId = /giornata-([0-9a-f-]{36})/.exec(String(winter.headers.location))![1]!
  t.equal((await app.forumDays.get(moderator.actor, winterId)).opensAt, '2026-03-28T09:00:00.000Z', 'the day before is UTC+1')

  const edit = await app.inject({ method: 'GET', url: `/segreteria/giornate/${id}`, headers: { ...PAGE, cookie } })
  t.match(edit.body, 'name="opensTime" type="time" class="form-control" value="10:00"', 'shown again in Rome time')
})

t.test('a time skipped by the change to summer time, and missing fields, are explained on the form', async (t) => {
  const { app, edition, cookie } = await desk(t)
  const skipped = await form(app, '/segreteria/giornate', { ...DAY_FORM, editionId: edition.id, opensTime: '02:30' }, { cookie })
  t.equal(skipped.statusCode, 422)
  t.match(skipped.body, 'Quest’ora non esiste in Italia')
  t.match(skipped.body, 'href="#opensAt"')
  const missing = await form(app, '/segreteria/giornate', { editionId: edition.id, title: 'Gi', opensDate: '', opensTime: '', closesDate: '2026-03-29', closesTime: '18:00' }, { cookie })
  t.equal(missing.statusCode, 400)
  t.match(missing.body, 'Scrivi un titolo da 3 a 200 caratteri.')
  t.match(missing.body, 'Scegli almeno un tema.')
  t.match(missing.body, 'Scrivi data e ora di apertura.')
  t.same(brokenSummaryLinks(missing.body), [], 'each error links to its field')
  t.match(missing.body, /id="opens-date"[^>]*aria-describedby="opensAt-error"[^>]*aria-invalid="true"/, 'the date is read with its error')
  t.match(missing.body, /<fieldset[^>]*id="themes" aria-describedby="themes-error"/, 'and the themes with theirs')
  const tooMany = await form(app, '/segreteria/giornate', { ...DAY_FORM, editionId: edition.id, maxOpen: '0' }, { cookie })
  t.equal(tooMany.statusCode, 400)
  t.match(tooMany.body, 'href="#maxOpen"', 'the cap is named as the service names it and links to the form\'s field')
  t.same(brokenSummaryLinks(tooMany.body), [])
  const backwards = await form(app, '/segreteria/giornate', { ...DAY_FORM, editionId: edition.id, closesTime: '09:00' }, { cookie })
  t.equal(backwards.statusCode, 422)
  t.match(backwards.body, 'La giornata deve aprire prima di chiudere.')
})

t.test('a day is edited with the version it was shown at, then cancelled with a reason', async (t) => {
  const { app, edition, cookie, moderator } = await desk(t)
  const day = await createForumDay(app, { editionId: edition.id, title: 'Giornata aperta' })
  const url = `/segreteria/giornate/${day.id}`
  const page = await app.inject({ method: 'GET', url, headers: { ...PAGE, cookie } })
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page.body)![1]!
  const shown = {
    title: 'Giornata aperta, prolungata',
    'theme-servizi-demografici': '1',
    'theme-modelli-organizzativi': '1',
    opensDate: value('opensDate'),
    opensTime: value('opensTime'),
    closesDate: value('closesDate'),
    closesTime: '20:00',
    deadlineDate: value('deadlineDate'),
    deadlineTime: value('deadlineTime'),
    maxOpen: '5',
    version: value('version'),
  }
  const saved = await form(app, url, shown, { cookie })
  t.equal(saved.statusCode, 303, 'an open day keeps its opening and closes later')
  const after = await app.forumDays.get(moderator.actor, day.id)
  t.match(after, { title: 'Giornata aperta, prolungata', maxOpenQuestionsPerOrganization: 5, closesAt: '2026-03-02T19:00:00.000Z' })

  const stale = await form(app, url, { ...shown, title: 'Modifica da una scheda vecchia' }, { cookie })
  t.equal(stale.statusCode, 412, 'a form made from an older version is refused')
  t.match(stale.body, 'Nel frattempo qualcun altro ha modificato questi dati')

  const short = await form(app, `${url}/annulla`, { reason: 'x', version: String(after.version) }, { cookie })
  t.equal(short.statusCode, 400)
  t.same(brokenSummaryLinks(short.body), [], 'the reason’s error links to the reason')
  const cancelled = await form(app, `${url}/annulla`, { reason: 'Sciopero dei trasporti', version: String(after.version) }, { cookie })
  t.equal(cancelled.statusCode, 303)
  t.match(await app.forumDays.get(moderator.actor, day.id), { state: 'cancelled', cancelReason: 'Sciopero dei trasporti' })
  const list = await app.inject({ method: 'GET', url: String(cancelled.headers.location), headers: { ...PAGE, cookie } })
  t.match(list.body, 'La giornata è annullata')
  t.match(list.body, 'Annullata')
})

t.test('a rehearsal day’s questions are wiped, only with the confirmation', async (t) => {
  const { app, edition, cookie, moderator } = await desk(t)
  const day = await createForumDay(app, { editionId: edition.id, title: 'Prova generale', rehearsal: true })
  const clerk = await signIn(app, { role: 'staff' })
  await submitQuestion(app, clerk, day.id)
  await submitQuestion(app, clerk, day.id)
  const url = `/segreteria/giornate/${day.id}`
  const page = await app.inject({ method: 'GET', url, headers: { ...PAGE, cookie } })
  t.match(page.body, 'Cancella le domande di prova')
  const unconfirmed = await form(app, `${url}/svuota`, {}, { cookie })
  t.equal(unconfirmed.statusCode, 400)
  t.equal((await app.forumDays.get(moderator.actor, day.id)).counts.questions, 2, 'nothing wiped')
  const wiped = await form(app, `${url}/svuota`, { confirm: '1' }, { cookie })
  t.equal(wiped.statusCode, 303)
  t.equal((await app.forumDays.get(moderator.actor, day.id)).counts.questions, 0)
  const list = await app.inject({ method: 'GET', url: String(wiped.headers.location), headers: { ...PAGE, cookie } })
  t.match(list.body, 'Cancellate 2 domande della giornata di prova.')

  const real = await createForumDay(app, { editionId: edition.id })
  const refused = await form(app, `/segreteria/giornate/${real.id}/svuota`, { confirm: '1' }, { cookie })
  t.equal(refused.statusCode, 409, 'a real day is never wiped')
})

t.test('the days pages are the secretariat’s only', async (t) => {
  const { app, edition } = await desk(t)
  const expert = await signIn(app, { role: 'expert' })
  const cookie = `ft_session=${expert.token}`
  t.equal((await app.inject({ method: 'GET', url: '/segreteria/giornate', headers: { ...PAGE, cookie } })).statusCode, 403)
  t.equal((await form(app, '/segreteria/giornate', { ...DAY_FORM, editionId: edition.id }, { cookie })).statusCode, 403)
})
