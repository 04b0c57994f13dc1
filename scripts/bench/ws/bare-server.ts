/**
 * Child process: the baseline. A bare `ws` server that speaks just enough of the forum's protocol
 * for the same clients (welcome, subscribed) and broadcasts each tick as one pre-serialised frame
 * to every socket: no database, no reader, no audience checks. What is left is the cost of `ws`
 * and the kernel, to read the app's figures against.
 */
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { serve } from './ipc.js'
import { steadyMemory } from './memory.js'
import { epochNow, frameText, TICK, type ServerCommands, type TickPayload } from './protocol.js'

const CHANNEL = 'forum-day:00000000-0000-4000-8000-000000000000'

let server: WebSocketServer | undefined

const started = () => {
  if (!server) throw new Error('not started')
  return server
}

function listen(): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 })
    wss.once('error', reject)
    wss.once('listening', () => resolve(wss))
    wss.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'welcome', position: 0, user: null, heartbeatMs: 30_000 }))
      socket.on('message', (data) => {
        const message = JSON.parse(frameText(data)) as { type?: string; id?: string; channels?: string[] }
        if (message.type === 'subscribe') socket.send(JSON.stringify({ type: 'subscribed', id: message.id, channels: message.channels, position: 0 }))
      })
    })
  })
}

serve<ServerCommands>({
  async start() {
    server = await listen()
    const { port } = server.address() as AddressInfo
    return { url: `ws://127.0.0.1:${port}`, channel: CHANNEL, label: 'bare ws broadcast' }
  },

  memory: () => steadyMemory(() => started().clients.size),

  async emit({ seq }) {
    const payload: TickPayload = { sentAt: epochNow(), seq }
    // The same frame shape and the same sending path as the hub: serialised once, sent as text.
    const frame = Buffer.from(
      JSON.stringify({ type: 'event', position: seq, event: TICK, channels: [CHANNEL], payload, occurredAt: new Date(payload.sentAt).toISOString() }),
    )
    for (const socket of started().clients) socket.send(frame, { binary: false })
    return { sentAt: payload.sentAt }
  },

  async stop() {
    const wss = server
    if (wss) {
      for (const socket of wss.clients) socket.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    }
    return null
  },
})
