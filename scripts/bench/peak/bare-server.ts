/**
 * Child process: the anchor for HTTP routes. Bare Fastify answering a small JSON hello, logging
 * every request with pino at info into /dev/null exactly as the app server does.
 */
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import pino from 'pino'
import { serve } from '../ws/ipc.js'
import type { BareServerCommands } from './protocol.js'

const app = Fastify({ loggerInstance: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true })) })
app.get('/', async () => ({ hello: 'world' }))

serve<BareServerCommands>({
  async start() {
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as AddressInfo
    return { base: `http://127.0.0.1:${port}`, label: 'bare Fastify + pino' }
  },
  async stop() {
    await app.close()
    return null
  },
})
