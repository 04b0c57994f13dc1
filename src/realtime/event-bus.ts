/**
 * The EventBus port: tells this instance that new events may have been committed, and tells the
 * other instances when this one committed some. It carries no events (the log does), so a lost
 * or doubled wake-up costs a read (or a poll interval), never an event.
 */
export interface EventBus {
  start(onWake: () => void): Promise<void>
  /** This instance committed events: wake the others. Coalesced; sent after the commit, never in it. */
  announce(): void
  stop(): Promise<void>
}
