/**
 * What the WebSocket benchmark's processes say to each other over IPC, and the few things they
 * must agree on (clock, event name). The parent drives; each child answers commands.
 */

import type { RawData } from 'ws'

/** A command table: name -> its arguments and its answer (`C` is the table itself). */
export type Commands<C> = { [K in keyof C]: { args: unknown; result: unknown } }

/**
 * Wall-clock milliseconds with sub-millisecond resolution. Every process derives it the same way
 * (its own timeOrigin is the wall clock at its start), so a timestamp taken in the server child
 * can be subtracted from one taken in the clients child on this machine. Date.now() would do too,
 * but its 1 ms steps are coarse next to sub-millisecond deliveries.
 */
export const epochNow = (): number => performance.timeOrigin + performance.now()

/** The event type of benchmark ticks; its payload is a TickPayload. */
export const TICK = 'bench.tick'

/** A text frame's content, however `ws` handed it over. */
export const frameText = (data: RawData): string =>
  (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8')

export interface TickPayload {
  /** epochNow() in the server child just before the event was committed / broadcast. */
  sentAt: number
  seq: number
}

export interface MemorySample {
  rss: number
  heapUsed: number
  /** Sockets the server holds right now (sanity check for the per-connection division). */
  connections: number
}

/** Both server children (the real app and the bare `ws` server) answer the same commands. */
export interface ServerCommands {
  /** Starts listening on 127.0.0.1, on a free port (the app reads its configuration from the environment). */
  start: { args: Record<string, never>; result: { url: string; channel: string; label: string } }
  /** After a full GC (the child runs with --expose-gc), once RSS holds still: see memory.ts. */
  memory: { args: Record<string, never>; result: MemorySample }
  /** Sends one tick to every subscriber of the channel (the app: commits it to the event log). */
  emit: { args: { seq: number }; result: { sentAt: number } }
  stop: { args: Record<string, never>; result: null }
}

export interface ClientCommands {
  /** Opens `count` more sockets, `batch` at a time, each subscribed to `channel`; `connected`: all so far. */
  connect: { args: { url: string; channel: string; count: number; batch: number }; result: { connected: number; seconds: number } }
  /** Resolves when every socket has received tick `seq`, or after `timeoutMs`. */
  await: { args: { seq: number; timeoutMs: number }; result: { received: number } }
  /** Latency (receive time − sentAt, ms) of every delivery, per tick; `closed`: sockets lost meanwhile. */
  results: { args: Record<string, never>; result: { ticks: Array<{ seq: number; latencies: number[] }>; closed: number } }
  stop: { args: Record<string, never>; result: null }
}
