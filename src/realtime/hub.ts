import type { FastifyBaseLogger } from 'fastify'
import type { RawData, WebSocket } from 'ws'
import { isUser, type Actor } from '../accounts/actor.js'
import { DomainError } from '../shared/errors.js'
import { admits, authorizeChannel, type ChannelChecks } from './access.js'
import { createClientMessages } from './client-messages.js'
import { addTo, liveFrom, newConnection, removeFrom, type Connection } from './connection.js'
import { DEFAULT_MESSAGE_RATE, type MessageRate } from './message-budget.js'
import { CLOSE, type ClientMessage, type ServerMessage } from './messages.js'
import { createReplay } from './replay.js'
import type { RealtimeRepository, StoredEvent } from './repository.js'

export interface HubOptions {
  repo: RealtimeRepository
  checks: ChannelChecks
  /** Of these sessions, the ones still live (periodic re-check: expiry, idle timeout). */
  liveSessions: (sessionIds: string[]) => Promise<Set<string>>
  log: FastifyBaseLogger
  heartbeatMs: number
  /** A socket whose unsent data grows past this is closed with 4008 (resume elsewhere). */
  maxBufferedBytes: number
  maxChannelsPerConnection?: number
  /** Client messages past this rate are refused (RATE_LIMITED), and a client that goes on is closed. */
  messageRate?: MessageRate
  /** Client messages wait for this (the reader's start) before they are handled. */
  ready: Promise<void>
}

/** Send options of every frame: a Buffer sent as text. */
const TEXT = { binary: false } as const

/** Heartbeats ping one slice of the sockets (by connection id) at a time; see startHeartbeat. */
const HEARTBEAT_SLICES = 20

/**
 * Connections, their subscriptions, and fan-out. Each event is serialised once into a frame that
 * every recipient gets as is; the recipients are the union of the subscribers of the event's
 * channels whose actor one of the event's audiences admits.
 */
