import { sql } from 'kysely'
import t from 'tap'
import { CLOSE } from '../../src/realtime/messages.js'
import { signIn, TEST_PASSWORD } from '../factories/accounts.js'
import { build, ManualClock } from '../helper.js'
import { Client, listening } from './client.js'

const BULK_EVENTS = 6000

/** BULK_EVENTS events of about 4 KB on the queue channel (24 MB: far more than the kernel's buffers and a socket's 1 MiB), payload n = 1…BULK_EVENTS. */
async function insertBulkEvents(app: Awaited<ReturnType<typeof build>>): Promise<void> {
  await sql`
    insert into events (type, payload, channels, audience)
    select 'test.bulk', jsonb_build_object('n', n, 'padding', repeat('x', 4000)), array['queue'], '[{"kind":"experts"}]'::jsonb
    from generate_series(1, ${BULK_EVENTS}::int) n
  `.execute(app.ports.db)
}

/** The client's TCP socket under ws: pausing it stops reading, as a stalled peer would. */
const tcpOf = (client: Client) => (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket

const meta = { ip: null }

t.test('signing out closes that session’s sockets, and only those', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const expert = await signIn(app, { role: 'expert' })
  const otherSession = await app.accounts.startSessionUnchecked(expert.userId)
  const signedOut = await Client.connect(t, base, expert.headers)
  const stillIn = await Client.connect(t, base, { authorization: `Bearer ${otherSession.token}` })
  await Promise.all([signedOut.subscribe(['queue']), stillIn.subscribe(['queue'])])

  const response = await app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: expert.headers })
  t.equal(response.statusCode, 204)
  await app.realtime.catchUp()
  t.equal(await signedOut.closure(), CLOSE.sessionEnded)
  await stillIn.settle()
  t.equal(stillIn.closed, undefined, 'the same person’s other session stays connected')
})

t.test('deactivating an account closes all its sockets at once', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const admin = await signIn(app, { role: 'admin' })
  const expert = await signIn(app, { role: 'expert' })
  const second = await app.accounts.startSessionUnchecked(expert.userId)
  const sockets = [await Client.connect(t, base, expert.headers), await Client.connect(t, base, { authorization: `Bearer ${second.token}` })]
  await app.accounts.updateUser(admin.actor, expert.userId, { active: false }, meta)
  await app.realtime.catchUp()
  t.same(await Promise.all(sockets.map((s) => s.closure())), [CLOSE.sessionEnded, CLOSE.sessionEnded])
  await t.rejects(Client.connect(t, base, expert.headers).then((c) => c.subscribe(['queue'])).then((f) => { if (f.type === 'error') throw new Error(String(f.code)) }), /UNAUTHENTICATED/, 'and a new socket is anonymous')
})

t.test('a role change closes the sockets so they reconnect with the new rights', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const admin = await signIn(app, { role: 'admin' })
  const expert = await signIn(app, { role: 'expert' })
  const socket = await Client.connect(t, base, expert.headers)
  await socket.subscribe(['queue'])
  const staffOrg = (await signIn(app, { role: 'staff' })).organizationId!
  await app.accounts.updateUser(admin.actor, expert.userId, { role: 'staff', organizationId: staffOrg }, meta)
  await app.realtime.catchUp()
  t.equal(await socket.closure(), CLOSE.accessChanged)
  const again = await Client.connect(t, base, expert.headers)
  t.match(await again.subscribe(['queue']), { type: 'error', code: 'CHANNEL_FORBIDDEN' }, 'the new rights apply')
})

t.test('a socket does not outlive its session’s expiry', async (t) => {
  const clock = new ManualClock()
  const app = await build(t, { clock })
  const base = await listening(app)
  const staff = await signIn(app, { role: 'staff' })
  const socket = await Client.connect(t, base, staff.headers)
  await app.realtime.hub.checkSessions()
  await socket.settle()
  t.equal(socket.closed, undefined, 'a live session keeps its socket')
  clock.advance(13 * 60 * 60 * 1000) // past SESSION_ABSOLUTE_HOURS (12)
  await app.realtime.hub.checkSessions()
  t.equal(await socket.closure(), CLOSE.sessionEnded)
})

