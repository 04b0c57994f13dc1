import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from './cluster.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface LogLine {
  level: number
  msg: string
  [key: string]: unknown
}

/** The service as `npm start` runs it (scripts/start.mjs: compiled from the current sources), JSON logs read back. */
export interface AppProcess {
  origin: string
  child: ChildProcess
  lines: LogLine[]
  /** Lines that were not JSON (a crash's stack goes to stderr). */
  stderr: string[]
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  alive(): boolean
  /** Resolves when `count` lines match, rejects if the process exits or `timeoutMs` passes. */
  waitFor(match: (line: LogLine) => boolean, options?: { count?: number; timeoutMs?: number }): Promise<void>
  stop(signal?: NodeJS.Signals): Promise<void>
}

export async function startApp(env: Record<string, string>, port?: number): Promise<AppProcess> {
  const listenOn = port ?? (await freePort())
  // The launcher imports the compiled server in its own process: a signal to the child reaches the service.
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(listenOn),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '3000',
      // No coverage from this child (see test/server.test.ts).
      _TAPJS_PROCESSINFO_COVERAGE_: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: LogLine[] = []
  const stderr: string[] = []
  const waiters = new Set<() => void>()
  let buffered = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as LogLine)
      } catch {
        stderr.push(part)
      }
    }
    for (const wake of waiters) wake()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk))
  let exitedWith: { code: number | null; signal: NodeJS.Signals | null } | undefined
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedWith = { code, signal }
      for (const wake of waiters) wake()
      resolve(exitedWith)
    }),
  )

  const app: AppProcess = {
    origin: `http://127.0.0.1:${listenOn}`,
    child,
    lines,
    stderr,
    exited,
    alive: () => exitedWith === undefined,
    waitFor(match, { count = 1, timeoutMs = 60_000 } = {}) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no ${count} matching log lines within ${timeoutMs} ms`)), timeoutMs)
        const check = () => {
          if (lines.filter(match).length >= count) done()
          else if (exitedWith) done(new Error(`the app exited (${JSON.stringify(exitedWith)}): ${stderr.join('').slice(-2000)}`))
        }
        const done = (err?: Error) => {
          clearTimeout(timer)
          waiters.delete(check)
          if (err) reject(err)
          else resolve()
        }
        waiters.add(check)
        check()
      })
    },
    async stop(signal = 'SIGTERM') {
      if (!app.alive()) return
      child.kill(signal)
      await exited
    },
  }
  return app
}
