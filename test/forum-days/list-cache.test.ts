import t from 'tap'
import { ANONYMOUS } from '../../src/accounts/actor.js'
import { createEdition, createForumDay, moderatorOf } from '../factories/forum.js'
import { build, ManualClock } from '../helper.js'

type App = Awaited<ReturnType<typeof build>>
const HOUR = 3_600_000

const listed = async (app: App) => (await app.inject({ method: 'GET', url: '/api/v1/forum-days' })).json<Array<{ id: string; title: string; state: string; editionName: string }>>()

t.test('the forum-day list served from its cache still opens and closes days on the clock', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock })
  const day = await createForumDay(app, { opensAt: new Date(clock.now().getTime() + HOUR), closesAt: new Date(clock.now().getTime() + 2 * HOUR) })
  t.equal((await listed(app)).find((d) => d.id === day.id)?.state, 'upcoming')
  clock.advance(HOUR) // no write in between: the cached rows are reused, the state is not
  t.equal((await listed(app)).find((d) => d.id === day.id)?.state, 'open')
  const open = await app.inject({ method: 'GET', url: '/api/v1/forum-days?state=open' })
  t.ok(open.json().some((d: { id: string }) => d.id === day.id), 'the state filter applies to the cached rows too')
  clock.advance(HOUR)
  t.equal((await listed(app)).find((d) => d.id === day.id)?.state, 'closed')
})

t.test('a change to a day or its edition shows in the next list, cached or not', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  const moderator = await moderatorOf(app)
  const edition = await createEdition(app)
  const day = await createForumDay(app, { editionId: edition.id })
  await listed(app) // cached now
  const edited = await app.forumDays.update(moderator.actor, day.id, { title: 'Giornata rinominata' }, day.version)
  t.equal((await listed(app)).find((d) => d.id === day.id)?.title, 'Giornata rinominata')
  await app.forumDays.updateEdition(moderator.actor, edition.id, { name: 'Edizione rinominata' }, edition.version)
  t.equal((await listed(app)).find((d) => d.id === day.id)?.editionName, 'Edizione rinominata')
  await app.forumDays.cancel(moderator.actor, day.id, 'Sciopero', edited.version)
  t.equal((await listed(app)).find((d) => d.id === day.id)?.state, 'cancelled')
  const created = await createForumDay(app, { editionId: edition.id })
  t.ok((await listed(app)).some((d) => d.id === created.id), 'a new day is listed at once')
})

t.test('a new or renamed theme shows at once wherever the theme vocabulary is read (cached for searches)', async (t) => {
  const app = await build(t)
  const themes = async () => (await app.inject({ method: 'GET', url: '/api/v1/faq-themes' })).json<Array<{ code: string; label: string }>>()
  await themes() // cached now
  const edition = await createEdition(app, { themes: [{ code: 'tema-nuovo', label: 'Tema nuovo' }] })
  t.ok((await themes()).some((theme) => theme.code === 'tema-nuovo'), 'a new edition brings its themes')
  const moderator = await moderatorOf(app)
  await app.forumDays.updateEdition(moderator.actor, edition.id, { themes: [{ code: 'tema-nuovo', label: 'Tema rinominato' }] }, edition.version)
  t.equal((await themes()).find((theme) => theme.code === 'tema-nuovo')?.label, 'Tema rinominato')
})

t.test('the API sends the list made once as JSON: same content as the service, and a caller cannot spoil it', async (t) => {
  const app = await build(t, { clock: new ManualClock() })
  await createForumDay(app)
  await createForumDay(app)
  const fromService = await app.forumDays.list(ANONYMOUS, {})
  t.equal(fromService.length, 2)
  const expected = structuredClone(fromService)
  // A page that reorders or trims its copy changes nothing for the next reader.
  fromService.reverse().pop()
  const res = await app.inject({ method: 'GET', url: '/api/v1/forum-days' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(res.json(), expected)
  t.same(await app.forumDays.list(ANONYMOUS, {}), expected)
})
