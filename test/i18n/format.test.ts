import t from 'tap'
import { formatDate, formatDateTime, romeDate } from '../../src/i18n/format.js'

t.test('dates are Rome\'s, on either side of midnight and of the clock change', async (t) => {
  t.equal(romeDate(new Date('2026-12-02T22:59:00Z')), '2026-12-02')
  t.equal(romeDate(new Date('2026-12-02T23:00:00Z')), '2026-12-03', 'midnight in Rome is 23:00 UTC in winter')
  t.equal(romeDate('2026-07-01T22:00:00Z'), '2026-07-02', 'and 22:00 UTC in summer')
  t.equal(formatDate('2017-11-24'), '24 novembre 2017', 'a calendar date is that day')
  t.equal(formatDateTime(new Date('2026-03-02T09:00:00Z')), 'lunedì 2 marzo 2026, ore 10:00')
})
