import t from 'tap'
import { messageBudget } from '../../src/realtime/message-budget.js'

t.test('a burst is allowed at once, then messages at the refill rate', async (t) => {
  let now = 0
  const budget = messageBudget({ perSecond: 10, burst: 3 }, () => now)
  t.same([budget.take(), budget.take(), budget.take(), budget.take()], [true, true, true, false])
  now += 100
  t.equal(budget.take(), true, 'a tenth of a second later: one more')
  t.equal(budget.take(), false)
  now += 60_000
  t.same([budget.take(), budget.take(), budget.take(), budget.take()], [true, true, true, false], 'a long pause refills the burst, no more')
})
