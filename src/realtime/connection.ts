import type { RawData, WebSocket } from 'ws'
import type { Actor } from '../accounts/actor.js'
import { fullBudget, type MessageBudget, type MessageRate } from './message-budget.js'

/** A channel, and the hub position it went live at: later events are sent live, earlier ones only by replay. */
export interface Subscription {
  channel: string
  liveFrom: number
}

/** A client message waiting its turn; null: a binary frame (refused when its turn comes). */
export type Inbound = RawData | null

/**
 * One per socket, so thousands at a peak: plain fields, and nothing allocated while the socket
 * is idle (no Map per connection, no settled promise, no closures).
 */
export interface Connection extends MessageBudget {
  id: number
  socket: WebSocket
  actor: Actor
  /** Replaced, never changed in place: a replay compares against the list it started from. */
  subscriptions: readonly Subscription[]
  /** While a replay runs, live frames wait here so the client sees positions in order. */
  pending: Buffer[] | undefined
  pendingBytes: number
  alive: boolean
  closed: boolean
  /** Client messages not handled yet, handled one at a time in order; undefined when idle. */
  inbox: Inbound[] | undefined
  /** Messages refused in a row since the last one handled. */
  refused: number
}

/** Shared by every connection that has not subscribed yet. */
export const NO_SUBSCRIPTIONS: readonly Subscription[] = Object.freeze([])

export const liveFrom = (subscriptions: readonly Subscription[], channel: string) => subscriptions.find((s) => s.channel === channel)?.liveFrom

/** Milliseconds of a monotonic clock, whole: the message budgets count in them. */
export const monotonicMs = () => Math.floor(performance.now())

/** Adds `conn` to the set at `key`, making the set if needed. */
export function addTo<K>(index: Map<K, Set<Connection>>, key: K, conn: Connection): void {
  let set = index.get(key)
  if (!set) index.set(key, (set = new Set()))
  set.add(conn)
}

/** Removes `conn` from the set at `key`, dropping the set once empty. */
export function removeFrom<K>(index: Map<K, Set<Connection>>, key: K, conn: Connection): void {
  const set = index.get(key)
  set?.delete(conn)
  if (set?.size === 0) index.delete(key)
}

/** A new socket's record: no subscriptions yet, a full message budget. */
export function newConnection(id: number, socket: WebSocket, actor: Actor, messageRate: MessageRate): Connection {
  const { credit, creditAt } = fullBudget(messageRate, monotonicMs())
  return {
    id,
    socket,
    actor,
    subscriptions: NO_SUBSCRIPTIONS,
    pending: undefined,
    pendingBytes: 0,
    alive: true,
    closed: false,
    inbox: undefined,
    credit,
    creditAt,
    refused: 0,
  }
}
