/** The Clock port: every "now" in the domain comes from here, so tests can drive time. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
