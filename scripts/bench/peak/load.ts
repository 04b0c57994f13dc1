/**
 * Child process: the load generator. HTTP over keep-alive sockets (one per loop, as separate
 * browsers would have), and the database anchors through a node-postgres pool (or PGlite).
 * It runs in a process of its own so the server's CPU time is the server's alone.
 */
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { serve } from '../ws/ipc.js'
import { ANCHOR_QUEUE_ROWS, type AnchorSpec, type LoadCommands, type LoadSpec } from './protocol.js'
import { timedLoops, type Outcome } from './timed-loops.js'

function send(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent, headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) } }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }))
      response.on('error', reject)
    })
    request.setTimeout(30_000, () => request.destroy(new Error('timeout')))
    request.on('error', reject)
    request.end(body)
  })
}

async function runHttp(spec: LoadSpec) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency })
  const urls = [spec.url].flat().map((u) => new URL(u))
  const prefix = randomUUID()
  let sent = 0
  let received = 0
  let bytes = 0
  try {
    const result = await timedLoops(spec, async (loop, n): Promise<Outcome> => {
      const headers = { ...(spec.headersPerLoop?.[loop % spec.headersPerLoop.length] ?? {}), ...(spec.idempotencyKeys && { 'idempotency-key': `${prefix}-${loop}-${n}` }) }
      const { status, body } = await send(agent, urls[sent++ % urls.length]!, spec.method, headers, spec.body)
      received++
      bytes += body.byteLength
      return { status, id: spec.collectIds && status < 300 ? (JSON.parse(body.toString('utf8')) as { id: string }).id : undefined }
    })
    return { ...result, bodyBytes: bytes / Math.max(1, received) }
  } finally {
    agent.destroy()
  }
}

/** A query function over a pool of `poolMax` connections, or over one PGlite (one connection). */
async function anchorDatabase(spec: AnchorSpec) {
  if (spec.databaseUrl) {
    const pool = new pg.Pool({ connectionString: spec.databaseUrl, max: spec.poolMax })
    return { query: async (text: string, values: unknown[] = []) => (await pool.query(text, values)).rows, close: () => pool.end() }
  }
  const db = await PGlite.create()
  return { query: async (text: string, values: unknown[] = []) => (await db.query(text, values)).rows, close: () => db.close() }
}

const ANCHOR_QUESTION = 'Il richiedente asilo ospite di un centro di accoglienza può chiedere la residenza anagrafica nel nostro comune?'

serve<LoadCommands>({
  http: runHttp,

  /** One INSERT ... RETURNING of a question-sized row per operation. */
  async anchorInsert(spec) {
    const db = await anchorDatabase(spec)
    try {
      await db.query(`create table if not exists bench_anchor_insert (
        id uuid primary key default gen_random_uuid(), forum_day_id uuid not null, title text not null, body text not null,
        theme text not null, state text not null, submitted_at timestamptz not null)`)
      const day = randomUUID()
      return await timedLoops(spec, async (loop, n) => {
        await db.query(`insert into bench_anchor_insert (forum_day_id, title, body, theme, state, submitted_at) values ($1, $2, $3, 'servizi-demografici', 'submitted', now()) returning id`, [
          day,
          `Iscrizione anagrafica ${loop}-${n}`,
          ANCHOR_QUESTION,
        ])
        return { status: 200 }
      })
    } finally {
      await db.close()
    }
  },

  /**
   * The SKIP LOCKED claim over a queue of at least ANCHOR_QUEUE_ROWS rows, with the index that
   * serves it: a queue of 5,000 ran dry during the warm-up on a quiet machine (0 op/s measured).
   */
  async anchorClaim(spec) {
    const db = await anchorDatabase(spec)
    try {
      await db.query('drop table if exists bench_anchor_queue')
      await db.query('create table bench_anchor_queue (id uuid primary key default gen_random_uuid(), state text not null, submitted_at timestamptz not null, claimed_by uuid)')
      await db.query(`insert into bench_anchor_queue (state, submitted_at) select 'queued', now() - make_interval(secs => g) from generate_series(1, $1::int) g`, [Math.max(spec.queue, ANCHOR_QUEUE_ROWS)])
      await db.query(`create index on bench_anchor_queue (submitted_at) where state = 'queued'`)
      await db.query('analyze bench_anchor_queue')
      const experts = Array.from({ length: spec.concurrency }, () => randomUUID())
      const result = await timedLoops({ ...spec, stopOnStatus: 404, collectIds: true }, async (loop) => {
        const rows = await db.query(
          `update bench_anchor_queue set state = 'claimed', claimed_by = $1
           where id = (select id from bench_anchor_queue where state = 'queued' order by submitted_at limit 1 for update skip locked)
           returning id`,
          [experts[loop]],
        )
        const id = (rows[0] as { id: string } | undefined)?.id
        return id ? { status: 200, id } : { status: 404 }
      })
      return { ...result, doubleAssignments: result.ids.length - new Set(result.ids).size, ids: [] }
    } finally {
      await db.close()
    }
  },

  async stop() {
    return null
  },
})
