import { admits } from './access.js'
import { liveFrom, type Connection, type Subscription } from './connection.js'
import type { ServerMessage } from './messages.js'
import type { RealtimeRepository, StoredEvent } from './repository.js'

const REPLAY_PAGE = 200
/** How often a paused replay looks whether its socket drained. */
const DRAIN_POLL_MS = 10
/** A replay whose socket does not drain for this long is a slow consumer's: closed, to resume later. */
const DRAIN_TIMEOUT_MS = 10_000

export interface ReplayOptions {
  repo: RealtimeRepository
  send: (conn: Connection, message: ServerMessage) => void
  sendFrame: (conn: Connection, frame: Buffer) => void
  eventFrame: (event: StoredEvent) => Buffer
  /** The hub's slow-consumer limit (sendFrame closes a socket whose unsent data passes it). */
  maxBufferedBytes: number
  closeSlow: (conn: Connection) => void
}

/** What a replay covers: new channels from `since` to `through`, the hub position they went live at. */
export interface ReplayRequest {
  id: string | undefined
  channels: string[]
  since: number
  through: number
  /** The connection's subscriptions before these channels: what it already had live. */
  before: readonly Subscription[]
}

/** Was this event already sent live on one of the connection's earlier subscriptions? */
function sentLive(before: readonly Subscription[], event: StoredEvent): boolean {
  return event.channels.some((name) => {
    const from = liveFrom(before, name)
    return from !== undefined && event.position > from
  })
}

/**
 * The events a client missed on channels it just subscribed to, page by page from the event log.
 * Live frames of the connection wait meanwhile (`pending`) and follow the replay, so the client
 * sees positions in order with none twice.
 */
export function createReplay({ repo, send, sendFrame, eventFrame, maxBufferedBytes, closeSlow }: ReplayOptions) {
  /**
   * A replay sends as fast as the event log reads, far faster than a network carries: past half
   * the limit it waits for the socket to drain, so that the replay itself never makes a client
   * that reads a slow consumer. One that reads nothing for DRAIN_TIMEOUT_MS is closed.
   */
  async function drained(conn: Connection): Promise<void> {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS
    while (!conn.closed && conn.socket.bufferedAmount > maxBufferedBytes / 2) {
      if (Date.now() > deadline) return closeSlow(conn)
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS))
    }
  }

  return async function replay(conn: Connection, { id, channels, since, through, before }: ReplayRequest): Promise<void> {
    conn.pending = []
    try {
      const oldest = await repo.prunedThrough()
      if (since < oldest) {
        send(conn, { type: 'resync_required', id, channels, since, oldestAvailable: oldest + 1, position: through })
        return
      }
      let after = since
      let count = 0
      while (!conn.closed) {
        const page = await repo.replay(after, through, channels, REPLAY_PAGE)
        for (const event of page) {
          if (!sentLive(before, event) && admits(conn.actor, event.audience)) {
            if (conn.socket.bufferedAmount > maxBufferedBytes / 2) await drained(conn)
            if (conn.closed) return
            sendFrame(conn, eventFrame(event))
            count++
          }
        }
        if (page.length < REPLAY_PAGE) break
        after = page[page.length - 1]!.position
        await new Promise((resolve) => setImmediate(resolve))
      }
      send(conn, { type: 'replayed', id, channels, position: through, count })
    } finally {
      // Then live, from exactly where the replay stopped.
      const waiting = conn.pending ?? []
      conn.pending = undefined
      conn.pendingBytes = 0
      for (const frame of waiting) sendFrame(conn, frame)
    }
  }
}
