/**
 * Child process: the audience. Opens the sockets (anonymous, no headers), subscribes each to the
 * forum day's channel as a browser would, and stamps every tick the moment its frame is handed to
 * us, before parsing. One process for all sockets, separate from the server's: the receive
 * times therefore include this process working through thousands of frames, the same for both
 * servers.
 */
import WebSocket from 'ws'
import { serve } from './ipc.js'
import { epochNow, frameText, TICK, type ClientCommands, type TickPayload } from './protocol.js'

/** The server frames this client looks at (the rest of the protocol is ignored). */
type Frame =
  | { type: 'welcome' }
  | { type: 'subscribed'; id?: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'event'; event: string; payload: unknown }

const OPEN_TIMEOUT_MS = 60_000

const sockets: WebSocket[] = []
/** seq -> latency of each delivery so far (ms). */
const ticks = new Map<number, number[]>()
/** seq -> wakes the pending `await` command once every socket has the tick. */
const waiters = new Map<number, () => void>()
/** Sockets attempted so far: subscription ids stay unique across connect commands. */
let opened = 0
let subscribed = 0
let closed = 0
let stopping = false

function record(payload: TickPayload, receivedAt: number): void {
  let latencies = ticks.get(payload.seq)
  if (!latencies) ticks.set(payload.seq, (latencies = []))
  latencies.push(receivedAt - payload.sentAt)
  if (latencies.length >= subscribed) waiters.get(payload.seq)?.()
}

/** One socket, resolved once the server confirmed its subscription. */
function open(url: string, channel: string, id: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: OPEN_TIMEOUT_MS })
    let ready = false
    const fail = (err: Error) => {
      clearTimeout(timer)
      if (!ready) socket.terminate()
      reject(err)
    }
    const timer = setTimeout(() => fail(new Error(`no subscription within ${OPEN_TIMEOUT_MS} ms`)), OPEN_TIMEOUT_MS)
    socket.on('message', (data) => {
      // First thing, so parsing and bookkeeping are not counted as delivery time.
      const receivedAt = epochNow()
      const frame = JSON.parse(frameText(data)) as Frame
      if (frame.type === 'event') {
        if (frame.event === TICK) record(frame.payload as TickPayload, receivedAt)
      } else if (frame.type === 'welcome') {
        // The protocol has the server speak first; subscribing after its welcome follows it.
        socket.send(JSON.stringify({ type: 'subscribe', channels: [channel], id }))
      } else if (frame.type === 'subscribed' && frame.id === id) {
        ready = true
        clearTimeout(timer)
        resolve(socket)
      } else if (frame.type === 'error') {
        fail(new Error(`subscription refused: ${frame.code}: ${frame.message}`))
      }
    })
    socket.on('error', fail)
    socket.on('close', (code) => {
      if (!ready) fail(new Error(`closed before subscribing (${code})`))
      else if (!stopping) closed++
    })
  })
}

serve<ClientCommands>({
  async connect({ url, channel, count, batch }) {
    const began = performance.now()
    const failures: string[] = []
    // Batches keep the server's accept queue (and the handshakes in flight) bounded.
    for (let done = 0; done < count; done += batch) {
      const ids = Array.from({ length: Math.min(batch, count - done) }, () => `c${++opened}`)
      for (const result of await Promise.allSettled(ids.map((id) => open(url, channel, id)))) {
        if (result.status === 'fulfilled') sockets.push(result.value)
        else failures.push(String(result.reason))
      }
    }
    subscribed = sockets.length
    if (failures.length > 0) console.error(`clients: ${failures.length} of ${count} sockets failed, first: ${failures[0]}`)
    if (subscribed === 0) throw new Error('no socket could subscribe')
    return { connected: subscribed, seconds: (performance.now() - began) / 1000 }
  },

  async await({ seq, timeoutMs }) {
    const received = () => ticks.get(seq)?.length ?? 0
    if (received() < subscribed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          waiters.delete(seq)
          resolve()
        }
        const timer = setTimeout(done, timeoutMs)
        waiters.set(seq, done)
      })
    }
    return { received: received() }
  },

  async results() {
    return { ticks: [...ticks].map(([seq, latencies]) => ({ seq, latencies })), closed }
  },

  async stop() {
    stopping = true
    for (const socket of sockets) socket.terminate()
    return null
  },
})
