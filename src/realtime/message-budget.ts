/**
 * How many client messages one socket may send: `burst` at once, refilled at `perSecond`. Without
 * it a client could queue replays and parsing faster than the server works them off.
 */
export interface MessageRate {
  perSecond: number
  burst: number
}

export const DEFAULT_MESSAGE_RATE: MessageRate = { perSecond: 10, burst: 30 }

/** A token bucket; `take()` says whether one more message may be handled now. */
export function messageBudget({ perSecond, burst }: MessageRate, now: () => number = Date.now) {
  let tokens = burst
  let last = now()
  return {
    take(): boolean {
      const at = now()
      tokens = Math.min(burst, tokens + ((at - last) / 1000) * perSecond)
      last = at
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
  }
}