export function createHub({
  repo,
  checks,
  liveSessions,
  log,
  heartbeatMs,
  maxBufferedBytes,
  maxChannelsPerConnection = 100,
  messageRate = DEFAULT_MESSAGE_RATE,
  ready,
}: HubOptions) {
  /** By socket: the socket listeners below are shared by all sockets and find their connection here. */
  const connections = new Map<WebSocket, Connection>()
  const byChannel = new Map<string, Set<Connection>>()
  const byUser = new Map<string, Set<Connection>>()
  let position = 0
  let nextId = 0
  let heartbeat: NodeJS.Timeout | undefined

  const encode = (message: ServerMessage) => Buffer.from(JSON.stringify(message))

  function sendFrame(conn: Connection, frame: Buffer): void {
    if (conn.closed) return
    // A Buffer sent as text: ws frames it without copying or re-encoding, for every recipient alike.
    conn.socket.send(frame, TEXT)
    if (conn.socket.bufferedAmount > maxBufferedBytes) closeSlow(conn)
  }

  const send = (conn: Connection, message: ServerMessage) => sendFrame(conn, encode(message))

  function eventFrame(event: StoredEvent): Buffer {
    return encode({
      type: 'event',
      position: event.position,
      event: event.type,
      channels: event.channels,
      payload: event.payload,
      occurredAt: event.occurredAt.toISOString(),
    })
  }

  function detach(conn: Connection): void {
    if (!connections.delete(conn.socket)) return
    conn.closed = true
    for (const { channel } of conn.subscriptions) removeFrom(byChannel, channel, conn)
    if (isUser(conn.actor)) removeFrom(byUser, conn.actor.userId, conn)
    conn.pending = undefined
    conn.inbox = undefined
  }

  function close(conn: Connection, code: number, reason: string): void {
    if (conn.closed) return
    detach(conn)
    conn.socket.close(code, reason)
    // A client that does not read will never read our close frame either.
    setTimeout(() => conn.socket.terminate(), 5_000).unref()
  }

  /** Its unsent data passed the limit: the client reconnects and resumes with `since`. */
  const closeSlow = (conn: Connection) => close(conn, CLOSE.slowConsumer, 'slow consumer: reconnect and resume with since')

  const replay = createReplay({ repo, send, sendFrame, eventFrame, maxBufferedBytes, closeSlow })

  /** The hub's own reactions: a socket never outlives the right to see what it receives. */
  function enforceAccountChanges(event: StoredEvent): void {
    if (event.type !== 'account.sessions_revoked' && event.type !== 'account.access_changed') return
    // sessionId: only that session ended; keptSessionId: every session but that one (password change).
    const { userId, sessionId, keptSessionId } = event.payload as { userId?: string; sessionId?: string; keptSessionId?: string }
    if (!userId) return
    for (const conn of [...(byUser.get(userId) ?? [])]) {
      if (!isUser(conn.actor)) continue
      const session = conn.actor.sessionId
      if (event.type === 'account.access_changed') close(conn, CLOSE.accessChanged, 'access changed: reconnect')
      else if (sessionId ? session === sessionId : session !== keptSessionId) close(conn, CLOSE.sessionEnded, 'session ended')
    }
  }

  /** Live delivery of events from the reader, in position order. */
  function dispatch(events: StoredEvent[]): void {
    for (const event of events) {
      enforceAccountChanges(event)
      let frame: Buffer | undefined
      // A connection on several of the event's channels gets it once; one channel needs no bookkeeping.
      const seen = event.channels.length > 1 ? new Set<Connection>() : undefined
      // Anonymous sockets share one actor: the audience is checked once for a run of them.
      let checked: Actor | undefined
      let admitted = false
      for (const name of event.channels) {
        for (const conn of byChannel.get(name) ?? []) {
          if (seen) {
            if (seen.has(conn)) continue
            seen.add(conn)
          }
          if (conn.actor !== checked) {
            checked = conn.actor
            admitted = admits(checked, event.audience)
          }
          if (!admitted) continue
          frame ??= eventFrame(event)
          if (conn.pending) {
            conn.pending.push(frame)
            conn.pendingBytes += frame.length
            if (conn.pendingBytes > maxBufferedBytes) closeSlow(conn)
          } else {
            sendFrame(conn, frame)
          }
        }
      }
      position = event.position
    }
  }

  async function subscribe(conn: Connection, message: Extract<ClientMessage, { type: 'subscribe' }>): Promise<void> {
    const requested = [...new Set(message.channels)].filter((name) => liveFrom(conn.subscriptions, name) === undefined)
    const allowed: string[] = []
    for (const name of requested) {
      try {
        await authorizeChannel(conn.actor, name, checks)
        allowed.push(name)
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        send(conn, { type: 'error', id: message.id, code: err.code, message: err.message, channel: name })
      }
    }
    if (conn.closed) return
    if (conn.subscriptions.length + allowed.length > maxChannelsPerConnection) {
      send(conn, { type: 'error', id: message.id, code: 'TOO_MANY_CHANNELS', message: `At most ${maxChannelsPerConnection} channels per connection` })
      return
    }
    const before = conn.subscriptions
    const through = position
    // concat sizes the new list exactly (a spread grows it by pushing, with room to spare).
    conn.subscriptions = before.concat(allowed.map((channel) => ({ channel, liveFrom: through })))
    for (const name of allowed) addTo(byChannel, name, conn)
    const already = message.channels.filter((name) => liveFrom(before, name) !== undefined)
    send(conn, { type: 'subscribed', id: message.id, channels: [...already, ...allowed], position: through })
    if (message.since === undefined) return
    if (allowed.length === 0) {
      // Nothing new to replay; still close the exchange the client waits on.
      send(conn, { type: 'replayed', id: message.id, channels: [], position: through, count: 0 })
      return
    }

    await replay(conn, { id: message.id, channels: allowed, since: message.since, through, before })
  }

  function unsubscribe(conn: Connection, message: Extract<ClientMessage, { type: 'unsubscribe' }>): void {
    conn.subscriptions = conn.subscriptions.filter((s) => !message.channels.includes(s.channel))
    for (const name of message.channels) removeFrom(byChannel, name, conn)
    send(conn, { type: 'unsubscribed', id: message.id, channels: message.channels })
  }

  async function checkSessions(): Promise<void> {
    const signedIn = [...connections.values()].flatMap((conn) => (isUser(conn.actor) ? [{ conn, sessionId: conn.actor.sessionId }] : []))
    if (signedIn.length === 0) return
    const live = await liveSessions(signedIn.map((s) => s.sessionId))
    for (const { conn, sessionId } of signedIn) if (!live.has(sessionId)) close(conn, CLOSE.sessionEnded, 'session ended')
  }

  const { receive } = createClientMessages({
    messageRate,
    log,
    afterReady: ready.catch(() => undefined),
    send,
    close,
    position: () => position,
    subscribe,
    unsubscribe,
  })

  // One set of socket listeners for every socket (ws calls them with the socket as `this`): no
  // closures per connection.
  function onPong(this: WebSocket): void {
    const conn = connections.get(this)
    if (conn) conn.alive = true
  }
  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const conn = connections.get(this)
    if (conn) receive(conn, data, isBinary)
  }
  function onClose(this: WebSocket): void {
    const conn = connections.get(this)
    if (conn) detach(conn)
  }
  function onError(this: WebSocket, err: Error): void {
    const conn = connections.get(this)
    log.debug({ err, connection: conn?.id }, 'realtime socket error')
    if (conn) detach(conn)
  }

  return {
    get position() {
      return position
    },
    /** Where live delivery starts: set once from the reader before the first dispatch. */
    startAt(start: number) {
      position = start
    },
    dispatch,

    connect(socket: WebSocket, actor: Actor): void {
      const conn = newConnection(++nextId, socket, actor, messageRate)
      connections.set(socket, conn)
      if (isUser(actor)) addTo(byUser, actor.userId, conn)
      socket.on('pong', onPong)
      socket.on('message', onMessage)
      socket.on('close', onClose)
      socket.on('error', onError)
      // Once the reader knows where the log stands, so the position means something; before any answer.
      void ready
        .then(() =>
          send(conn, {
            type: 'welcome',
            position,
            user: isUser(actor) ? { id: actor.userId, role: actor.role, organizationId: actor.organizationId } : null,
            heartbeatMs,
          }),
        )
        .catch(() => close(conn, 1011, 'realtime unavailable'))
    },

    /**
     * Pings every socket once per `heartbeatMs`; one that did not answer the previous ping is cut.
     * Sessions are re-checked as often. The sockets are pinged in slices spread over the period,
     * not all at once: a ping costs a socket write like an event does, and 5,000 of them in one
     * turn delayed the fan-out of an event that came meanwhile by as much as a fan-out.
     */
    startHeartbeat(): void {
      let slice = 0
      heartbeat = setInterval(() => {
        for (const conn of connections.values()) {
          if (conn.id % HEARTBEAT_SLICES !== slice) continue
          if (!conn.alive) {
            detach(conn)
            conn.socket.terminate()
            continue
          }
          conn.alive = false
          conn.socket.ping()
        }
        if (slice === 0) checkSessions().catch((err: unknown) => log.warn({ err }, 'realtime session check failed'))
        slice = (slice + 1) % HEARTBEAT_SLICES
      }, heartbeatMs / HEARTBEAT_SLICES)
      heartbeat.unref()
    },
    checkSessions,

    /** Closes every socket with `code` (1001 at shutdown: clients resume elsewhere). */
    closeAll(code: number, reason: string): void {
      clearInterval(heartbeat)
      for (const conn of [...connections.values()]) close(conn, code, reason)
    },

    stats() {
      return { connections: connections.size, channels: byChannel.size, position }
    },
  }
}

export type Hub = ReturnType<typeof createHub>
