import type { Test } from 'tap'
import WebSocket from 'ws'
import type { App } from '../../src/app.js'

/** A server frame as the client sees it (see src/realtime/messages.ts). */
export type Frame = { type: string; [key: string]: unknown }
export type EventFrame = Frame & { type: 'event'; position: number; event: string; channels: string[]; payload: Record<string, unknown> }

/** The app's base URL once it listens on a free port of its own. */
export async function listening(app: App): Promise<string> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return address.replace(/^http/, 'ws')
}

/**
 * A `ws` client that keeps every frame it receives, in order, and lets a test wait for the next
 * one that matches. Closed when the test ends.
 */
export class Client {
  readonly frames: Frame[] = []
  closed: { code: number; reason: string } | undefined
  private waiters: Array<() => void> = []
  private read = 0

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse((data as Buffer).toString('utf8')) as Frame)
      this.notify()
    })
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) }
      this.notify()
    })
  }

  static async connect(t: Test, base: string, headers: Record<string, string> = {}): Promise<Client> {
    const socket = new WebSocket(`${base}/api/v1/ws`, { headers })
    const client = new Client(socket)
    t.teardown(() => socket.terminate())
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
    })
    await client.next((f) => f.type === 'welcome')
    return client
  }

  private notify(): void {
    for (const wake of this.waiters.splice(0)) wake()
  }

  /** Resolves at the next frame or close, or after `ms`. */
  private nextFrameOr(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      this.waiters.push(() => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  /** The next unread frame matching `match` (frames before it are consumed too). */
  async next(match: (frame: Frame) => boolean = () => true, timeoutMs = 5_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      while (this.read < this.frames.length) {
        const frame = this.frames[this.read++]!
        if (match(frame)) return frame
      }
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) while waiting`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`)
      await this.nextFrameOr(left)
    }
  }

  /** Waits until some frame, read or not, matches `match`; consumes nothing. */
  async received(match: (frame: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.frames.find(match)
      if (found) return found
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) while waiting`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms`)
      await this.nextFrameOr(left)
    }
  }

  /**
   * Subscribes and waits for the answer (and, with `since`, for the end of the replay, which for
   * thousands of events can take longer than a frame's usual wait on a busy machine).
   */
  async subscribe(channels: string[], since?: number, replayTimeoutMs = 5_000): Promise<Frame> {
    const id = `s${Math.random().toString(36).slice(2)}`
    this.send({ type: 'subscribe', channels, id, ...(since !== undefined && { since }) })
    const answer = await this.next((f) => f.id === id && (f.type === 'subscribed' || f.type === 'error'))
    if (since !== undefined && answer.type === 'subscribed') {
      return this.next((f) => f.id === id && (f.type === 'replayed' || f.type === 'resync_required'), replayTimeoutMs)
    }
    return answer
  }

  /**
   * Waits for the answer to a ping: frames the server sent before it have all arrived. Call after
   * `app.realtime.catchUp()` to assert what a client did (not) receive.
   */
  async settle(): Promise<void> {
    const id = `p${Math.random().toString(36).slice(2)}`
    this.send({ type: 'ping', id })
    const mark = this.read
    await this.next((f) => f.type === 'pong' && f.id === id)
    this.read = mark
  }

  /** Every event frame received so far. */
  events(): EventFrame[] {
    return this.frames.filter((f): f is EventFrame => f.type === 'event')
  }

  /** Waits until the socket is closed; its close code. */
  async closure(timeoutMs = 5_000): Promise<number> {
    const deadline = Date.now() + timeoutMs
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket still open')
      await this.nextFrameOr(50)
    }
    return this.closed.code
  }
}