t.test('a slow consumer is cut off with a close code that says resume, and resumes with nothing lost', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const expert = await signIn(app, { role: 'expert' })
  const slow = await Client.connect(t, base, expert.headers)
  await slow.subscribe(['queue'])
  const fast = await Client.connect(t, base, expert.headers)
  await fast.subscribe(['queue'])
  const start = app.realtime.hub.position

  // The slow client stops reading; 24 MB of events fill the kernel's buffers, then our 1 MiB.
  const rawSocket = tcpOf(slow)
  rawSocket.pause()
  await insertBulkEvents(app)
  await app.realtime.catchUp()
  t.equal(app.realtime.hub.stats().connections, 1, 'the server let go of the slow socket (the fast one stays)')
  await fast.settle()
  t.equal(fast.events().length, BULK_EVENTS, 'a fast client on the same channel got everything')

  rawSocket.resume()
  t.equal(await slow.closure(30_000), CLOSE.slowConsumer)
  const received = slow.events()
  const last = received.at(-1)?.position ?? start
  t.ok(received.length < BULK_EVENTS, `it had received ${received.length} of ${BULK_EVENTS} events`)
  const resumed = await Client.connect(t, base, expert.headers)
  t.match(await resumed.subscribe(['queue'], last, 60_000), { type: 'replayed', count: BULK_EVENTS - received.length })
  const all = [...received, ...resumed.events()].map((e) => e.payload.n)
  t.same(all, Array.from({ length: BULK_EVENTS }, (_, i) => i + 1), 'the resumed stream continues exactly where it broke')
})

t.test('a replay waits for a client that stops reading for a moment, rather than cutting it off', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const expert = await signIn(app, { role: 'expert' })
  const start = app.realtime.hub.position
  await insertBulkEvents(app)
  await app.realtime.catchUp()
  const client = await Client.connect(t, base, expert.headers)
  const rawSocket = tcpOf(client)
  // A phone going through a tunnel: it asks for the replay, then reads nothing for half a second.
  const replayed = client.subscribe(['queue'], start, 60_000)
  rawSocket.pause()
  await new Promise((resolve) => setTimeout(resolve, 500))
  rawSocket.resume()
  t.match(await replayed, { type: 'replayed', count: BULK_EVENTS })
  t.equal(client.closed, undefined, 'still connected')
  t.same(
    client.events().map((e) => e.payload.n),
    Array.from({ length: BULK_EVENTS }, (_, i) => i + 1),
    'every event once, in order',
  )
})

t.test('heartbeats cut a connection that stopped answering pings', async (t) => {
  const app = await build(t, { env: { REALTIME_HEARTBEAT_MS: '100' } })
  const base = await listening(app)
  const alive = await Client.connect(t, base)
  const dead = await Client.connect(t, base)
  // A vanished peer: its TCP socket stays open but nothing is read or answered.
  tcpOf(dead).pause()
  while (app.realtime.hub.stats().connections > 1) await new Promise((resolve) => setTimeout(resolve, 50))
  await alive.settle()
  t.equal(alive.closed, undefined, 'a client that answers pings stays')
  t.equal(app.realtime.hub.stats().connections, 1)
})

t.test('changing one’s password closes the sockets of the other sessions, not this one', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const staff = await signIn(app, { role: 'staff' })
  const other = await app.accounts.startSessionUnchecked(staff.userId)
  const here = await Client.connect(t, base, staff.headers)
  const elsewhere = await Client.connect(t, base, { authorization: `Bearer ${other.token}` })
  const changed = await app.inject({
    method: 'POST',
    url: '/api/v1/me/password',
    headers: staff.headers,
    payload: { currentPassword: TEST_PASSWORD, newPassword: 'una-nuova-parola-chiave-7Q' },
  })
  t.equal(changed.statusCode, 204)
  await app.realtime.catchUp()
  t.equal(await elsewhere.closure(), CLOSE.sessionEnded)
  await here.settle()
  t.equal(here.closed, undefined)
})

t.test('a client flooding messages is refused past its budget, told once, then closed', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const socket = await Client.connect(t, base)
  for (let i = 0; i < 40; i++) socket.send({ type: 'ping', id: `p${i}` })
  await socket.received((f) => f.type === 'pong' && f.id === 'p29')
  t.match(await socket.received((f) => f.type === 'error'), { code: 'RATE_LIMITED' }, 'past the burst of 30: refused, and told so')
  t.equal(socket.closed, undefined, 'a short overrun is forgiven')

  for (let i = 40; i < 140; i++) socket.send({ type: 'ping', id: `p${i}` })
  t.equal(await socket.closure(), CLOSE.tooManyMessages, 'a client that goes on is closed')
  t.ok(socket.frames.filter((f) => f.type === 'pong').length < 100, 'and the flood was not handled')
  t.equal(socket.frames.filter((f) => f.type === 'error').length, 1, 'one error, not one per refused message')
})

t.test('a client within its budget is never refused', async (t) => {
  const app = await build(t)
  const base = await listening(app)
  const socket = await Client.connect(t, base)
  for (let i = 0; i < 30; i++) socket.send({ type: 'ping', id: `p${i}` })
  await socket.next((f) => f.type === 'pong' && f.id === 'p29')
  t.equal(socket.frames.filter((f) => f.type === 'pong').length, 30)
  t.equal(socket.closed, undefined)
})
