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
 * A token bucket; `take()` says whether one more message may be handled now. A class, not a
 * closure: one per socket, so its methods are shared and it holds two numbers and two references.
 */
export class MessageBudget {
  private tokens: number
  private last: number

  constructor(
    private readonly rate: MessageRate,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = rate.burst
    this.last = now()
  }

  take(): boolean {
    const at = this.now()
    this.tokens = Math.min(this.rate.burst, this.tokens + ((at - this.last) / 1000) * this.rate.perSecond)
    this.last = at
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

export const messageBudget = (rate: MessageRate, now?: () => number) => new MessageBudget(rate, now)
