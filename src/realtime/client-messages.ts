import type { FastifyBaseLogger } from 'fastify'
import type { RawData } from 'ws'
import { takeMessage, type MessageRate } from './message-budget.js'
import { CLOSE, ClientMessage, type ServerMessage } from './messages.js'
import { monotonicMs, type Connection, type Inbound } from './connection.js'

type Subscribe = Extract<ClientMessage, { type: 'subscribe' }>
type Unsubscribe = Extract<ClientMessage, { type: 'unsubscribe' }>

export interface ClientMessagesOptions {
  messageRate: MessageRate
  log: FastifyBaseLogger
  /** Messages wait for this (the reader's start), and so come after the welcome. */
  afterReady: Promise<unknown>
  send: (conn: Connection, message: ServerMessage) => void
  close: (conn: Connection, code: number, reason: string) => void
  /** The hub's position now, for pongs. */
  position: () => number
  subscribe: (conn: Connection, message: Subscribe) => Promise<void>
  unsubscribe: (conn: Connection, message: Unsubscribe) => void
}

/**
 * What a client says to the hub: within its message budget, checked against the protocol, and
 * handled one at a time in the order sent (a subscribe's replay finishes before the next message).
 */
export function createClientMessages({ messageRate, log, afterReady, send, close, position, subscribe, unsubscribe }: ClientMessagesOptions) {
  async function handle(conn: Connection, data: Inbound): Promise<void> {
    let parsed: unknown
    try {
      if (data === null) throw new Error('binary')
      parsed = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'))
    } catch {
      send(conn, { type: 'error', code: 'INVALID_MESSAGE', message: 'Send one JSON object per text frame' })
      return
    }
    const result = ClientMessage.safeParse(parsed)
    if (!result.success) {
      const id = typeof parsed === 'object' && parsed && 'id' in parsed && typeof parsed.id === 'string' ? parsed.id : undefined
      send(conn, {
        type: 'error',
        id,
        code: 'INVALID_MESSAGE',
        message: 'The message does not match the protocol: see issues',
        issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      })
      return
    }
    const message = result.data
    if (message.type === 'ping') send(conn, { type: 'pong', id: message.id, position: position() })
    else if (message.type === 'unsubscribe') unsubscribe(conn, message)
    else await subscribe(conn, message)
  }

  /** Handles the inbox in order, until it is empty (then the connection is idle again) or closed. */
  async function work(conn: Connection, inbox: Inbound[]): Promise<void> {
    await afterReady
    for (let message = inbox.shift(); message !== undefined && !conn.closed; message = inbox.shift()) {
      try {
        await handle(conn, message)
      } catch (err) {
        log.error({ err, connection: conn.id }, 'realtime message failed')
        send(conn, { type: 'error', code: 'INTERNAL', message: 'The server could not handle this message; try again' })
      }
    }
    if (conn.inbox === inbox) conn.inbox = undefined
  }

  /** Queues a client message within the connection's budget; past it, one error, then a close. */
  function receive(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.closed) return
    if (!takeMessage(conn, messageRate, monotonicMs())) {
      conn.refused += 1
      if (conn.refused === 1) {
        const { perSecond, burst } = messageRate
        send(conn, { type: 'error', code: 'RATE_LIMITED', message: `Too many messages (at most ${burst} at once, then ${perSecond} a second): this one and any more until then are not handled` })
      } else if (conn.refused > messageRate.burst) close(conn, CLOSE.tooManyMessages, 'too many messages')
      return
    }
    conn.refused = 0
    const message = isBinary ? null : data
    if (conn.inbox) conn.inbox.push(message)
    else void work(conn, (conn.inbox = [message]))
  }

  return { receive }
}
