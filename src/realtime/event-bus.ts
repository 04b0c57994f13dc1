/**
 * The EventBus port: tells this instance that new events may have been committed. It carries no
 * events (the log does), so a lost or doubled wake-up costs a read, never an event.
 */
export interface EventBus {
  start(onWake: () => void): Promise<void>
  stop(): Promise<void>
}
