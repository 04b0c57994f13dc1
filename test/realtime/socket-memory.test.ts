import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { IncomingMessage } from 'node:http'
import t from 'tap'
import { build } from '../helper.js'
import { Client, listening } from './client.js'

// A full collection on demand, without starting the test runner with --expose-gc.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

t.test('an open WebSocket does not keep the HTTP request it was upgraded from', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  let upgrade: WeakRef<IncomingMessage> | undefined
  app.websocketServer.once('connection', (_socket: unknown, request: IncomingMessage) => {
    upgrade = new WeakRef(request)
  })
  const client = await Client.connect(t, base)
  await client.subscribe(['faqs'])
  for (let i = 0; i < 10 && upgrade?.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    gc()
  }
  t.ok(upgrade, 'the upgrade was seen')
  t.equal(upgrade?.deref(), undefined, 'the request (and the reply and logger it leads to) was collected while the socket is open')
  await client.settle()
  t.notOk(client.closed, 'the socket still works')
})
