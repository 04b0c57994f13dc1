import t from 'tap'
import { fullBudget, takeMessage } from '../../src/realtime/message-budget.js'

t.test('a burst is allowed at once, then messages at the refill rate', async (t) => {
  const rate = { perSecond: 10, burst: 3 }
  let now = 0
  const budget = fullBudget(rate, now)
  const take = () => takeMessage(budget, rate, now)
  t.same([take(), take(), take(), take()], [true, true, true, false])
  now += 100
  t.equal(take(), true, 'a tenth of a second later: one more')
  t.equal(take(), false)
  now += 60_000
  t.same([take(), take(), take(), take()], [true, true, true, false], 'a long pause refills the burst, no more')
})

t.test('a clock that steps back refills nothing and takes nothing extra', async (t) => {
  const rate = { perSecond: 10, burst: 2 }
  const budget = fullBudget(rate, 1_000)
  t.same([takeMessage(budget, rate, 1_000), takeMessage(budget, rate, 1_000)], [true, true])
  t.equal(takeMessage(budget, rate, 500), false, 'earlier than the last count: still empty')
  t.equal(takeMessage(budget, rate, 600), true, 'counted from the earlier time on: 100 ms refill one')
})
