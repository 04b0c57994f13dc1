import { isIPv6 } from 'node:net'

/**
 * Login throttling that slows guessing without locking the owner out.
 *
 * Three counters, each forgotten a window after its last failure:
 * - per account and address: a few free failures, then each attempt waits twice as long as the
 *   one before (1 s, 2 s, 4 s, ... up to the window). Only this pair is slowed, so someone
 *   guessing from elsewhere never refuses the owner's correct password at their usual address;
 * - per account from addresses that never signed in to it: a larger free allowance, then the
 *   same growing wait, against guessing spread over many addresses;
 * - per address: past its limit, the address gets no free failures on any account (the wait
 *   starts at the first mistake), but a correct password is still accepted. A whole comune
 *   behind one NAT keeps signing in on the morning a forum day opens.
 */

export interface ThrottleLimits {
  /** Free failures per account and address. */
  perAccountAndAddress: number
  /** Free failures per account from addresses that never signed in to it. */
  perAccountFromNewAddresses: number
  /** Failures per address, across accounts, before its free failures are withdrawn. */
  perAddress: number
  /** Counters are forgotten this long after their last failure; also the longest wait. */
  windowMs: number
}

export interface ThrottleCounter {
  key: string
  failures: number
  lastFailedAt: Date
}

export interface ThrottleKeys {
  pair: string
  account: string
  address: string | null
}

/**
 * The address a limit applies to: IPv6 clients commonly own a whole /64, so they are grouped by
 * it; otherwise one host could rotate through addresses for fresh allowances.
 */
export function addressGroup(ip: string): string {
  if (!isIPv6(ip) || /^::ffff:\d/i.test(ip)) return ip.replace(/^::ffff:/i, '')
  const [head = '', tail = ''] = ip.toLowerCase().split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const full = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left
  return `${full
    .slice(0, 4)
    .map((part) => part.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

export function throttleKeys(email: string, ip: string | null): ThrottleKeys {
  const group = ip === null ? 'unknown' : addressGroup(ip)
  return { pair: pairKey(email, group), account: `account:${email}`, address: ip === null ? null : `address:${group}` }
}

/** Every pair key of an account starts with this: a password reset clears them all. */
export const pairKeyPrefix = (email: string) => `pair:${email} `
const pairKey = (email: string, group: string) => `${pairKeyPrefix(email)}${group}`

/** The wait after `failures` failures when the first `free` - 1 cost nothing: 0, then 1 s, 2 s, 4 s, ... */
export function waitAfter(failures: number, free: number, maxMs: number): number {
  if (failures < free) return 0
  return Math.min(maxMs, 1000 * 2 ** Math.min(failures - free, 30))
}

/**
 * How long this attempt must still wait, in whole seconds, and the counter that imposes it; none
 * when the attempt may go ahead. `knownAddress`: the account has signed in from this address.
 */
export function pendingWait(
  counters: ThrottleCounter[],
  keys: ThrottleKeys,
  knownAddress: boolean,
  limits: ThrottleLimits,
  now: Date,
): { key: string; retryAfterSeconds: number } | undefined {
  const live = new Map(counters.filter((c) => now.getTime() - c.lastFailedAt.getTime() < limits.windowMs).map((c) => [c.key, c]))
  const addressOverLimit = keys.address !== null && (live.get(keys.address)?.failures ?? 0) >= limits.perAddress
  const rules: [string, number][] = [[keys.pair, addressOverLimit ? 1 : limits.perAccountAndAddress]]
  if (!knownAddress) rules.push([keys.account, limits.perAccountFromNewAddresses])
  let longest: { key: string; retryAfterSeconds: number } | undefined
  for (const [key, free] of rules) {
    const counter = live.get(key)
    if (!counter) continue
    const remaining = counter.lastFailedAt.getTime() + waitAfter(counter.failures, free, limits.windowMs) - now.getTime()
    if (remaining > 0 && (!longest || remaining > longest.retryAfterSeconds * 1000)) {
      longest = { key, retryAfterSeconds: Math.ceil(remaining / 1000) }
    }
  }
  return longest
}
