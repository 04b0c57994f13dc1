import t from 'tap'
import { createEdition, createForumDay, moderatorOf } from '../factories/forum.js'
import { build, ManualClock } from '../helper.js'
import { createListCache } from '../../src/forum-days/list-cache.js'

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

t.test('list cache: concurrent misses share one load; a load begun before a change is not kept', async (t) => {
  const cache = createListCache<number>(60_000)
  let loads = 0
  const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 5))
  t.same(await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]), [1, 1, 1])
  t.equal(await cache.get('k', load), 1, 'kept while fresh')
  cache.forget()
  const during = cache.get('k', load)
  cache.forget() // a change lands while the load runs
  t.equal(await during, 2)
  t.equal(await cache.get('k', load), 3, 'the load that raced the change was not kept')
  const failing = createListCache<number>(60_000)
  await t.rejects(failing.get('k', () => Promise.reject(new Error('database down'))))
  t.equal(await failing.get('k', async () => 7), 7, 'a failed load is not kept')
})

t.test('list cache: entries expire, and distinct keys never grow it past its bound', async (t) => {
  const expiring = createListCache<number>(0)
  let n = 0
  await expiring.get('k', async () => ++n)
  t.equal(await expiring.get('k', async () => ++n), 2, 'a zero ttl keeps nothing')
  const bounded = createListCache<string>(60_000, { maxKeys: 3 })
  for (const key of ['a', 'b', 'c', 'd']) await bounded.get(key, async () => key)
  let reloaded = false
  await bounded.get('a', async () => {
    reloaded = true
    return 'a'
  })
  t.ok(reloaded, 'the fourth key emptied the cache instead of growing it')
})
