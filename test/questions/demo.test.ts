import t from 'tap'
import { build, ManualClock } from '../helper.js'

t.test('the embedded demo has an edition, a closed, an open and an upcoming day, and questions in every state', async (t) => {
  const app = await build(t, { clock: new ManualClock(), env: { DEMO_DATA: 'true' } })
  const days = (await app.inject({ method: 'GET', url: '/api/v1/forum-days' })).json()
  t.same(days.map((d: { state: string }) => d.state), ['closed', 'open', 'upcoming'])
  t.ok(days[0].themes.length >= 2)
  const states = new Set((await app.ports.db.selectFrom('questions').select('state').execute()).map((r) => r.state))
  t.same([...states].sort(), ['answered', 'awaiting_clarification', 'claimed', 'closed', 'duplicate', 'rejected', 'submitted', 'withdrawn'])
})

t.test('every demo question closed as a duplicate points to an FAQ a visitor can open', async (t) => {
  const app = await build(t, { clock: new ManualClock(), env: { DEMO_DATA: 'true' } })
  const duplicates = await app.ports.db.selectFrom('questions').select('duplicateOfFaq').where('state', '=', 'duplicate').execute()
  t.ok(duplicates.length > 0)
  for (const { duplicateOfFaq } of duplicates) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/faqs/${duplicateOfFaq}` })
    t.equal(res.statusCode, 200, `${duplicateOfFaq} is published`)
  }
})
