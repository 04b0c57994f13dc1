import t from 'tap'
import { createTtlCache } from '../../src/shared/ttl-cache.js'

t.test('concurrent misses share one load; a load begun before a change is not kept', async (t) => {
  const cache = createTtlCache<number>(60_000)
  let loads = 0
  const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 5))
  t.same(await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]), [1, 1, 1])
  t.equal(await cache.get('k', load), 1, 'kept while fresh')
  cache.forget()
  const during = cache.get('k', load)
  cache.forget() // a change lands while the load runs
  t.equal(await during, 2)
  t.equal(await cache.get('k', load), 3, 'the load that raced the change was not kept')
  const failing = createTtlCache<number>(60_000)
  await t.rejects(failing.get('k', () => Promise.reject(new Error('database down'))))
  t.equal(await failing.get('k', async () => 7), 7, 'a failed load is not kept')
})

t.test('entries expire, and distinct keys never grow it past its bound', async (t) => {
  const expiring = createTtlCache<number>(0)
  let n = 0
  await expiring.get('k', async () => ++n)
  t.equal(await expiring.get('k', async () => ++n), 2, 'a zero ttl keeps nothing')
  const bounded = createTtlCache<string>(60_000, { maxKeys: 3 })
  for (const key of ['a', 'b', 'c', 'd']) await bounded.get(key, async () => key)
  let reloaded = false
  await bounded.get('a', async () => {
    reloaded = true
    return 'a'
  })
  t.ok(reloaded, 'the fourth key emptied the cache instead of growing it')
})
