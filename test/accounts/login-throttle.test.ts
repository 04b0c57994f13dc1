import t from 'tap'
import { addressGroup, pendingWait, throttleKeys, waitAfter, type ThrottleLimits } from '../../src/accounts/login-throttle.js'

const limits: ThrottleLimits = { perAccountAndAddress: 5, perAccountFromNewAddresses: 20, perAddress: 50, windowMs: 15 * 60_000 }
const now = new Date('2026-12-01T09:00:00Z')
const ago = (ms: number) => new Date(now.getTime() - ms)

t.test('IPv6 addresses are grouped by their /64, IPv4 ones stand alone', async (t) => {
  t.equal(addressGroup('2001:db8:1:2::1'), '2001:db8:1:2::/64')
  t.equal(addressGroup('2001:0db8:0001:0002:ffff:0:0:9'), '2001:db8:1:2::/64')
  t.equal(addressGroup('2001:db8::1'), '2001:db8:0:0::/64')
  t.equal(addressGroup('::1'), '0:0:0:0::/64')
  t.equal(addressGroup('::ffff:192.0.2.1'), '192.0.2.1', 'IPv4-mapped is the IPv4 address')
  t.equal(addressGroup('192.0.2.1'), '192.0.2.1')
})

t.test('waits double after the free failures and stop at the cap', async (t) => {
  t.same([4, 5, 6, 7, 8].map((f) => waitAfter(f, 5, 60_000)), [0, 1000, 2000, 4000, 8000])
  t.equal(waitAfter(40, 5, 60_000), 60_000)
  t.equal(waitAfter(1, 1, 60_000), 1000, 'with one, the first mistake already costs a second')
})

t.test('the account counter only slows addresses the account never signed in from', async (t) => {
  const keys = throttleKeys('a@b.example', '192.0.2.1')
  const counters = [{ key: keys.account, failures: 20, lastFailedAt: ago(100) }]
  t.same(pendingWait(counters, keys, false, limits, now), { key: keys.account, retryAfterSeconds: 1 })
  t.equal(pendingWait(counters, keys, true, limits, now), undefined)
})

t.test('a counter older than the window is forgotten', async (t) => {
  const keys = throttleKeys('a@b.example', '192.0.2.1')
  t.equal(pendingWait([{ key: keys.pair, failures: 30, lastFailedAt: ago(limits.windowMs) }], keys, true, limits, now), undefined)
  t.ok(pendingWait([{ key: keys.pair, failures: 30, lastFailedAt: ago(limits.windowMs - 1000) }], keys, true, limits, now))
})
