/**
 * How many client messages one socket may send: `burst` at once, refilled at `perSecond`. Without
 * it a client could queue replays and parsing faster than the server works them off.
 */
export interface MessageRate {
  perSecond: number
  burst: number
}

export const DEFAULT_MESSAGE_RATE: MessageRate = { perSecond: 10, burst: 30 }

/**
 * A token bucket's state, kept in the connection record itself: what is left, in thousandths of
 * a message, and when it was last counted (ms of a monotonic clock). Whole numbers, so V8 keeps
 * them as small integers in the record rather than in a boxed double each (thousands of sockets).
 */
export interface MessageBudget {
  credit: number
  creditAt: number
}

const MILLI = 1000

/** A full budget, counted at `now`. */
export const fullBudget = (rate: MessageRate, now: number): MessageBudget => ({ credit: rate.burst * MILLI, creditAt: now })

/** Whether one more message may be handled at `now`; takes it from the budget if so. */
export function takeMessage(budget: MessageBudget, rate: MessageRate, now: number): boolean {
  // ms × messages per second = thousandths of a message.
  budget.credit = Math.min(rate.burst * MILLI, budget.credit + Math.max(0, now - budget.creditAt) * rate.perSecond)
  budget.creditAt = now
  if (budget.credit < MILLI) return false
  budget.credit -= MILLI
  return true
}
