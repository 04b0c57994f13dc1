import type { AppProcess } from './app-process.js'

export interface WriteResult {
  key: string
  phase: string
  status: number
  code?: string
  contentType?: string
  retryAfter?: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Workers that submit questions as a comune's staff would: each keeps its Idempotency-Key and
 * retries it after a 503 or a dropped connection, and takes a new one only once acknowledged.
 */
export function writeLoad(app: AppProcess, options: { token: string; dayId: string; theme: string; workers: number; prefix: string }) {
  const results: WriteResult[] = []
  const acknowledged = new Map<string, string>()
  /** Keys sent at least twice (after a 503 or a dropped connection) and their final answer. */
  const retried = new Set<string>()
  let phase = 'before'
  let running = true

  async function worker(w: number): Promise<void> {
    let n = 0
    let key = `${options.prefix}-${w}-${n}`
    while (running) {
      const sentIn = phase
      const res = await fetch(`${app.origin}/api/v1/forum-days/${options.dayId}/questions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ title: `Domanda di prova ${key}`, body: 'Il richiedente asilo può chiedere la residenza anagrafica nel nostro comune?', theme: options.theme }),
      }).catch(() => undefined)
      // A request that straddles two phases belongs to neither (e.g. a commit just before the stop).
      const at = sentIn === phase ? phase : `${sentIn} -> ${phase}`
      if (res === undefined) {
        // The app did not answer at all (it is being killed or restarted): retry the same key.
        results.push({ key, phase: at, status: 0 })
        retried.add(key)
        await sleep(100)
        continue
      }
      const text = await res.text()
      const code = res.headers.get('content-type')?.startsWith('application/problem+json') ? (JSON.parse(text) as { code?: string }).code : undefined
      results.push({ key, phase: at, status: res.status, code, contentType: res.headers.get('content-type') ?? undefined, retryAfter: res.headers.get('retry-after') ?? undefined })
      if (res.status === 201) {
        acknowledged.set(key, text)
        key = `${options.prefix}-${w}-${++n}`
        await sleep(10)
      } else {
        retried.add(key)
        await sleep(res.status === 503 ? 100 : 10)
        if (res.status !== 503) key = `${options.prefix}-${w}-${++n}`
      }
    }
  }

  const loops = Array.from({ length: options.workers }, (_, w) => worker(w))
  return {
    results,
    acknowledged,
    retried,
    setPhase(next: string) {
      phase = next
    },
    /** Resolves once `count` results of the current phase match. */
    async until(match: (r: WriteResult) => boolean, count: number, timeoutMs = 60_000): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (results.filter((r) => r.phase === phase && match(r)).length < count) {
        if (Date.now() > deadline) {
          const seen = results.filter((r) => r.phase === phase).map((r) => `${r.status} ${r.code ?? ''}`)
          throw new Error(`fewer than ${count} matching writes in phase ${phase} within ${timeoutMs} ms; seen: ${[...new Set(seen)].join(', ')}`)
        }
        await sleep(20)
      }
    },
    async stop(): Promise<void> {
      running = false
      await Promise.all(loops)
    },
  }
}
