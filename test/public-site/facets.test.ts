import t from 'tap'
import { mostCommon } from '../../src/public-site/faq-search.js'

const italian = new Intl.Collator('it')
const fullSort = (entries: Array<[string, number]>, k: number) => [...entries].sort((a, b) => b[1] - a[1] || italian.compare(a[0], b[0])).slice(0, k)

t.test('a facet shows its commonest values, ties in Italian alphabetical order', async (t) => {
  const tags: Array<[string, number]> = [['zona rossa', 1], ['MSNA', 3], ['àncora', 1], ['anagrafe', 1], ['Residenza', 2], ['era', 1], ['éra', 1], ['asilo', 3]]
  t.same(mostCommon(tags, 5), [['asilo', 3], ['MSNA', 3], ['Residenza', 2], ['anagrafe', 1], ['àncora', 1]])
  t.same(mostCommon(tags, 20), fullSort(tags, 20), 'fewer values than shown: all of them')
})

t.test('whatever the values, the same as sorting them all would give', async (t) => {
  // A fixed pseudo-random sequence: the cases are the same at every run.
  let seed = 7
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647
  const names = ['àncora', 'Ancona', 'zeta', 'éra', 'era', 'MSNA', 'msna', 'b', 'B', 'cittadinanza', 'Cittadinanza', 'd', 'e', 'f', 'SAI', 'sai', 'l', 'm']
  for (let round = 0; round < 500; round++) {
    const entries: Array<[string, number]> = names.filter(() => next() < 0.6).map((name) => [name, 1 + Math.floor(next() * 3)])
    const k = 1 + Math.floor(next() * 14)
    if (JSON.stringify(mostCommon(entries, k)) !== JSON.stringify(fullSort(entries, k))) t.fail(`differs for ${JSON.stringify(entries)}, k = ${k}`)
  }
  t.pass('500 cases agree')
})
