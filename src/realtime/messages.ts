import { z } from 'zod'

/**
 * The WebSocket protocol, both directions. Every frame is one JSON object with a `type`; the
 * README's "Realtime" section documents the same shapes with examples.
 */

const channelName = z.string().min(1).max(100)

/** Client to server. */
export const ClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('subscribe'),
    channels: z.array(channelName).min(1).max(50),
    /** The last position the client processed: events after it on these channels are replayed first. */
    since: z.number().int().min(0).optional(),
    /** Echoed in the answer, so the client can match it. */
    id: z.string().max(100).optional(),
  }),
  z.object({ type: z.literal('unsubscribe'), channels: z.array(channelName).min(1).max(50), id: z.string().max(100).optional() }),
  z.object({ type: z.literal('ping'), id: z.string().max(100).optional() }),
])
export type ClientMessage = z.infer<typeof ClientMessage>

/** Server to client. */
export type ServerMessage =
  | {
      type: 'welcome'
      /** Everything up to here has been delivered to live subscribers on this instance. */
      position: number
      user: { id: string; role: string; organizationId: string | null } | null
      heartbeatMs: number
    }
  | { type: 'subscribed'; id?: string; channels: string[]; position: number }
  | { type: 'unsubscribed'; id?: string; channels: string[] }
  | { type: 'event'; position: number; event: string; channels: string[]; payload: Record<string, unknown>; occurredAt: string }
  /** After a replay: the events up to `position` have been sent; what follows is live. */
  | { type: 'replayed'; id?: string; channels: string[]; position: number; count: number }
  /** `since` is older than the retained log: reload state over HTTP, then subscribe without `since`. */
  | { type: 'resync_required'; id?: string; channels: string[]; since: number; oldestAvailable: number; position: number }
  | { type: 'error'; id?: string; code: string; message: string; channel?: string; issues?: Array<{ path: string; message: string }> }
  | { type: 'pong'; id?: string; position: number }

/** Close codes the client acts on. 4xxx are ours (RFC 6455 leaves 4000-4999 to applications). */
export const CLOSE = {
  /** Server restarting: reconnect (elsewhere) and resume with `since`. */
  goingAway: 1001,
  /** The session ended (logout, deactivation, expiry): sign in again before reconnecting. */
  sessionEnded: 4001,
  /** The account's role or organization changed: reconnect to get the new rights. */
  accessChanged: 4003,
  /** The client read too slowly and its send buffer grew past the limit: reconnect and resume with `since`. */
  slowConsumer: 4008,
  /** The client kept sending past its message budget after a RATE_LIMITED error: slow down, then reconnect. */
  tooManyMessages: 4029,
} as const
